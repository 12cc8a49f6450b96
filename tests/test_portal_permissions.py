"""Only a partnership's own officers reach its return: every other person gets a 404 and changes nothing."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentReturn, MorileScore, ReturnItem

from .test_portal import officer_posts, snapshot

GET_PAGES = ["return", "item-add", "item-change", "signoff", "morile-add", "morile-change", "check", "submitted"]


@pytest.fixture
def ashford(ashford_return):
    crime = ashford_return.cycle.categories.get(key="crime")
    ReturnItem.objects.create(assessment_return=ashford_return, category=crime, kind="main")
    MorileScore.objects.create(assessment_return=ashford_return, issue="Gangs", harm=4, likelihood=3,
                               organisational_position=2)
    ashford_return.refresh_from_db()
    return ashford_return


def page_args(r, name):
    """The URL arguments for a GET page: the return, and an item or score where the page needs one."""
    if name == "item-change":
        return [r.items.first().pk]
    if name == "morile-change":
        return [r.morile_scores.first().pk]
    return []


@pytest.fixture(params=["officer_b", "kcsp_member", "kcst", "anonymous"])
def outsider(request, client):
    if request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return request.param, client


def refused(who, response):
    if who == "anonymous":
        return response.status_code == 302 and response["Location"].startswith(reverse("login"))
    return response.status_code == 404


def test_no_one_else_can_open_any_page_of_a_partnerships_return(outsider, ashford, officer_a):
    who, client = outsider
    for name in GET_PAGES:
        response = client.get(reverse(f"portal:{name}", args=[ashford.pk, *page_args(ashford, name)]))
        assert refused(who, response), (name, response.status_code)
        assert b"Ashford" not in response.content


def test_no_one_else_can_change_a_partnerships_return(outsider, ashford, officer_a):
    who, client = outsider
    before = snapshot(ashford)
    for name, (args, data) in officer_posts(ashford).items():
        response = client.post(reverse(f"portal:{name}", args=[ashford.pk, *args]),
                               {"revision": ashford.revision, **data})
        assert refused(who, response), (name, response.status_code)
    assert snapshot(ashford) == before


def test_no_one_else_can_open_a_submitted_returns_confirmation(outsider, ashford, officer_a):
    ashford.submit(officer_a)
    who, client = outsider
    assert refused(who, client.get(reverse("portal:submitted", args=[ashford.pk])))


def test_officer_cannot_reach_another_returns_item_or_score_through_their_own(client, officer_a, ashford,
                                                                              canterbury_return):
    theirs = ReturnItem.objects.create(
        assessment_return=canterbury_return, own_wording="Canterbury's issue", kind="main"
    )
    their_score = MorileScore.objects.create(assessment_return=canterbury_return, issue="Theirs", harm=1,
                                             likelihood=1, organisational_position=1)
    client.force_login(officer_a)
    before = snapshot(canterbury_return), snapshot(ashford)
    data = {"revision": ashford.revision, "category": "", "own_wording": "Taken over", "kind": "main",
            "direction": "up", "issue": "Taken", "harm": "1", "likelihood": "1", "organisational_position": "1",
            "confidence": "low", "scheme_name": "MoRiLE", "scheme_version": "1"}
    for name, pk in [("item-change", theirs.pk), ("item-remove", theirs.pk), ("item-move", theirs.pk),
                     ("morile-change", their_score.pk), ("morile-remove", their_score.pk)]:
        assert client.get(reverse(f"portal:{name}", args=[ashford.pk, pk])).status_code in (404, 405)
        assert client.post(reverse(f"portal:{name}", args=[ashford.pk, pk]), data).status_code == 404, name
    assert (snapshot(canterbury_return), snapshot(ashford)) == before


def test_officer_cannot_open_another_partnerships_return(client, officer_a, canterbury_return):
    client.force_login(officer_a)
    assert client.get(reverse("portal:return", args=[canterbury_return.pk])).status_code == 404


def test_officer_cannot_open_their_own_return_of_a_closed_cycle(client, officer_a, kent):
    closed = AssessmentReturn.objects.get(cycle__label="2023-24", partnership__slug="ashford")
    client.force_login(officer_a)
    assert client.get(reverse("portal:return", args=[closed.pk])).status_code == 404
    assert client.post(reverse("portal:check", args=[closed.pk]), {"revision": closed.revision}).status_code == 404
    closed.refresh_from_db()
    assert closed.status == "accepted"


def kcst_urls(r):
    cycle = r.cycle_id
    return [
        ("get", reverse("portal:kcst"), {}),
        ("get", reverse("portal:cycle-open"), {}),
        ("post", reverse("portal:cycle-open"), {"agreement": r.cycle.agreement_id, "label": "2030-31",
                                                "opens_on": "2030-09-01", "due_on": "2031-01-31"}),
        ("get", reverse("portal:cycle", args=[cycle]), {}),
        ("get", reverse("portal:appendix-a", args=[cycle]), {}),
        ("get", reverse("portal:export-csv", args=[cycle]), {}),
        ("get", reverse("portal:export-xlsx", args=[cycle]), {}),
        ("get", reverse("portal:import", args=[cycle]), {}),
        ("get", reverse("portal:review", args=[r.pk]), {}),
        ("post", reverse("portal:accept", args=[r.pk]), {"revision": r.revision}),
        ("post", reverse("portal:return-for-amendment", args=[r.pk]), {"revision": r.revision, "reason": "x"}),
    ]


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "kcsp_member", "working_group_member", "anonymous"])
def test_only_kcst_reaches_the_kcst_pages(request, client, ashford, officer_a, who):
    ashford.submit(officer_a)
    ashford.refresh_from_db()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = snapshot(ashford)
    for method, path, data in kcst_urls(ashford):
        response = getattr(client, method)(path, data)
        if who == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), path
        else:
            assert response.status_code == 403, path
    assert snapshot(ashford) == before
    assert not ashford.cycle.agreement.cycles.filter(label="2030-31").exists()
