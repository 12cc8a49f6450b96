"""An agreement as it stood at one version, as one JSON document, and back.

The export holds every edition up to that version (the version-control table is cumulative), the
agreement's crests and logos, the districts and partnerships, and the assessment cycles feeding
those editions (Appendix A is computed from their returns), in the same shapes as the fixtures in
fixtures/kent. Importing it into another installation gives editions that render to the same
text. For a whole database use pg_dump and pg_restore (see the README).
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.interchange import edition_to_dict, load_edition
from agreements.images import check_image
from agreements.models import Agreement, AgreementImage, Version
from assessments.loading import load_cycle, load_partnerships
from assessments.models import AssessmentCycle, District, Partnership
from documents.snapshot import store_editions

FORMAT = "csa-refresh-agreement/1"


class ImportRefused(Exception):
    pass


def export_agreement(agreement: Agreement, up_to: Version) -> dict[str, Any]:
    versions = [
        v for v in agreement.versions.order_by("effective_year", "effective_month")
        if (v.effective_year, v.effective_month) <= (up_to.effective_year, up_to.effective_month)
    ]
    cycles = AssessmentCycle.objects.filter(version__in=versions).order_by("opens_on")
    return {
        "format": FORMAT,
        "agreement": {
            "slug": agreement.slug, "name": agreement.name, "area": agreement.area,
            "contact_html": agreement.contact_html, "paragraph_numbers": agreement.paragraph_numbers,
            "chapters_on_right": agreement.chapters_on_right,
            **{name: getattr(agreement, name) for name in Agreement.PERIOD_FIELDS},
        },
        "districts": [
            {"slug": d.slug, "name": d.name, "former_name": d.former_name}
            for d in District.objects.filter(agreement=agreement)
        ],
        "partnerships": [
            {"slug": p.slug, "name": p.name, "districts": [d.slug for d in p.districts.all()],
             "active_from": p.active_from, "active_to": p.active_to,
             "former_names": [{"name": f.name, "until": f.until} for f in p.former_names.all()]}
            for p in Partnership.objects.filter(agreement=agreement).prefetch_related("districts", "former_names")
        ],
        # Its crests and logos as their stored bytes, checked again like any upload on import.
        "images": [
            {"name": i.name, "alt": i.alt, "content": base64.b64encode(i.content()).decode("ascii")}
            for i in agreement.images.all()
        ],
        "editions": [edition_to_dict(v) for v in versions],
        "cycles": [cycle_to_dict(c) for c in cycles],
    }


def cycle_to_dict(cycle: AssessmentCycle) -> dict[str, Any]:
    returns = cycle.returns.select_related("partnership").prefetch_related("items__category")
    return {
        "cycle": cycle.label,
        "version": cycle.version.number if cycle.version else "",
        "opens_on": cycle.opens_on.isoformat(),
        "due_on": cycle.due_on.isoformat(),
        "illustrative": bool(cycle.description),
        "other_focus_areas": cycle.other_focus_areas,
        "categories": [
            {"key": c.key, "name": c.name, "includes": c.includes} for c in cycle.categories.all()
        ],
        "returns": {
            r.partnership.slug: [
                {"category": i.category.key, "class": i.kind, "own_wording": i.own_wording, "note": i.note}
                for i in r.items.all() if i.category is not None
            ]
            for r in returns
        },
        "statuses": {r.partnership.slug: r.status for r in returns},
        "provisional": [r.partnership.slug for r in returns if r.is_provisional],
    }


@transaction.atomic
def import_agreement(data: dict[str, Any]) -> Agreement:
    """All or nothing: a refused or failed import leaves the database as it was."""
    if data.get("format") != FORMAT:
        raise ImportRefused(f"This is not a CSA Refresh agreement export (expected format {FORMAT}).")
    meta = data["agreement"]
    if Agreement.objects.filter(slug=meta["slug"]).exists():
        raise ImportRefused(
            f"An agreement called {meta['slug']!r} already exists here. Import into an installation without it."
        )
    agreement = Agreement.objects.create(**meta)
    load_partnerships(agreement, data)
    for image in data.get("images", []):
        record = AgreementImage(agreement=agreement, name=image["name"], alt=image["alt"])
        try:
            record.take(check_image(base64.b64decode(image["content"])))
        except ValidationError as refusal:
            raise ImportRefused(f"The image {image['name']!r}: {' '.join(refusal.messages)}") from None
        record.save()
    for edition in data["editions"]:
        load_edition(agreement, edition)
    for cycle in data["cycles"]:
        load_cycle(agreement, cycle, aliases={})
    # As loading does: the published editions are stored as they will be served, after the returns
    # their Appendix A is built from.
    store_editions(agreement)
    return agreement
