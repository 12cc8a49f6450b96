"""A district officer records their partnership's issues, checks the answers and submits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentReturn, MorileScore, ReturnItem

from .conftest import make_user


def url(name, assessment_return, *args):
    return reverse(f"portal:{name}", args=[assessment_return.pk, *args])


def category(assessment_return, key):
    return assessment_return.cycle.categories.get(key=key)


def add(client, assessment_return, **data):
    assessment_return.refresh_from_db()
    return client.post(url("item-add", assessment_return), {"revision": assessment_return.revision, **data})


def snapshot(assessment_return):
    """Everything an officer's change could touch, to prove a refusal changed nothing."""
    fresh = AssessmentReturn.objects.get(pk=assessment_return.pk)
    return (
        fresh.revision, fresh.status, fresh.local_signoff, fresh.submitted_at,
        list(fresh.items.values_list("pk", "category_id", "own_wording", "kind", "note", "order")),
        list(fresh.morile_scores.values_list("pk", "issue", "harm")),
    )


@pytest.fixture
def officer(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.fixture
def with_items(ashford_return):
    for order, (key, kind) in enumerate([("domestic-abuse", "main"), ("vawg", "cross_cutting"),
                                         ("road-safety", "within_theme")]):
        ReturnItem.objects.create(assessment_return=ashford_return, category=category(ashford_return, key),
                                  kind=kind, order=order)
    return ashford_return


def test_officer_sees_only_their_partnerships_open_return(officer, ashford_return, canterbury_return):
    response = officer.get(reverse("portal:home"))
    assert list(response.context["returns"]) == [ashford_return]
    # 2023-24 is closed: its returns are KCST's record now, not the officer's to see.
    assert "2023-24" not in response.content.decode()


def test_return_page_shows_the_due_date(officer, ashford_return):
    response = officer.get(url("return", ashford_return))
    assert response.status_code == 200
    assert f"{ashford_return.cycle.due_on:%-d %B %Y}" in response.content.decode()


def test_officer_adds_an_issue_from_the_category_list(officer, ashford_return):
    response = add(officer, ashford_return, category=category(ashford_return, "domestic-abuse").pk,
                   kind="main", note="Rising repeat victims")
    assert response.status_code == 302
    item = ashford_return.items.get()
    assert (item.category.key, item.kind, item.note) == ("domestic-abuse", "main", "Rising repeat victims")


def test_officer_adds_an_issue_in_their_own_words(officer, ashford_return):
    add(officer, ashford_return, own_wording="Cost of living", kind="within_theme")
    add(officer, ashford_return, own_wording="Knife crime in the town centre",
        category=category(ashford_return, "serious-violence").pk, kind="main")
    items = list(ashford_return.items.order_by("order"))
    assert [(i.own_wording, i.category_id) for i in items] == [
        ("Cost of living", None),
        ("Knife crime in the town centre", category(ashford_return, "serious-violence").pk),
    ]


def test_an_issue_needs_a_category_or_own_wording(officer, ashford_return):
    response = add(officer, ashford_return, kind="main")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.split("<title>")[1].startswith("Error: ")
    assert "There is a problem" in page
    message = "Choose a category, or write the issue in your own words"
    assert f'<a href="#id_category">{message}</a>' in page
    assert page.count(message) == 2  # In the summary and beside the field.
    assert not ashford_return.items.exists()


def test_an_issue_needs_a_class(officer, ashford_return):
    response = add(officer, ashford_return, category=category(ashford_return, "crime").pk)
    page = response.content.decode()
    assert '<a href="#id_kind">Choose the class of this issue</a>' in page
    assert 'id="id_kind"' in page  # The summary's link lands on the radios' fieldset.
    assert not ashford_return.items.exists()


def test_a_category_can_be_chosen_only_once_per_return(officer, with_items):
    before = snapshot(with_items)
    response = add(officer, with_items, category=category(with_items, "domestic-abuse").pk, kind="cross_cutting")
    page = response.content.decode()
    assert '<a href="#id_category">Domestic Abuse is already in this return: change that issue instead</a>' in page
    assert snapshot(with_items) == before


def test_a_category_of_another_cycle_is_refused(officer, ashford_return):
    old = ashford_return.cycle.previous().categories.get(key="domestic-abuse")
    response = add(officer, ashford_return, category=old.pk, kind="main")
    assert "Choose a category from the list" in response.content.decode()
    assert not ashford_return.items.exists()


def test_officer_changes_an_issue(officer, with_items):
    item = with_items.items.get(category__key="vawg")
    response = officer.post(url("item-change", with_items, item.pk), {
        "revision": with_items.revision, "category": item.category_id, "own_wording": "VAWG and stalking",
        "kind": "main", "note": "",
    })
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.own_wording, item.kind) == ("VAWG and stalking", "main")


