"""Setting up an agreement's edition through a screen: a new draft to write, or a record of a past one.

A new edition starts blank or with the chapter structure (titles, labels, generated blocks, not the
text) of any existing edition of any agreement. A past edition is recorded as it was signed off: the
steps of its route on the dates they happened, ending published.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .interchange import load_content, load_edition
from .models import Agreement, Version
from .roles import KCST_STAFF, grant
from .signals import draft_started
from .workflow import record_past_route


class SetUpRefused(Exception):
    """The edition cannot be set up as asked; nothing was created."""


@dataclass(frozen=True)
class PastSignOff:
    """The dates a past edition's sign-off took; only `published_on` is required."""

    published_on: datetime.date
    working_group_on: datetime.date | None = None
    consulted_on: datetime.date | None = None
    agreed_on: datetime.date | None = None
    minute: str = ""
    sources: str = ""

    def steps(self) -> list[tuple[str, datetime.date, str]]:
        S = Version.Status
        route = [
            (S.WORKING_GROUP_REVIEW, self.working_group_on, ""),
            (S.KCSP_CONSULTATION, self.consulted_on, ""),
            (S.AGREED, self.agreed_on, self.minute),
            (S.PUBLISHED, self.published_on, ""),
        ]
        return [(status, on, minute) for status, on, minute in route if on is not None]


def chapter_structure(version: Version) -> list[dict]:
    """The chapters of an edition without their text: what a new agreement may start from."""
    return [
        {"key": c.key, "kind": c.kind, "label": c.label, "title": c.title, "generated": c.generated,
         "block_heading": c.block_heading}
        for c in version.chapters.all()
    ]


def set_up_edition(
    agreement: Agreement,
    *,
    number: str,
    effective_month: int,
    effective_year: int,
    structure_from: Version | None = None,
    past: PastSignOff | None = None,
    by=None,
) -> Version:
    """Create the edition, or raise SetUpRefused saying why; a draft takes over the open assessment cycle."""
    data = {
        "number": number,
        "effective": {"month": effective_month, "year": effective_year},
        "chapters": chapter_structure(structure_from) if structure_from else [],
    }
    try:
        with transaction.atomic():
            if agreement.pk is None:
                agreement.save()
                if by is not None:
                    # Whoever sets up an agreement runs it: without the role they could not see it.
                    grant(by, KCST_STAFF, agreement)
            agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
            if agreement.versions.filter(number=number).exists():
                raise SetUpRefused(f"The {agreement.name} already has a version {number}.")
            open_version = agreement.open_version()
            if past is None and open_version is not None:
                raise SetUpRefused(
                    f"Version {open_version.number} of the {agreement.name} is still open "
                    f"({open_version.get_status_display()}): publish it before starting another draft."
                )
            if past is None:
                version = load_edition(agreement, data, status=Version.Status.DRAFT, user=by)
                draft_started.send(sender=Version, version=version)
                return version
            # Stored at its final status from the start, so it never counts as a second open draft.
            version = Version(agreement=agreement, number=number, effective_month=effective_month,
                              effective_year=effective_year, historical=True, sources=past.sources)
            record_past_route(version, past.steps(), past.sources or "Recorded as a past edition.", by=by)
            load_content(version, data, user=by)
            return version
    except IntegrityError:
        raise SetUpRefused(
            f"Another edition of the {agreement.name} was set up at the same time. Reload to see it."
        ) from None
