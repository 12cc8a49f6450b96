"""The sign-off route of a version: the one place its status changes.

KCST drafts; the KCSP Working Group reviews; the KCSP is consulted and agrees the priorities at its
meeting; KCST publishes. Any review state can go back to Draft with a reason. Each allowed move is
one row of TRANSITIONS: from, to, who may, guards, what happens, who is told.
"""

from __future__ import annotations

import datetime
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from . import notifications
from .models import ChangeNote, Chapter, Paragraph, Snapshot, Version, VersionTransition
from .roles import KCSP_MEMBER, KCST_STAFF, WORKING_GROUP_MEMBER, has_role
from .signals import edition_published

logger = logging.getLogger("csa.workflow")
S = Version.Status


class TransitionRefused(Exception):
    """The move is not allowed now, or not for this person. The message says why."""

    def __init__(self, message: str, failures: list[str] | None = None):
        super().__init__(message)
        self.failures = failures or []


class Problem(str):
    """A reason a move cannot be made, with the record to change to fix it (None: the version itself)."""

    record = None

    def __new__(cls, text: str, record=None):
        problem = super().__new__(cls, text)
        problem.record = record
        return problem


def guard(label: str, *, on_form: bool = False):
    """Names a guard for the checklist on the version's page.

    An `on_form` guard is settled by what is entered on the step's own page, so it never greys out
    the step beforehand.
    """
    def name(check):
        check.label = label
        check.on_form = on_form
        return check
    return name


# Guards: each returns the problems that stop the move, in words a KCST officer understands.

@guard("Nothing is still marked 'to be updated'")
def nothing_to_be_updated(version: Version, details: dict) -> list[str]:
    paragraphs = Paragraph.objects.filter(chapter__version=version, to_be_updated=True).select_related("chapter")
    notes = ChangeNote.objects.filter(version=version, to_be_updated=True)
    return [
        *(Problem(f"Paragraph in {p.chapter.heading} is still marked 'to be updated'.", p) for p in paragraphs),
        *(Problem(f"Change note '{n.text}' is still marked 'to be updated'.", n) for n in notes),
    ]


@guard("The edition has a foreword")
def has_foreword(version: Version, details: dict) -> list[str]:
    if Paragraph.objects.filter(chapter__version=version, chapter__kind=Chapter.Kind.FOREWORD).exists():
        return []
    return [Problem("The edition has no foreword.", version.chapters.filter(kind=Chapter.Kind.FOREWORD).first())]


@guard("Every priority has a lead (or is marked TBC)")
def every_priority_has_a_lead(version: Version, details: dict) -> list[str]:
    return [
        Problem(f"Priority '{p.name}' has no lead: name one, or mark it TBC.", p)
        for p in version.priorities.select_related("lead") if not _lead_set(p)
    ]


def _lead_set(priority) -> bool:
    lead = getattr(priority, "lead", None)
    return lead is not None and lead.is_set


@guard("The version-control table has change notes")
def has_change_notes(version: Version, details: dict) -> list[str]:
    return [] if version.change_notes.exists() else [Problem(f"Version {version.number} has no change notes.")]


@guard("No return feeding Appendix A is provisional (or you publish with provisional returns)", on_form=True)
def no_provisional_returns(version: Version, details: dict) -> list[str]:
    provisional = sorted(
        ((r.partnership.name, r)
         for cycle in version.cycles.all()
         for r in cycle.returns.select_related("partnership")
         if r.is_provisional),
        key=lambda pair: pair[0],
    )
    if not provisional or details.get("publish_with_provisional"):
        return []
    return [Problem(
        f"{len(provisional)} return(s) feeding Appendix A are still provisional "
        f"({', '.join(name for name, _ in provisional)}): "
        "wait for local sign-off, or record that you publish with provisional returns.",
        provisional[0][1],
    )]


@guard("The KCSP meeting and its minute are given", on_form=True)
def agreement_recorded(version: Version, details: dict) -> list[str]:
    problems = []
    if not details.get("meeting_date"):
        problems.append("Give the date of the KCSP meeting that agreed the priorities.")
    if not (details.get("minute") or "").strip():
        problems.append("Give the minute reference or resolution text.")
    return problems