def test_changing_an_issue_keeps_its_own_category_allowed(officer, with_items):
    item = with_items.items.get(category__key="vawg")
    response = officer.post(url("item-change", with_items, item.pk), {
        "revision": with_items.revision, "category": item.category_id, "kind": "cross_cutting",
    })
    assert response.status_code == 302


def test_officer_removes_an_issue(officer, with_items):
    item = with_items.items.get(category__key="vawg")
    response = officer.post(url("item-remove", with_items, item.pk), {"revision": with_items.revision})
    assert response.status_code == 302
    assert list(with_items.items.values_list("category__key", flat=True)) == ["domestic-abuse", "road-safety"]


def test_an_issue_removed_by_mistake_comes_back_with_undo(officer, with_items):
    item = with_items.items.get(category__key="vawg")
    page = officer.post(url("item-remove", with_items, item.pk), {"revision": with_items.revision},
                        follow=True).content.decode()
    assert "Removed “Violence Against Women and Girls (VAWG)”." in page
    undo = url("item-restore", with_items, item.pk)
    assert f'action="{undo}"' in page
    assert f'action="{undo}"' not in officer.get(url("return", with_items)).content.decode()  # offered once
    with_items.refresh_from_db()
    page = officer.post(undo, {"revision": with_items.revision}, follow=True).content.decode()
    assert "The issue is back in the return." in page
    assert list(with_items.items.values_list("category__key", "kind")) == [
        ("domestic-abuse", "main"), ("vawg", "cross_cutting"), ("road-safety", "within_theme")]


def test_undo_is_refused_for_an_issue_that_was_not_removed_or_is_back_already(officer, with_items):
    item = with_items.items.get(category__key="vawg")
    restore = url("item-restore", with_items, item.pk)
    page = officer.post(restore, {"revision": with_items.revision}, follow=True).content.decode()
    assert "That issue is not a removed issue of this return" in page
    with_items.remove_part(item, with_items.revision)
    with_items.save_part(ReturnItem(assessment_return=with_items, category=item.category, kind="main"),
                         with_items.revision)
    before = snapshot(with_items)
    page = officer.post(restore, {"revision": with_items.revision},
                        follow=True).content.decode()
    assert "Violence Against Women and Girls (VAWG) is in the return again" in page
    assert snapshot(with_items) == before


def test_officer_reorders_issues(officer, with_items):
    road = with_items.items.get(category__key="road-safety")
    officer.post(url("item-move", with_items, road.pk), {"revision": with_items.revision, "direction": "up"})
    with_items.refresh_from_db()
    domestic = with_items.items.get(category__key="domestic-abuse")
    officer.post(url("item-move", with_items, domestic.pk), {"revision": with_items.revision, "direction": "down"})
    order = list(with_items.items.order_by("order").values_list("category__key", flat=True))
    assert order == ["road-safety", "domestic-abuse", "vawg"]


def test_moving_the_first_issue_up_changes_nothing_in_the_order(officer, with_items):
    first = with_items.items.get(category__key="domestic-abuse")
    officer.post(url("item-move", with_items, first.pk), {"revision": with_items.revision, "direction": "up"})
    assert list(with_items.items.values_list("category__key", flat=True)) == ["domestic-abuse", "vawg", "road-safety"]


def officer_posts(r) -> dict[str, tuple[list, dict]]:
    """Every form an officer posts about a return: URL name, URL arguments and data."""
    item = r.items.first()
    score = r.morile_scores.first()
    morile = {"harm": "3", "likelihood": "2", "organisational_position": "1", "confidence": "high",
              "scheme_name": "MoRiLE", "scheme_version": "2"}
    return {
        "item-add": ([], {"category": category(r, "crime").pk, "kind": "main"}),
        "item-change": ([item.pk], {"category": item.category_id, "kind": "main", "note": "changed"}),
        "item-remove": ([item.pk], {}),
        "item-restore": ([item.pk], {}),
        "item-move": ([item.pk], {"direction": "down"}),
        "signoff": ([], {"local_signoff": "agreed"}),
        "morile-add": ([], {"issue": "Domestic Abuse", **morile}),
        "morile-change": ([score.pk], {"issue": "Road Safety", **morile}),
        "morile-remove": ([score.pk], {}),
        "check": ([], {}),
    }


@pytest.fixture
def filled(with_items):
    MorileScore.objects.create(assessment_return=with_items, issue="Modern slavery", harm=5, likelihood=2,
                               organisational_position=3)
    with_items.refresh_from_db()
    return with_items


