"""KCST corrects an accepted return with a new record that says what it corrects and why: drafts'
Appendix A counts it, a published edition never changes, and only KCST and the return's own officers
see it."""

import pytest
from django.db import transaction
from django.urls import reverse

from assessments.aggregation import appendix_a
from assessments.corrections import correct, current_issues
from assessments.models import AssessmentCycle, AssessmentReturn, CorrectedIssue, ReturnCorrection, ReturnKept
from documents.data import build_document

from .conftest import make_officer
from .test_accepted_returns_kept import accepted  # noqa: F401  (fixture)
from .test_portal import snapshot
from .test_published_final import publish, served

REASON = "The CSP's e-mail of 3 May: Crime was mapped to the wrong category."


@pytest.fixture
def ashford_2023():
    return AssessmentReturn.objects.select_related("cycle", "partnership").get(
        cycle__label="2023-24", partnership__slug="ashford")


def unnamed_category(assessment_return):
    named = [issue.category_id for issue in current_issues(assessment_return)]
    return assessment_return.cycle.categories.exclude(pk__in=named).order_by("order").first()


def moved(assessment_return, kcst, seen: int = 0) -> ReturnCorrection:
    """Corrects the return's first issue to a category it does not name."""
    first = current_issues(assessment_return)[0]
    return correct(assessment_return, kcst, REASON, at=0, category=unnamed_category(assessment_return),
                   own_wording="", kind=first.kind, seen=seen)


