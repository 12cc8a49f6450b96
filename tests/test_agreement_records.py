"""Each agreement owns its districts, partnerships and returns: importing one never touches another's."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from agreements.models import Version
from documents.pdf import document_html
from assessments.models import AssessmentReturn, District, Partnership

from .conftest import KENT_FIXTURES, import_second_agreement
from .test_backup import empty_installation, export_to, rendered_in, rendered_text

def snapshot(agreement) -> dict:
    """What a person would check of an agreement's own records: every district, partnership and return."""
    return {
        "districts": sorted(District.objects.filter(agreement=agreement).values_list("pk", "slug", "name", "former_name")),
        "partnerships": sorted(
            (p.pk, p.slug, p.name, p.active_from, p.active_to, tuple(sorted(p.districts.values_list("pk", flat=True))))
            for p in Partnership.objects.filter(agreement=agreement)
        ),
        "returns": sorted(
            AssessmentReturn.objects.filter(cycle__agreement=agreement)
            .values_list("pk", "partnership_id", "status", "revision")
        ),
        "district_history": District.history.filter(agreement=agreement).count(),
        "partnership_history": Partnership.history.filter(agreement=agreement).count(),
    }


def test_importing_a_second_agreement_with_the_same_district_names_leaves_the_first_untouched(kent):
    before = snapshot(kent)

    other = import_second_agreement(kent)

    assert snapshot(kent) == before
    ashfords = District.objects.filter(slug="ashford")
    assert sorted(ashfords.values_list("agreement__slug", "name")) == [("kent", "Ashford"), ("kent-2011", "Ashford")]
    # The second agreement's partnerships cover its own districts, and its returns are its partnerships'.
    assert set(District.objects.filter(partnerships__agreement=other).values_list("agreement", flat=True)) == {other.pk}
    returns = AssessmentReturn.objects.filter(cycle__agreement=other)
    assert returns.exists()
    assert set(returns.values_list("partnership__agreement", flat=True)) == {other.pk}


def test_loading_another_agreements_fixtures_with_the_same_districts_leaves_kent_untouched(kent, tmp_path):
    meta = json.loads((KENT_FIXTURES / "agreement.json").read_text(encoding="utf-8"))
    meta["agreement"]["slug"] = "kent-2011"
    (tmp_path / "agreement.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "returns-2023-24.json").write_text(
        (KENT_FIXTURES / "returns-2023-24.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    before = snapshot(kent)

    call_command("load_agreement", str(tmp_path), stdout=io.StringIO())

    assert snapshot(kent) == before
    other = kent._meta.model.objects.get(slug="kent-2011")
    assert other.partnerships.count() == kent.partnerships.count()
    returns = AssessmentReturn.objects.filter(cycle__agreement=other)
    assert returns.count() == 12 and set(returns.values_list("partnership__agreement", flat=True)) == {other.pk}


def test_two_agreements_may_both_have_an_ashford_but_one_agreement_only_one(kent, other_agreement):
    assert other_agreement.districts.get(slug="ashford") != kent.districts.get(slug="ashford")
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(agreement=kent, slug="ashford", name="Ashford again")


def test_a_second_agreement_round_trips_into_an_empty_database(other_agreement, tmp_path):
    export, exported = export_to(tmp_path, "kent-2011", "8.0")
    assert exported["cycles"] and {slug for c in exported["cycles"] for slug in c["returns"]} <= {
        p["slug"] for p in exported["partnerships"]
    }

    manage = empty_installation(tmp_path)
    assert "Imported Kent Community Safety Agreement (kent-2011) with 8 versions." in manage(
        "import_agreement", str(export)
    )

    original = rendered_text(document_html(Version.objects.get(agreement=other_agreement, number="8.0")))
    assert "Anti-Social Behaviour" in original
    assert rendered_in(manage, "kent-2011", "8.0") == original