@pytest.mark.parametrize("name", [
    "item-add", "item-change", "item-remove", "item-restore", "item-move", "signoff", "morile-add", "morile-change",
    "morile-remove", "check",
])
def test_every_officer_form_refuses_a_stale_copy(officer, filled, name):
    args, data = officer_posts(filled)[name]
    stale = filled.revision
    # Someone else (another officer of the partnership) changes the return in the meantime.
    filled.save_part(ReturnItem(assessment_return=filled, own_wording="Their change", kind="main"), stale)
    before = snapshot(filled)
    response = officer.post(url(name, filled, *args), {"revision": stale, **data}, follow=True)
    assert "Someone else changed this" in response.content.decode()
    assert snapshot(filled) == before


def test_a_form_without_its_revision_is_refused(officer, ashford_return):
    response = officer.post(url("item-add", ashford_return), {"category": category(ashford_return, "crime").pk,
                                                              "kind": "main"})
    assert "This page is out of date" in response.content.decode()
    assert not ashford_return.items.exists()


def test_check_your_answers_lists_everything_and_submits(officer, officer_a, with_items):
    page = officer.get(url("check", with_items)).content.decode()
    assert "Check your answers" in page
    for name in ("Domestic Abuse", "Violence Against Women and Girls (VAWG)", "Road Safety"):
        assert name in page
    response = officer.post(url("check", with_items), {"revision": with_items.revision})
    assert response["Location"] == url("submitted", with_items)
    with_items.refresh_from_db()
    assert with_items.status == "submitted"
    assert with_items.submitted_by == officer_a and with_items.submitted_at is not None
    assert not with_items.is_late
    confirmation = officer.get(response["Location"]).content.decode()
    assert "Return submitted" in confirmation and "Late" not in confirmation


def test_a_return_without_issues_cannot_be_submitted(officer, ashford_return):
    response = officer.post(url("check", ashford_return), {"revision": ashford_return.revision}, follow=True)
    assert "Add at least one issue before you submit the return." in response.content.decode()
    ashford_return.refresh_from_db()
    assert ashford_return.status == "draft"


def test_a_late_submission_is_accepted_and_flagged(officer, with_items):
    cycle = with_items.cycle
    cycle.due_on = timezone.localdate() - datetime.timedelta(days=3)
    cycle.save()
    assert "marked as late" in officer.get(url("check", with_items)).content.decode()
    response = officer.post(url("check", with_items), {"revision": with_items.revision}, follow=True)
    assert "Late" in response.content.decode()
    with_items.refresh_from_db()
    assert with_items.status == "submitted" and with_items.is_late
    assert with_items.events.get().note.startswith("After the due date")


def test_a_submitted_return_is_read_only_to_the_officer(officer, filled, officer_a):
    filled.submit(officer_a)
    filled.refresh_from_db()
    before = snapshot(filled)
    page = officer.get(url("return", filled)).content.decode()
    assert "you cannot change this return" in page and "Add an issue" not in page
    for name, (args, data) in officer_posts(filled).items():
        if name == "signoff":
            continue  # the CSP often agrees later: confirming after submission is tested in test_return_signoff
        response = officer.post(url(name, filled, *args), {"revision": filled.revision, **data}, follow=True)
        assert "it cannot be changed" in response.content.decode(), name
    assert officer.get(url("item-add", filled)).status_code == 302
    assert snapshot(filled) == before


def test_a_returned_return_shows_the_reason_and_can_be_amended(officer, officer_a, kcst, with_items):
    with_items.submit(officer_a)
    with_items.return_for_amendment(kcst, "Please map <b>own wording</b> to a category.")
    page = officer.get(url("return", with_items)).content.decode()
    assert "KCST returned this return for amendment" in page
    assert "Please map &lt;b&gt;own wording&lt;/b&gt; to a category." in page
    assert add(officer, with_items, category=category(with_items, "crime").pk, kind="main").status_code == 302
    response = officer.post(url("check", with_items), {"revision": AssessmentReturn.objects.get(pk=with_items.pk).revision})
    assert response.status_code == 302
    with_items.refresh_from_db()
    assert with_items.status == "submitted"


