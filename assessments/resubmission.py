"""What an officer changed in a return since KCST returned it for amendment, for KCST's review page.

The return as it was sent back is read from its items' history at the moment it was returned, so
nothing extra is stored. Issues are matched by their category (an import replaces the items but
keeps the categories), and by the item itself when written in the officer's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from agreements.wording import mark_words

from .models import AssessmentReturn, ReturnEvent, ReturnItem


@dataclass
class IssueChange:
    kind: str  # added, removed, changed
    issue: str
    old_class: str = ""
    new_class: str = ""
    # (what changed, the words marked) for each text that changed: own wording, note
    texts: list[tuple[str, SafeString]] = field(default_factory=list)

    @property
    def reclassified(self) -> bool:
        return self.kind == "changed" and self.old_class != self.new_class


@dataclass
class Resubmission:
    returned: ReturnEvent
    changes: list[IssueChange]


def _key(item: ReturnItem) -> tuple:
    return ("category", item.category_id) if item.category_id else ("item", item.pk)


def since_returned(assessment_return: AssessmentReturn) -> Resubmission | None:
    """The changes between the last return for amendment and now; None unless it was submitted again since."""
    events = list(assessment_return.events.order_by("at", "pk"))
    returned = next((e for e in reversed(events) if e.action == ReturnEvent.Action.RETURNED), None)
    if returned is None or assessment_return.status == AssessmentReturn.Status.RETURNED or not any(
        e.action in (ReturnEvent.Action.SUBMITTED, ReturnEvent.Action.IMPORTED) for e in events[events.index(returned):]
    ):
        return None
    then = (
        ReturnItem.history.filter(assessment_return_id=assessment_return.pk, history_date__lte=returned.at)
        .latest_of_each().as_instances()
    )
    before = {_key(item): item for item in then}
    after = {_key(item): item for item in assessment_return.items.all()}
    categories = {c.pk: c.name for c in assessment_return.cycle.categories.all()}

    def name(item: ReturnItem) -> str:
        return item.own_wording or categories.get(item.category_id, "")

    changes = []
    for key, item in after.items():
        old = before.get(key)
        if old is None:
            changes.append(IssueChange("added", name(item), new_class=item.get_kind_display()))
            continue
        texts = [(what, mark_words(getattr(old, attribute), getattr(item, attribute)))
                 for what, attribute in (("wording", "own_wording"), ("note", "note"))
                 if getattr(old, attribute) != getattr(item, attribute)]
        if texts or old.kind != item.kind:
            changes.append(IssueChange("changed", name(item), old.get_kind_display(), item.get_kind_display(), texts))
    changes += [IssueChange("removed", name(item), old_class=item.get_kind_display())
                for key, item in before.items() if key not in after]
    return Resubmission(returned, changes)
