"""Starting the next refresh: a new draft copied from the latest published edition."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .interchange import edition_to_dict, load_edition
from .models import Agreement, Version
from .signals import draft_started


class RefreshRefused(Exception):
    pass


def start_next_refresh(agreement: Agreement, by=None) -> Version:
    try:
        with transaction.atomic():
            # Serialises two officers pressing the button at once.
            agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
            open_version = agreement.open_version()
            if open_version is not None:
                raise RefreshRefused(
                    f"Version {open_version.number} of the {agreement.name} is still open "
                    f"({open_version.get_status_display()}). Publish it before starting the next refresh."
                )
            source = agreement.latest_published()
            if source is None:
                raise RefreshRefused(f"The {agreement.name} has no published edition to start from.")
            data = edition_to_dict(source)
            year = source.effective_year + 1
            data["change_notes"] = [
                {"section": "", "text": f"Refreshed {agreement.name}"},
                {"section": "", "text": f"Effective date changed to {source.get_effective_month_display()} {year}"},
            ]
            data["historical"] = False
            # Merges and splits say how the source differs from the edition before it, not the new draft.
            data["lineages"] = []
            data["sources"] = ""
            version = load_edition(
                agreement, data, number=source.next_number(), effective_year=year, based_on=source,
                status=Version.Status.DRAFT, user=by,
            )
            draft_started.send(sender=Version, version=version)
            return version
    except IntegrityError:
        # The one-open-version constraint caught a refresh started at the same moment.
        raise RefreshRefused(
            f"Another refresh of the {agreement.name} was started at the same time. Reload to see it."
        ) from None
