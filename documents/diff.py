"""What changed between two editions of one agreement, as plain data for the review page.

Items are matched by their key, which a refresh copies: a priority renamed in the new draft is the
same record carried forward, so it shows as a rename, not as a removal plus an addition.
Text is escaped before it is marked up, so nothing a person typed is ever rendered as HTML.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field

import nh3
from django.db.models import Prefetch
from django.utils.safestring import SafeString

from agreements.models import Chapter, Paragraph, Priority, Version, number_paragraphs
from agreements.wording import mark_words
from assessments.aggregation import CategoryChange, appendix_a, changes_since


@dataclass
class Change:
    kind: str  # added, removed, changed, renamed, moved, merged, split
    what: str  # paragraph, note, priority, theme, lead, plan, authority, horizon item, Appendix A row
    chapter_key: str
    key: str
    old: str = ""
    new: str = ""
    marked: SafeString | None = None  # word-level diff with <del>/<ins>, escaped
    # How a reader names the part ("paragraph 6.5", "lead for Road Safety"): keys are never shown.
    name: str = ""
    was: str = ""  # where a moved paragraph stood in the compared edition

    @property
    def title(self) -> str:
        return f"{self.name or self.what} {self.kind}"

    @property
    def sentence(self) -> str:
        """A merge or split in words: "Violent Crime and Acquisitive Crime merged into Serious Crime"."""
        return f"{self.old} {self.kind} into {self.new}"

    @property
    def anchor(self) -> str:
        return f"change-{self.what.replace(' ', '-')}-{self.key}"


@dataclass
class CountChange:
    category_key: str
    label: str
    old: int
    new: int

    @property
    def delta(self) -> str:
        return f"{self.new - self.old:+d}"


@dataclass
class EditionDiff:
    old: Version
    new: Version
    changes: list[Change] = field(default_factory=list)
    counts: list[CountChange] = field(default_factory=list)
    partnership_changes: list[CategoryChange] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)

    def for_chapter(self, key: str) -> list[Change]:
        return [c for c in self.changes if c.chapter_key == key]

    def summary(self) -> list[tuple[Chapter, int]]:
        """Each chapter of the new edition with its number of changes, in document order."""
        counts = {chapter.key: len(self.for_chapter(chapter.key)) for chapter in self.chapters}
        return [(chapter, counts[chapter.key]) for chapter in self.chapters if counts[chapter.key]]

    def by_key(self) -> dict[str, Change]:
        return {f"{c.what}:{c.key}": c for c in self.changes}

    @property
    def total(self) -> int:
        return len(self.changes)


def plain_text(fragment: str) -> str:
    return html.unescape(nh3.clean(fragment, tags=set()))


def _load(version: Version) -> Version:
    return (
        Version.objects.prefetch_related(
            Prefetch("chapters", queryset=Chapter.objects.prefetch_related(
                Prefetch("paragraphs", queryset=Paragraph.objects.order_by("order", "pk")), "footnotes",
            )),
            Prefetch("priorities", queryset=Priority.objects.select_related("lead")),
            "themes", "plan_links", "authorities", "signatories", "horizon_items", "cycles", "lineages",
        ).get(pk=version.pk)
    )


def _chapter_for(version: Version, generated: str, fallback: str) -> str:
    for chapter in version.chapters.all():
        if chapter.generated == generated:
            return chapter.key
    return fallback


def compare(old: Version, new: Version) -> EditionDiff:
    """Compare two editions of the same agreement in a fixed number of queries."""
    if old.agreement_id != new.agreement_id:
        raise ValueError("Only two editions of the same agreement can be compared.")
    old, new = _load(old), _load(new)
    result = EditionDiff(old=old, new=new, chapters=list(new.chapters.all()))
    result.changes += _paragraph_changes(old, new)
    result.changes += _text_changes("note", "footnotes", old, new)
    priorities_chapter = _chapter_for(new, Chapter.Generated.PRIORITIES_DIAGRAM, "priorities")
    lineages = new.lineages.all()
    result.changes += _named_changes("priority", priorities_chapter, old.priorities.all(), new.priorities.all(),
                                     lineages)
    result.changes += _named_changes("theme", priorities_chapter, old.themes.all(), new.themes.all(), lineages)
    result.changes += _lead_changes(_chapter_for(new, Chapter.Generated.LEADS, "leads"), old, new)
    for what, generated, attr in (
        ("plan", Chapter.Generated.PLANS, "plan_links"),
        ("authority", Chapter.Generated.AUTHORITIES, "authorities"),
        ("signatory", Chapter.Generated.SIGNATORIES, "signatories"),
        ("horizon item", Chapter.Generated.HORIZON_SCANNING, "horizon_items"),
    ):
        result.changes += _list_changes(what, _chapter_for(new, generated, what), getattr(old, attr).all(),
                                        getattr(new, attr).all())
    _appendix_a_changes(result, old, new)
    return result


# Below this likeness (difflib's ratio of their words) two paragraphs are not one paragraph edited.
ALIKE = 0.6


def _likeness(old_text: str, new_text: str) -> float:
    matcher = difflib.SequenceMatcher(a=old_text.split(), b=new_text.split(), autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= ALIKE and matcher.quick_ratio() >= ALIKE else 0.0


@dataclass
class _Placed:
    chapter: Chapter
    paragraph: Paragraph
    number: str
    text: str

    @property
    def name(self) -> str:
        return f"paragraph {self.number}" if self.number else f"text in {self.chapter.heading}"


def _placed(version: Version) -> list[_Placed]:
    return [
        _Placed(chapter, p, p.number, plain_text(p.html))
        for chapter in version.chapters.all()
        for p in number_paragraphs(chapter, chapter.paragraphs.all())
    ]


def _pair_paragraphs(before: list[_Placed], after: list[_Placed]) -> dict[int, _Placed]:
    """Each new paragraph's counterpart in the old edition (by index in `after`).

    The key a refresh carries forward comes first, unless the texts are no longer alike (keys of
    editions loaded from the documents follow their position); then the same text anywhere (a
    paragraph moved to another chapter); then the likest text within the same chapter.
    """
    pairs: dict[int, _Placed] = {}
    old_by_key = {item.paragraph.key: item for item in before}
    for i, item in enumerate(after):
        old = old_by_key.get(item.paragraph.key)
        if old and (old.text == item.text or _likeness(old.text, item.text) >= ALIKE):
            pairs[i] = old
    taken = {id(old) for old in pairs.values()}
    old_by_text = {}
    for old in before:
        if id(old) not in taken:
            old_by_text.setdefault(old.text, []).append(old)
    for i, item in enumerate(after):
        if i not in pairs and old_by_text.get(item.text):
            pairs[i] = old_by_text[item.text].pop(0)
            taken.add(id(pairs[i]))
    candidates = sorted(
        ((_likeness(old.text, item.text), i, j)
         for i, item in enumerate(after) if i not in pairs
         for j, old in enumerate(before) if id(old) not in taken and old.chapter.key == item.chapter.key),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    for likeness, i, j in candidates:
        if likeness < ALIKE:
            break
        if i not in pairs and id(before[j]) not in taken:
            pairs[i] = before[j]
            taken.add(id(before[j]))
    return pairs


def _out_of_order(indexes: list[int]) -> set[int]:
    """The positions not in the longest run kept in the same order: the paragraphs that moved."""
    best: list[list[int]] = []  # best[k]: positions of a longest increasing run ending at k
    for k, index in enumerate(indexes):
        longest = max((best[m] for m in range(k) if indexes[m] < index), key=len, default=[])
        best.append([*longest, k])
    kept = set(max(best, key=len, default=[]))
    return set(range(len(indexes))) - kept


def _paragraph_changes(old: Version, new: Version) -> list[Change]:
    """A paragraph moved is one move, one reworded is one change, in the new edition's order."""
    before, after = _placed(old), _placed(new)
    pairs = _pair_paragraphs(before, after)
    position = {id(item): n for n, item in enumerate(before)}
    moved = set()
    for chapter in new.chapters.all():
        in_place = [i for i, item in enumerate(after)
                    if item.chapter.key == chapter.key and i in pairs and pairs[i].chapter.key == chapter.key]
        moved |= {in_place[k] for k in _out_of_order([position[id(pairs[i])] for i in in_place])}
    changes = []
    for i, item in enumerate(after):
        key, chapter_key = item.paragraph.key, item.chapter.key
        old_item = pairs.get(i)
        if old_item is None:
            changes.append(Change("added", "paragraph", chapter_key, key, new=item.text,
                                  marked=mark_words("", item.text), name=item.name))
        elif i in moved or old_item.chapter.key != chapter_key:
            was = old_item.name if old_item.chapter.key == chapter_key else (
                f"{old_item.name} in {old_item.chapter.heading}")
            changes.append(Change("moved", "paragraph", chapter_key, key, old=old_item.text, new=item.text,
                                  marked=mark_words(old_item.text, item.text), name=item.name, was=was))
        elif old_item.text != item.text:
            changes.append(Change("changed", "paragraph", chapter_key, key, old=old_item.text, new=item.text,
                                  marked=mark_words(old_item.text, item.text), name=item.name))
    taken = {id(old) for old in pairs.values()}
    for old_item in before:
        if id(old_item) not in taken:
            changes.append(Change("removed", "paragraph", old_item.chapter.key, old_item.paragraph.key,
                                  old=old_item.text, marked=mark_words(old_item.text, ""),
                                  name=f"{old_item.name} of version {old.number}"))
    return changes


