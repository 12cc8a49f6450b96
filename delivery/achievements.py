"""Chapter 5's key achievements proposed from the year's delivery, in the chapter's house style.

One proposal per completed action, and one per update a lead or KCST marked notable, of the
edition the draft is based on. Nothing is added to the draft until KCST accepts a proposal;
a discarded one is not proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, linebreaks

from agreements.models import Achievement, Version

from .models import Action, ActionUpdate, DiscardedAchievement


@dataclass(frozen=True)
class Proposal:
    source: str  # "action:<key>" or "update:<id>", what a discard remembers
    title: str
    text: str

    @property
    def html(self) -> str:
        return linebreaks(escape(self.text))


def proposals(draft: Version) -> list[Proposal]:
    year = draft.based_on
    if year is None:
        return []
    found = []
    completed = year.actions.filter(status=Action.Status.COMPLETE).prefetch_related("updates")
    for action in completed:
        latest = action.updates.first()
        found.append(Proposal(f"action:{action.key}", action.title, latest.progress if latest else action.description))
    notable = ActionUpdate.objects.filter(action__edition=year, notable=True).exclude(
        action__status=Action.Status.COMPLETE
    ).select_related("action")
    found += [Proposal(f"update:{update.pk}", update.action.title, update.progress) for update in notable]
    discarded = set(DiscardedAchievement.objects.filter(version=draft).values_list("source", flat=True))
    accepted = set(draft.achievements.values_list("title", flat=True))
    return [p for p in found if p.source not in discarded and p.title not in accepted]


def accept(draft: Version, title: str, text: str) -> Achievement:
    """Adds the (possibly edited) proposal at the end of chapter 5; the draft's freeze rule applies."""
    achievement = Achievement(version=draft, title=title, html=linebreaks(escape(text)),
                              order=draft.achievements.count())
    achievement.full_clean()
    achievement.save()
    return achievement


def discard(draft: Version, source: str, by) -> None:
    DiscardedAchievement.objects.get_or_create(version=draft, source=source, defaults={"by": by})
