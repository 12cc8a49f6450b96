"""Applying a decided review to the agreement's open draft (starting one if none is open).

The draft's priorities and themes become the ones the KCSP agreed: retained ones carry over,
renamed and expanded ones keep their keys, merges and splits are recorded as Lineage rows so the
draft's comparison with the last published edition names them, and a change note is drafted.
Applying again changes nothing; a draft whose priorities or themes KCST already changed another
way is refused, with the items named.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from documents.diff import in_words
from agreements.models import ChangeNote, Chapter, CrossCuttingTheme, Lead, Lineage, Priority, Version, new_key
from agreements.refresh import start_next_refresh

from .models import AnnualReview, Proposal
from .workflow import ReviewRefused, _kcst_only, agreed_proposals


@dataclass(frozen=True)
class Item:
    key: str
    name: str
    includes: tuple[str, ...] = ()


@dataclass
class Plan:
    """What the draft's items of one kind should be, and the merges and splits behind them."""

    items: list[Item]
    lineages: list[tuple[str, list[str], list[str], str]]  # (kind, old keys, new keys, in words)


MODELS = {Lineage.Item.PRIORITY: Priority, Lineage.Item.THEME: CrossCuttingTheme}
LABELS = {Lineage.Item.PRIORITY: "Priority", Lineage.Item.THEME: "Theme"}


def items_of(records) -> dict[str, Item]:
    """An edition's priorities or themes, by key in the edition's order."""
    ordered = sorted(records, key=lambda record: (record.order, record.pk))
    return {r.key: Item(r.key, r.name, tuple(getattr(r, "includes_list", ()))) for r in ordered}


def _items(version: Version, what: str) -> dict[str, Item]:
    return items_of(MODELS[what].objects.filter(version=version))


def plan(current: dict[str, Item], what: str, proposals: list[Proposal]) -> Plan:
    """The edition's items of one kind (current) after the agreed proposals, in the edition's order,
    each replacement where the first item it replaces stood, new items last."""
    by_first_key = {p.current_keys[0]: p for p in proposals if p.item == what and p.current_keys}
    consumed = {key for p in proposals if p.item == what for key in p.current_keys}
    items, lineages = [], []
    for key, item in current.items():
        proposal = by_first_key.get(key)
        if proposal is None:
            if key not in consumed:
                items.append(item)
            continue
        made = _outcome(proposal, item)
        items += made
        if proposal.action in (Proposal.Action.MERGE, Proposal.Action.SPLIT):
            kind = Lineage.Kind.MERGED if proposal.action == Proposal.Action.MERGE else Lineage.Kind.SPLIT
            old_names = [current[k].name for k in proposal.current_keys if k in current]
            sentence = f"{in_words(old_names)} {kind} into {in_words([i.name for i in made])}"
            lineages.append((kind, list(proposal.current_keys), [i.key for i in made], sentence))
    for proposal in proposals:
        if proposal.item == what and proposal.action == Proposal.Action.ADD:
            items += _outcome(proposal, None)
    return Plan(items, lineages)


def _outcome(proposal: Proposal, item: Item | None) -> list[Item]:
    action, names = proposal.action, proposal.name_list
    if action == Proposal.Action.RETAIN:
        return [item]
    if action == Proposal.Action.DROP:
        return []
    if action == Proposal.Action.RENAME:
        return [Item(item.key, names[0], item.includes)]
    if action == Proposal.Action.EXPAND:
        return [Item(item.key, names[0], tuple(proposal.includes_list))]
    # A merge, a split or a new item makes new records; their keys are the proposal's, so applying
    # the same decision again finds them.
    return [Item(f"{_slug(name)}-r{proposal.pk}", name, tuple(proposal.includes_list)) for name in names]


def _slug(name: str) -> str:
    return new_key(name).rsplit("-", 1)[0][:40]