def compare_record(record: Version, new: Version) -> list[Change]:
    """What can be compared with a historical record, which holds no text: priorities and themes."""
    record, new = _load(record), _load(new)
    return [
        *_named_changes("priority", "priorities", record.priorities.all(), new.priorities.all()),
        *_named_changes("theme", "priorities", record.themes.all(), new.themes.all()),
    ]


def _text_changes(what: str, related: str, old: Version, new: Version) -> list[Change]:
    """Formatted texts kept under each chapter (its paragraphs, its notes), matched by their keys."""

    def index(version):
        return {
            (chapter.key, p.key): (chapter, p)
            for chapter in version.chapters.all()
            for p in getattr(chapter, related).all()
        }

    before, after = index(old), index(new)
    changes = []
    for (chapter_key, key), (chapter, p) in after.items():
        if (chapter_key, key) not in before:
            changes.append(Change("added", what, chapter_key, key, new=plain_text(p.html),
                                  marked=mark_words("", plain_text(p.html))))
            continue
        old_text = plain_text(before[(chapter_key, key)][1].html)
        new_text = plain_text(p.html)
        if old_text != new_text:
            changes.append(Change("changed", what, chapter_key, key, old=old_text, new=new_text,
                                  marked=mark_words(old_text, new_text)))
    for (chapter_key, key), (chapter, p) in before.items():
        if (chapter_key, key) not in after:
            changes.append(Change("removed", what, chapter_key, key, old=plain_text(p.html),
                                  marked=mark_words(plain_text(p.html), "")))
    return changes