def test_kcst_corrects_an_accepted_return_on_its_page_and_the_drafts_appendix_a_counts_it(
        client, kcst, draft, ashford_2023):
    cycle = ashford_2023.cycle
    assert cycle.version == draft
    before, returned = appendix_a(cycle).counts(), snapshot(ashford_2023)
    first = current_issues(ashford_2023)[0]
    wrong, right = first.category, unnamed_category(ashford_2023)
    client.force_login(kcst)
    review = reverse("portal:review", args=[ashford_2023.pk])
    assert reverse("portal:correct", args=[ashford_2023.pk]) in client.get(review).content.decode()

    response = client.post(reverse("portal:correct", args=[ashford_2023.pk]), {
        "seen": 0, "issue": "0", "category": right.pk, "own_wording": "", "kind": first.kind, "reason": REASON,
    }, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == review
    assert f"{wrong.name} (" in page and f"corrected to {right.name}" in page and "3 May" in page
    (correction,) = ashford_2023.corrections.all()
    assert (correction.by, correction.reason) == (kcst, REASON)
    assert snapshot(ashford_2023) == returned  # the return stays as accepted
    after = appendix_a(cycle).counts()
    assert after.get(wrong.key, 0) == before[wrong.key] - 1
    assert after[right.key] == before.get(right.key, 0) + 1
    table = appendix_a(cycle)
    assert [(row.label, row.csps) for row in build_document(draft).appendix_a.rows] == [
        (row.label, row.csps) for row in table.rows]


def test_a_correction_after_publication_leaves_the_published_edition_as_published(
        client, kcst, draft, ashford_2023):
    published = publish(draft, kcst)
    page, download = served(client, published)
    before = appendix_a(ashford_2023.cycle).counts()

    moved(ashford_2023, kcst)

    assert appendix_a(ashford_2023.cycle).counts() != before
    assert served(client, published) == (page, download)
    assert REASON.encode() not in page
    with pytest.raises(ReturnKept, match=r"fed the published edition .*8\.0"), transaction.atomic():
        AssessmentReturn.objects.get(pk=ashford_2023.pk).return_for_amendment(kcst, "Too late.")


def test_the_correction_page_names_the_partnership_as_it_was_called_in_the_returns_cycle(client, kcst):
    shepway = AssessmentReturn.objects.get(cycle__label="2017-18", partnership__slug="folkestone-hythe")
    client.force_login(kcst)
    page = client.get(reverse("portal:correct", args=[shepway.pk])).content.decode()
    name = "Shepway Community Safety Partnership (now Folkestone and Hythe Community Safety Partnership)"
    assert f"<title>Correct the return: {name} 2017-18 - CSA Refresh</title>" in page
    assert f"<h1>Correct the return: {name}</h1>" in page


@pytest.mark.parametrize("post, field, message", [
    ({"reason": ""}, "reason", "Say why the return is corrected"),
    ({"category": "", "own_wording": ""}, "category", "Choose a category, or write the issue"),
    ({"issue": "new", "kind": "remove"}, "kind", "A new issue cannot be removed"),
    ({"issue": "", }, "issue", "Choose the issue to correct"),
    ({"own_wording": "Two\nlines"}, "own_wording", "Write the issue in the partnership"),
])
def test_bad_input_names_the_field_and_saves_nothing(client, kcst, accepted, post, field, message):
    first = current_issues(accepted)[0]
    client.force_login(kcst)
    data = {"seen": 0, "issue": "0", "category": first.category_id, "own_wording": "Own words", "kind": first.kind,
            "reason": REASON} | post
    response = client.post(reverse("portal:correct", args=[accepted.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert f'href="#id_{field}">{message}' in page
    assert not ReturnCorrection.objects.exists()


def test_a_correction_that_changes_nothing_or_repeats_a_category_is_refused(client, kcst, accepted):
    first = current_issues(accepted)[0]
    other = accepted.cycle.categories.exclude(pk=first.category_id).first()
    correct(accepted, kcst, REASON, at=None, category=other, own_wording="", kind="main", seen=0)
    client.force_login(kcst)
    url = reverse("portal:correct", args=[accepted.pk])
    seen = accepted.corrections.get().pk
    same = {"seen": seen, "issue": "0", "category": first.category_id, "own_wording": "", "kind": first.kind,
            "reason": REASON}
    assert "The correction changes nothing" in client.post(url, same).content.decode()
    assert "is already one of the return" in client.post(url, same | {"category": other.pk}).content.decode()
    assert ReturnCorrection.objects.count() == 1


def test_a_correction_made_from_an_older_page_is_refused(client, kcst, accepted):
    moved(accepted, kcst)
    client.force_login(kcst)
    response = client.post(reverse("portal:correct", args=[accepted.pk]), {
        "seen": 0, "issue": "0", "category": "", "own_wording": "Mine", "kind": "main", "reason": "Mine",
    })
    assert "Someone else corrected this return" in response.content.decode()
    assert ReturnCorrection.objects.count() == 1


def test_only_an_accepted_return_is_corrected(client, kcst, ashford_return):
    client.force_login(kcst)
    assert client.get(reverse("portal:correct", args=[ashford_return.pk])).status_code == 404


def test_a_correction_is_kept_as_written_and_a_corrected_return_does_not_go_back_for_amendment(kcst, accepted):
    correction = moved(accepted, kcst)
    issue = correction.issues.first()
    for change in (correction.save, correction.delete, ReturnCorrection.objects.all().delete,
                   lambda: ReturnCorrection.objects.update(reason="Rewritten"), issue.save, issue.delete,
                   CorrectedIssue.objects.all().delete, lambda: CorrectedIssue.objects.update(kind="main")):
        with pytest.raises(ReturnKept, match="kept as written"), transaction.atomic():
            change()
    with pytest.raises(ReturnKept, match="has been corrected"), transaction.atomic():
        AssessmentReturn.objects.get(pk=accepted.pk).return_for_amendment(kcst, "Send it back.")
    assert ReturnCorrection.objects.get().reason == REASON


def test_the_returns_own_officer_sees_the_correction_and_no_one_else_outside_kcst_does(
        client, kcst, accepted, officer_a, canterbury_return):
    moved(accepted, kcst)
    own_page = reverse("portal:return", args=[accepted.pk])
    client.force_login(officer_a)
    page = client.get(own_page).content.decode()
    assert "Corrections after acceptance" in page and REASON.replace("'", "&#x27;") in page
    assert client.get(reverse("portal:correct", args=[accepted.pk])).status_code == 403

    other = make_officer("canterbury")
    client.force_login(other)
    assert client.get(own_page).status_code == 404
    assert client.get(reverse("portal:review", args=[accepted.pk])).status_code == 403
    assert client.get(reverse("portal:correct", args=[accepted.pk])).status_code == 403
    assert "Corrections after acceptance" not in client.get(
        reverse("portal:return", args=[canterbury_return.pk])).content.decode()

    client.logout()
    for url in (own_page, reverse("portal:correct", args=[accepted.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_kcst_of_another_agreement_cannot_correct_kents_return(client, accepted, other_agreement):
    from agreements import roles

    from .conftest import make_user

    outsider = make_user("kcst-of-the-other", roles.KCST_STAFF, agreement=other_agreement, is_staff=True)
    client.force_login(outsider)
    assert client.get(reverse("portal:correct", args=[accepted.pk])).status_code == 404
    assert not ReturnCorrection.objects.exists()
    assert AssessmentCycle.objects.filter(agreement=other_agreement).exists()
