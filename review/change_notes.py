"""Change notes proposed from the differences found, in the house style of the version-control table.

Nothing is added to the edition until KCST accepts a proposal.
"""

from __future__ import annotations

from dataclasses import dataclass

from documents.diff import EditionDiff
from agreements.models import Chapter, Version

from .models import DiscardedProposal

GENERATED_WORDING = {
    "priority": "changes made to priorities and cross-cutting themes",
    "theme": "changes made to priorities and cross-cutting themes",
    "plan": "minor changes to the list of plans",
    "authority": "change to the named responsible authorities",
    "signatory": "change to the signatories",
    "horizon item": "refreshed horizon scanning",
    "Appendix A row": "strategic assessment outcomes updated",
}


@dataclass(frozen=True)
class Proposal:
    section: str
    text: str


def _wording(chapter: Chapter, kinds: set[str], leads: int) -> str:
    for what in ("priority", "theme", "Appendix A row", "horizon item", "plan", "authority", "signatory"):
        if what in kinds:
            return GENERATED_WORDING[what]
    if "lead" in kinds:
        return "minor change to the list of leads" if leads == 1 else "changes to the list of leads"
    if chapter.kind == Chapter.Kind.FOREWORD:
        return "updated to reflect latest version"
    if chapter.generated == Chapter.Generated.ACHIEVEMENTS:
        return "achievements updated"
    return "minor changes to the chapter"


def propose(diff: EditionDiff) -> list[Proposal]:
    """One proposal per chapter with changes, unless the edition already notes that chapter."""
    noted = {note.section for note in diff.new.change_notes.all()}
    proposals = []
    for chapter, _count in diff.summary():
        section = chapter.section_name
        if section in noted:
            continue
        changes = diff.for_chapter(chapter.key)
        kinds = {c.what for c in changes}
        leads = sum(1 for c in changes if c.what == "lead")
        proposals.append(Proposal(section, f"{section} - {_wording(chapter, kinds, leads)}"))
    return proposals


def not_discarded(version: Version, proposals: list[Proposal]) -> list[Proposal]:
    """The proposals KCST has not discarded for this version."""
    if not proposals:
        return []
    discarded = set(DiscardedProposal.objects.filter(version=version).values_list("text", flat=True))
    return [proposal for proposal in proposals if proposal.text not in discarded]