def conflicts(review: AnnualReview, draft: Version, plans: dict[str, Plan]) -> list[str]:
    """Items the draft changed since it was copied from the reviewed edition, other than as decided."""
    found = []
    for what, target in plans.items():
        base, now = _items(review.edition, what), _items(draft, what)
        wanted = {item.key: item for item in target.items}
        for key in [*now, *(k for k in base if k not in now)]:
            here, was, goal = now.get(key), base.get(key), wanted.get(key)
            if here == goal or here == was:
                continue
            label = LABELS[what]
            if here is None:
                found.append(f"{label} '{was.name}' was removed from draft {draft.number}")
            elif was is None:
                found.append(f"{label} '{here.name}' was added to draft {draft.number}")
            else:
                found.append(f"{label} '{was.name}' was changed in draft {draft.number} (now '{here.name}')")
    return found


def apply_decision(review: AnnualReview, by) -> tuple[Version, list[str]]:
    """Returns the draft and what changed in it (nothing, when the decision is already applied)."""
    _kcst_only(by, review)
    if review.status not in (AnnualReview.Status.DECIDED, AnnualReview.Status.PUBLISHED):
        raise ReviewRefused(f"The {review.title} has no recorded decision to apply.")
    with transaction.atomic():
        draft = review.agreement.open_version() or start_next_refresh(review.agreement, by=by)
        if not draft.is_draft:
            raise ReviewRefused(
                f"Version {draft.number} is {draft.get_status_display().lower()}: apply the decision to a draft."
            )
        agreed = agreed_proposals(review)
        plans = {what: plan(_items(review.edition, what), what, agreed) for what in MODELS}
        found = conflicts(review, draft, plans)
        if found:
            raise ReviewRefused(
                f"Draft {draft.number} was changed since it was copied from {review.edition.number}, so the "
                f"decision was not applied: {'; '.join(found)}. Undo these changes or make the decision's by hand."
            )
        done = []
        for what, target in plans.items():
            done += _apply(draft, what, target)
        if done:
            _note(draft, plans)
        return draft, done


def _apply(draft: Version, what: str, target: Plan) -> list[str]:
    model = MODELS[what]
    records = {r.key: r for r in model.objects.filter(version=draft)}
    wanted = {item.key for item in target.items}
    done = []
    for key, record in records.items():
        if key not in wanted:
            done.append(f"{record.name} removed")
            record.delete()
    for order, item in enumerate(target.items):
        record = records.get(item.key) or model(version=draft, key=item.key)
        fields = {"name": item.name, "order": order}
        if what == Lineage.Item.PRIORITY:
            fields["includes"] = "\n".join(item.includes)
        changed = [name for name, value in fields.items() if getattr(record, name) != value]
        if record.pk and not changed:
            continue
        if record.pk and record.name != item.name:
            done.append(f"{record.name} renamed {item.name}")
        elif not record.pk:
            done.append(f"{item.name} added")
        for name, value in fields.items():
            setattr(record, name, value)
        new = record.pk is None
        record.save()
        if new and what == Lineage.Item.PRIORITY:
            Lead.objects.create(priority=record, tbc=True)
    for kind, old_keys, new_keys, sentence in target.lineages:
        _, created = Lineage.objects.get_or_create(
            version=draft, item=what, kind=kind, old_keys=old_keys, new_keys=new_keys
        )
        if created:
            done.append(sentence)
    return done


def _note(draft: Version, plans: dict[str, Plan]) -> None:
    """The version-control line, naming each merge and split as the KCSP decided it."""
    chapter = Chapter.objects.filter(version=draft, generated=Chapter.Generated.PRIORITIES_DIAGRAM).first()
    section = chapter.section_name if chapter else ""
    text = f"{section} - priorities and cross-cutting themes updated".lstrip(" -")
    merges = [sentence for target in plans.values() for *_, sentence in target.lineages]
    if merges:
        text = f"{text} ({'; '.join(merges)})"[:500]
    if not draft.change_notes.filter(text=text).exists():
        ChangeNote.objects.create(version=draft, section=section, text=text, order=draft.change_notes.count())