@guard("A reason is given", on_form=True)
def reason_given(version: Version, details: dict) -> list[str]:
    return [] if (details.get("note") or "").strip() else ["Say why the version goes back to draft."]


# Effects: run inside the transaction, after the status is set.

def store_edition(version: Version, details: dict) -> None:
    """Keeps the edition as published: its PDF, document data and page. The PDF file is removed if
    the transaction fails."""
    version.published_at = timezone.now()
    version.publish_with_provisional_returns = bool(details.get("publish_with_provisional"))
    details["_stored_file"] = keep(version)


def keep(version: Version, past: bool = False) -> str | None:
    """Has the document layer store the published edition (documents/snapshot.py); returns the name
    of the file it stored, if any. Refuses rather than publish an edition nothing keeps."""
    stored = [name for _, name in edition_published.send(Version, version=version, past=past) if name]
    if not Snapshot.objects.filter(version=version).exists():
        for name in stored:
            default_storage.delete(name)
        raise ImproperlyConfigured("Nothing keeps published editions: is the documents app installed?")
    return next(iter(stored), None)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    who: tuple[str, ...] = (KCST_STAFF,)
    guards: tuple[Callable[[Version, dict], list[str]], ...] = ()
    effects: tuple[Callable[[Version, dict], None], ...] = ()
    notify: tuple[str, ...] = ()
    fields: tuple[str, ...] = field(default=("note",))

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: only its first letter lowered, so names such as KCSP stay."""
        return self.label[0].lower() + self.label[1:]


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "send_to_working_group", "Send to the Working Group for review", (S.DRAFT,), S.WORKING_GROUP_REVIEW,
        notify=(WORKING_GROUP_MEMBER,), fields=("comments_by", "note"),
    ),
    Transition(
        "consult_kcsp", "Send to the KCSP for consultation", (S.WORKING_GROUP_REVIEW,), S.KCSP_CONSULTATION,
        notify=(KCSP_MEMBER,), fields=("comments_by", "note"),
    ),
    Transition(
        "record_agreement", "Record the KCSP's agreement", (S.KCSP_CONSULTATION,), S.AGREED,
        guards=(agreement_recorded,), notify=(KCST_STAFF,), fields=("meeting_date", "minute", "note"),
    ),
    Transition(
        "publish", "Publish", (S.AGREED,), S.PUBLISHED,
        guards=(nothing_to_be_updated, has_foreword, every_priority_has_a_lead, has_change_notes,
                no_provisional_returns),
        effects=(store_edition,), notify=(KCST_STAFF, KCSP_MEMBER, WORKING_GROUP_MEMBER),
        fields=("publish_with_provisional", "note"),
    ),
    Transition(
        "return_to_draft", "Return to draft", (S.WORKING_GROUP_REVIEW, S.KCSP_CONSULTATION, S.AGREED), S.DRAFT,
        guards=(reason_given,), notify=(KCST_STAFF,),
    ),
)
BY_NAME = {t.name: t for t in TRANSITIONS}


@contextmanager
def moving(version: Version):
    """Lets Version.save() change the status, for this step only."""
    version._workflow_transition = True
    try:
        yield
    finally:
        version._workflow_transition = False


def may(user, t: Transition, version: Version) -> bool:
    return has_role(user, *t.who, agreement=version.agreement_id) and user.is_active


def available(version: Version, user) -> list[Transition]:
    """The moves this user may make from the version's current state (guards are checked on the move)."""
    return [t for t in TRANSITIONS if version.status in t.sources and may(user, t, version)]


def publish_checklist(version: Version) -> list[tuple[str, list[Problem]]]:
    """Every guard on publishing, with what still stops it: shown on the version's page from Draft on."""
    return [(check.label, check(version, {})) for check in BY_NAME["publish"].guards]


def not_yet(version: Version, t: Transition) -> list[Problem]:
    """What stops this move before anything is entered on its page."""
    return [problem for check in t.guards if not check.on_form for problem in check(version, {})]