def _named_changes(what: str, chapter_key: str, old_items, new_items, lineages=()) -> list[Change]:
    before = {item.key: item for item in old_items}
    after = {item.key: item for item in new_items}
    changes, explained = _lineage_changes(what, chapter_key, before, after, lineages)
    for key, item in after.items():
        if key in explained:
            continue
        if key not in before:
            changes.append(Change("added", what, chapter_key, key, new=item.name))
        elif before[key].name != item.name:
            changes.append(Change("renamed", what, chapter_key, key, old=before[key].name, new=item.name,
                                  marked=mark_words(before[key].name, item.name)))
        elif what == "priority" and before[key].includes_list != item.includes_list:
            old_text, new_text = ", ".join(before[key].includes_list), ", ".join(item.includes_list)
            changes.append(Change("changed", what, chapter_key, key, old=old_text, new=new_text,
                                  marked=mark_words(old_text, new_text), name=f"what {item.name} includes"))
    for key, item in before.items():
        if key not in after and key not in explained:
            changes.append(Change("removed", what, chapter_key, key, old=item.name))
    return changes


def _lineage_changes(what: str, chapter_key: str, before: dict, after: dict, lineages) -> tuple[list[Change], set]:
    """One change for each merge or split recorded on the new edition, and the keys it accounts for."""
    changes, explained = [], set()
    for link in lineages:
        old_keys = [key for key in link.old_keys if key in before]
        new_keys = [key for key in link.new_keys if key in after]
        if link.item != what or not old_keys or not new_keys:
            continue
        changes.append(Change(
            link.kind, what, chapter_key, new_keys[0],
            old=in_words([before[key].name for key in old_keys]), new=in_words([after[key].name for key in new_keys]),
        ))
        explained |= {*old_keys, *new_keys}
    return changes, explained


def in_words(names: list[str]) -> str:
    """Violent Crime and Acquisitive Crime; A, B and C."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _lead_changes(chapter_key: str, old: Version, new: Version) -> list[Change]:
    before = {p.key: str(getattr(p, "lead", "") or "") for p in old.priorities.all()}
    changes = []
    for priority in new.priorities.all():
        lead = str(getattr(priority, "lead", "") or "")
        if priority.key in before and before[priority.key] != lead:
            changes.append(Change("changed", "lead", chapter_key, priority.key, old=before[priority.key], new=lead,
                                  marked=mark_words(before[priority.key], lead), name=f"lead for {priority.name}"))
    return changes


def _list_changes(what: str, chapter_key: str, old_items, new_items) -> list[Change]:
    before = [str(item) for item in old_items]  # as printed: a horizon item with its note
    after = [str(item) for item in new_items]
    changes = []
    for text in after:
        if text not in before:
            changes.append(Change("added", what, chapter_key, _slug(text), new=text))
    for text in before:
        if text not in after:
            changes.append(Change("removed", what, chapter_key, _slug(text), old=text))
    return changes


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower())[:60]


def _appendix_a_changes(result: EditionDiff, old: Version, new: Version) -> None:
    old_cycle = next(iter(old.cycles.all()), None)
    new_cycle = next(iter(new.cycles.all()), None)
    if new_cycle is None:
        # No returns feed the new edition yet: there is nothing to compare.
        return
    chapter_key = _chapter_for(new, Chapter.Generated.STRATEGIC_ASSESSMENTS, "appendix-a")
    before = appendix_a(old_cycle).rows if old_cycle else []
    after = appendix_a(new_cycle).rows
    old_counts = {row.category_key: row for row in before}
    new_counts = {row.category_key: row for row in after}
    for key in [*new_counts, *(k for k in old_counts if k not in new_counts)]:
        was = old_counts[key].csps if key in old_counts else 0
        now = new_counts[key].csps if key in new_counts else 0
        if was != now:
            label = (new_counts.get(key) or old_counts[key]).label
            result.counts.append(CountChange(key, label, was, now))
            result.changes.append(Change("changed", "Appendix A row", chapter_key, key, old=str(was), new=str(now),
                                         name=f"Appendix A row {label}"))
    result.partnership_changes = [c for c in changes_since(old_cycle, new_cycle) if c.added or c.dropped or c.reclassed]
