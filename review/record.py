"""The review of a published edition as a record: the comparison its review page showed at
publication is stored then, in the publishing transaction (`edition_published`), and read back
afterwards instead of comparing again, so later changes to the data or to the comparing code leave
it as it was.
"""

from __future__ import annotations

import dataclasses
import json

from django.dispatch import receiver
from django.utils.safestring import SafeString, mark_safe

from agreements.models import Version
from agreements.signals import edition_published

from .marked import MarkedEdition, edition_of, historical_record, marked_edition, records_between
from .models import PublishedComparison
from .targets import Target

# Kept live rather than stored: the editions to compare with include those published later,
# nothing is proposed or commented on a published edition, and the historical records between the
# two editions compared are records, which never change.
NOT_STORED = ("editions", "proposals", "comment_fields_html", "records", "record")


def store(version: Version) -> PublishedComparison:
    base = version.previous_published()
    marked = dataclasses.asdict(marked_edition(version, base))
    for name in NOT_STORED:
        del marked[name]
    return PublishedComparison.objects.create(
        version=version, base=base, marked_json=json.dumps(marked, ensure_ascii=False, sort_keys=True)
    )


def stored(version: Version) -> tuple[MarkedEdition, Version | None] | None:
    """The comparison as published and the edition it was made against; None if none was stored
    (an edition published before comparisons were kept, or recorded without a review)."""
    record = PublishedComparison.objects.select_related("base").filter(version=version).first()
    if record is None:
        return None
    marked = json.loads(record.marked_json)
    # The HTML was rendered, and escaped, by our templates when the edition was published.
    html = {name: mark_safe(value) for name, value in marked.items() if name.endswith("_html")}
    # A comparison stored before paragraphs' comments were placed beside them has no paragraphs.
    paragraphs = {key: Target(**target) for key, target in marked.pop("paragraphs", {}).items()}
    between = records_between(record.base, version)
    return MarkedEdition(
        **(marked | html), proposals=[], comment_fields_html=SafeString(), paragraphs=paragraphs,
        editions=[edition_of(e) for e in version.agreement.versions.all()],
        records=[edition_of(r) for r in between], record=historical_record(between[-1], version) if between else None,
    ), record.base


@receiver(edition_published, dispatch_uid="review-comparison-at-publication")
def store_at_publication(sender, version: Version, past: bool = False, **kwargs) -> None:
    """Sent in the transaction that publishes the edition. An edition loaded or recorded as past
    had no review page, so it keeps no comparison."""
    if not past:
        store(version)