def refusal_reason(version: Version, user, t: Transition) -> str | None:
    """Why this person cannot make this move now: their role, or the version's state. None if they can."""
    if not may(user, t, version):
        return f"Only {' or '.join(t.who)} may {t.in_sentence}."
    if version.status not in t.sources:
        sources = " or ".join(S(source).label for source in t.sources)
        return (f"Version {version.number} is {version.get_status_display()}: "
                f"'{t.label}' is possible only from {sources}.")
    return None


def transition(version: Version, name: str, by, **details) -> VersionTransition:
    """Move the version, or raise TransitionRefused naming every reason it cannot move."""
    t = BY_NAME.get(name)
    if t is None:
        raise TransitionRefused(f"There is no step called {name!r}.")
    if not may(by, t, version):
        raise TransitionRefused(f"You may not {t.in_sentence}.")
    stored_file = None
    try:
        with transaction.atomic():
            # The row lock makes a second, simultaneous move wait and then see the new state.
            locked = Version.objects.select_for_update().get(pk=version.pk)
            if locked.revision != version.revision or locked.status not in t.sources:
                raise TransitionRefused(
                    f"Version {locked.number} is now {locked.get_status_display()}: someone else moved it "
                    "while you were looking. Reload to see where it is."
                )
            failures = [problem for guard in t.guards for problem in guard(locked, details)]
            if failures:
                raise TransitionRefused(f"{t.label} is not possible yet.", failures)
            record = VersionTransition.objects.create(
                version=locked, name=t.name, from_status=locked.status, to_status=t.target, by=by,
                note=details.get("note", ""), meeting_date=details.get("meeting_date"),
                comments_by=details.get("comments_by"),
                minute=details.get("minute", ""),
            )
            # Saved before the effects, so the PDF is rendered as the edition it becomes.
            locked.status = t.target
            with moving(locked):
                locked.save()
                for effect in t.effects:
                    effect(locked, details)
                stored_file = details.get("_stored_file")
                if t.effects:
                    locked.save()
            transaction.on_commit(lambda: notifications.transition_made(locked, t, record))
    except Exception:
        if stored_file:
            default_storage.delete(stored_file)
        raise
    logger.info("Version %s: %s by %s", locked.number, t.name, by)
    version.refresh_from_db()
    return record


def record_past_status(version: Version, status: str, note: str) -> None:
    """For historical editions loaded from source documents: their route is not on record."""
    version.status = status
    with moving(version):
        version.save()
    VersionTransition.objects.create(
        version=version, name="loaded", from_status=S.DRAFT, to_status=status, note=note
    )


def record_past_route(version: Version, steps: list[tuple[str, datetime.date, str]], note: str, by=None) -> None:
    """For a past edition recorded by hand: each step of its sign-off, on the day it happened.

    `steps` are (status reached, date, minute) in route order; the version, new or a draft, is saved
    at the last one.
    """
    final_status, last_day, _ = steps[-1]
    version.status = final_status
    if final_status == S.PUBLISHED:
        version.published_at = _day(last_day)
    with moving(version):
        version.save()
    from_status = S.DRAFT
    for status, on, minute in steps:
        record = VersionTransition.objects.create(
            version=version, name="recorded", from_status=from_status, to_status=status, by=by, note=note,
            meeting_date=on if status == S.AGREED else None, minute=minute,
        )
        # `at` is stamped on creation; a past step keeps the day it was taken.
        VersionTransition.objects.filter(pk=record.pk).update(at=_day(on))
        from_status = status
    if final_status == S.PUBLISHED:
        keep_as_published(version)


def keep_as_published(version: Version) -> bool:
    """Stores a past edition's PDF and snapshot if it has none yet (loaded, or recorded before
    snapshots were kept), so no request ever renders it. Returns whether anything was stored."""
    if Snapshot.objects.filter(version=version).exists():
        return False
    stored_file = None
    try:
        with transaction.atomic():
            stored_file = keep(version, past=True)
            if stored_file:
                with moving(version):
                    version.save()
    except Exception:
        if stored_file:
            default_storage.delete(stored_file)
        raise
    return True


def _day(on: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