def test_officer_text_is_escaped_on_every_page(officer, client, ashford_return, kcst):
    add(officer, ashford_return, own_wording="<script>alert(1)</script>", kind="main", note="<img src=x>")
    for page in (url("return", ashford_return), url("check", ashford_return)):
        html = officer.get(page).content.decode()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x>" not in html
    client.force_login(kcst)
    html = client.get(reverse("portal:review", args=[ashford_return.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x>" not in html


def test_the_confirmation_page_only_follows_a_submission(officer, ashford_return):
    response = officer.get(url("submitted", ashford_return))
    assert response["Location"] == url("return", ashford_return)


def test_a_cycle_closes_to_officers_on_its_closing_day(officer, ashford_return, kcst):
    from django.test import Client

    kcst_client = Client()
    kcst_client.force_login(kcst)
    cycle = ashford_return.cycle
    dashboard = reverse("portal:cycle", args=[cycle.pk])
    for closing_day, visible in ((timezone.localdate() + datetime.timedelta(days=1), True),
                                 (timezone.localdate(), False)):
        cycle.closed_on = closing_day
        cycle.save()
        assert officer.get(url("return", ashford_return)).status_code == (200 if visible else 404), closing_day
        assert (cycle.label in officer.get(reverse("portal:home")).content.decode()) == visible, closing_day
        closed_notice = "This cycle is closed to officers." in kcst_client.get(dashboard).content.decode()
        assert closed_notice == (not visible), closing_day


def test_signing_in_lands_an_officer_on_their_return_with_due_date_and_status(client, officer_a, ashford_return):
    officer_a.set_password("correct-horse-battery")
    officer_a.save()
    response = client.post(reverse("login"), {"username": officer_a.username, "password": "correct-horse-battery"},
                           follow=True)
    assert response.redirect_chain[-1][0] == url("return", ashford_return)
    page = response.content.decode()
    assert f"{ashford_return.cycle.due_on:%-d %B %Y}" in page and "Draft" in page


def test_signing_in_lands_anyone_without_a_return_or_a_review_on_the_public_list(client, kent):
    client.force_login(make_user("no-role"))
    assert client.get(reverse("portal:landing"))["Location"] == reverse("home")


def test_a_morile_score_picks_one_of_the_returns_issues(officer, with_items):
    page = officer.get(url("morile-add", with_items)).content.decode()
    assert '<option value="Domestic Abuse">Domestic Abuse</option>' in page
    morile = {"harm": "3", "likelihood": "2", "organisational_position": "1", "confidence": "high",
              "scheme_name": "MoRiLE", "scheme_version": "2"}
    before = snapshot(with_items)
    refused = officer.post(url("morile-add", with_items), {"revision": with_items.revision, "issue": "Gangs", **morile})
    assert '<a href="#id_issue">Choose one of the issues in this return</a>' in refused.content.decode()
    assert snapshot(with_items) == before
    officer.post(url("morile-add", with_items), {"revision": with_items.revision, "issue": "Road Safety", **morile})
    assert list(with_items.morile_scores.values_list("issue", flat=True)) == ["Road Safety"]


def test_officer_reads_last_years_return_and_starts_from_it(officer, ashford_return):
    earlier = ashford_return.last_years()
    page = officer.get(url("return", ashford_return)).content.decode()
    assert f"Read your {earlier.cycle.label} return" in page
    read = officer.get(url("last-year", ashford_return)).content.decode()
    assert "Serious Violence" in read and "Start from the 2023-24 return" in read
    response = officer.post(url("start-from-last-year", ashford_return), {"revision": ashford_return.revision},
                            follow=True)
    assert "Started from the 2023-24 return" in response.content.decode()
    copied = list(ashford_return.items.values_list("category__key", "category__cycle", "kind"))
    expected = [(i.category.key, ashford_return.cycle_id, i.kind) for i in earlier.items.select_related("category")]
    assert copied == expected
    # The copy is this year's draft, which the officer edits; last year's return is unchanged.
    assert ashford_return.items.first().pk not in earlier.items.values_list("pk", flat=True)
    assert officer.get(url("item-change", ashford_return, ashford_return.items.first().pk)).status_code == 200


def test_starting_from_last_year_is_refused_once_the_return_has_issues(officer, with_items):
    before = snapshot(with_items)
    page = officer.get(url("last-year", with_items)).content.decode()
    assert "Start from the 2023-24 return" not in page
    response = officer.post(url("start-from-last-year", with_items), {"revision": with_items.revision}, follow=True)
    assert "The return already has issues" in response.content.decode()
    assert snapshot(with_items) == before


def test_removing_an_issue_asks_first_on_its_own_page(officer, with_items):
    item = with_items.items.get(category__key="vawg")
    page = officer.get(url("return", with_items)).content.decode()
    assert f'href="{url("item-remove", with_items, item.pk)}"' in page
    before = snapshot(with_items)
    confirm = officer.get(url("item-remove", with_items, item.pk)).content.decode()
    assert "Remove “Violence Against Women and Girls (VAWG)” from the return?" in confirm
    assert snapshot(with_items) == before
    officer.post(url("item-remove", with_items, item.pk), {"revision": with_items.revision})
    assert not with_items.items.filter(pk=item.pk).exists()
