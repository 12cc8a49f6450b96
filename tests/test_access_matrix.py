"""Every URL the application serves, against every role, with the status each must get.

The list of URLs comes from the URL configuration itself: a URL added later without a row here
fails `test_every_url_has_a_row`. Each request that could change something runs in a savepoint
that is rolled back, so every role meets the same data.

A second agreement (Kent's name, districts and partnerships under the slug kent-2011) has its own
cast, a user of each role; none of them reaches any of Kent's records on any URL.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.two_factor import new_recovery_codes
from agreements import images, roles
from documents import views as agreement_views
from agreements.models import AgreementImage, EditionContent, Footnote, Signatory, Version
from agreements.workflow import record_past_status
from annual_review.models import Proposal, Recommendation
from annual_review.workflow import start_review
from assessments.cycles import open_cycle
from assessments.models import AssessmentCycle, AssessmentReturn, MorileScore, ReturnItem
from delivery.models import ActionUpdate, Indicator, IndicatorValue, Meeting
from review.models import Comment

from .conftest import authenticator_app, make_officer, make_user
from .delivery_cast import make_action, make_lead

ROLES = ["anonymous", "officer_a", "officer_b", "kcsp_member", "kcst", "superuser"]
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page

# status for: anonymous, officer of CSP A (Ashford), officer of CSP B, KCSP member, KCST staff, superuser
PUBLIC = (200, 200, 200, 200, 200, 200)
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
DRAFT_READERS = (404, 404, 404, 200, 200, 200)
REVIEWERS = (LOGIN, 404, 404, 200, 200, 200)
KCST_ONLY = (LOGIN, 404, 404, 404, 200, 200)
KCST_REDIRECT = (LOGIN, 404, 404, 404, 302, 302)
KCST_PORTAL = (LOGIN, 403, 403, 403, 200, 200)
KCST_PORTAL_POST = (LOGIN, 403, 403, 403, 302, 302)
# The draft is in review, so KCST (and a superuser) are told it cannot be edited; others find nothing.
DRAFT_EDITOR = (LOGIN, 404, 404, 404, 403, 403)
OWN_RETURN = (LOGIN, 200, 404, 404, 404, 404)
OWN_RETURN_POST = (LOGIN, 302, 404, 404, 404, 404)
STAFF = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)

# name: (method, expected statuses). Admin URLs follow ADMIN_RULES below.
MATRIX = {
    "home": ("get", PUBLIC),
    "favicon": ("get", (301, 301, 301, 301, 301, 301)),
    "login": ("get", PUBLIC),
    "logout": ("post", (302, 302, 302, 302, 302, 302)),
    "edition": ("get", DRAFT_READERS),
    "edition_pdf": ("get", DRAFT_READERS),
    "review": ("get", REVIEWERS),
    "compare": ("get", REVIEWERS),
    "add_comment": ("post", (LOGIN, 404, 404, 302, 404, 302)),
    "comment_on": ("get", (LOGIN, 404, 404, 200, 404, 200)),
    # Members' own page (a superuser holds every role; having no settings, they choose nothing there).
    "reviews_home": ("get", (LOGIN, 404, 404, 200, 404, 200)),
    "choose_replies": ("post", (LOGIN, 404, 404, 302, 404, 404)),
    "edit_comment": ("get", (LOGIN, 404, 404, 200, 404, 404)),
    "delete_comment": ("post", (LOGIN, 404, 404, 302, 404, 404)),
    "answer_comment": ("get", KCST_ONLY),
    "unresolved_comments": ("get", KCST_ONLY),
    "accept_proposal": ("post", KCST_REDIRECT),
    "discard_proposal": ("post", KCST_REDIRECT),
    "recent_changes": ("get", KCST_ONLY),
    # A crest or logo, by the hash of its bytes: logos are public material, whoever asks (agreements/images.py).
    "agreement_image": ("get", PUBLIC),
    # The annual review of the open cycle, a draft: its readers, and KCST who write it.
    "annual_review:reviews": ("get", REVIEWERS),
    "annual_review:review": ("get", REVIEWERS),
    "annual_review:report": ("get", REVIEWERS),
    "annual_review:review_pdf": ("get", REVIEWERS),
    "annual_review:report_pdf": ("get", REVIEWERS),
    "annual_review:comment": ("post", (LOGIN, 404, 404, 404, 404, 404)),  # nobody comments on a draft
    "annual_review:edit_texts": ("get", KCST_ONLY),
    "annual_review:edit_evidence": ("get", KCST_ONLY),
    "annual_review:add_proposal": ("get", KCST_ONLY),
    "annual_review:edit_proposal": ("get", KCST_ONLY),
    "annual_review:delete_proposal": ("post", KCST_REDIRECT),
    "annual_review:add_recommendation": ("get", KCST_ONLY),
    "annual_review:edit_recommendation": ("get", KCST_ONLY),
    "annual_review:delete_recommendation": ("post", KCST_REDIRECT),
    "annual_review:prefill_recommendations": ("post", KCST_REDIRECT),
    "annual_review:send_for_review": ("post", KCST_REDIRECT),
    "annual_review:back_to_draft": ("post", KCST_REDIRECT),
    "annual_review:record_decision": ("get", KCST_REDIRECT),  # only once it is in review
    "annual_review:apply": ("post", KCST_REDIRECT),
    "annual_review:publish": ("post", KCST_REDIRECT),
    "account": ("get", SIGNED_IN),
    # Everyone in the matrix has given whatever second factor they owe, so the code page sends them on;
    # the half-signed-in are tested in test_two_factor.py.
    "two_factor": ("get", (LOGIN, 302, 302, 302, 302, 302)),
    "two_factor_setup": ("get", (LOGIN, 200, 200, 200, 302, 302)),  # KCST's app is set up already
    "recovery_codes": ("get", (LOGIN, 302, 302, 302, 302, 302)),  # shown once, right after they are made
    "renew_recovery_codes": ("post", (LOGIN, 302, 302, 302, 302, 302)),
    "password_change": ("get", SIGNED_IN),
    "password_change_done": ("get", SIGNED_IN),
    "password_reset": ("get", PUBLIC),
    "password_reset_done": ("get", PUBLIC),
    "password_reset_confirm": ("get", PUBLIC),  # a made-up link: the page says it does not work
    "password_reset_complete": ("get", PUBLIC),
    "edit_chapter": ("get", DRAFT_EDITOR),
    "add_paragraph": ("get", DRAFT_EDITOR),
    "add_note": ("get", DRAFT_EDITOR),
    "edit_paragraph": ("get", DRAFT_EDITOR),
    "move_paragraph": ("post", DRAFT_EDITOR),
    "delete_paragraph": ("post", DRAFT_EDITOR),
    "edit_note": ("get", DRAFT_EDITOR),
    "delete_note": ("post", DRAFT_EDITOR),
    "portal:home": ("get", (LOGIN, 200, 200, 200, 200, 200)),  # others are told they have no return
    "portal:landing": ("get", (LOGIN, 302, 302, 302, 302, 302)),
    "desk:kcst": ("get", KCST_ONLY),
    "portal:return": ("get", OWN_RETURN),
    "portal:item-add": ("get", OWN_RETURN),
    "portal:item-change": ("get", OWN_RETURN),
    "portal:item-remove": ("post", OWN_RETURN_POST),
    "portal:item-move": ("post", OWN_RETURN_POST),
    "portal:item-restore": ("post", OWN_RETURN_POST),
    "portal:signoff": ("get", OWN_RETURN),
    "portal:last-year": ("get", OWN_RETURN),
    "portal:start-from-last-year": ("post", OWN_RETURN_POST),
    "portal:morile-add": ("get", OWN_RETURN),
    "portal:morile-change": ("get", OWN_RETURN),
    "portal:morile-remove": ("post", OWN_RETURN_POST),
    "portal:check": ("get", OWN_RETURN),
    "portal:submitted": ("get", (LOGIN, 302, 404, 404, 404, 404)),
    "portal:kcst": ("get", KCST_PORTAL),
    "portal:cycle-open": ("get", KCST_PORTAL),
    "portal:cycle": ("get", KCST_PORTAL),
    "portal:appendix-a": ("get", KCST_PORTAL),
    "portal:export-csv": ("get", KCST_PORTAL),
    "portal:export-xlsx": ("get", KCST_PORTAL),
    "portal:table-csv": ("get", KCST_PORTAL),
    "portal:table-xlsx": ("get", KCST_PORTAL),
    "portal:import": ("get", KCST_PORTAL),
    "portal:review": ("get", KCST_PORTAL),
    "portal:remind": ("get", KCST_PORTAL),
    "portal:accept": ("post", KCST_PORTAL_POST),
    # The return is still a draft, so KCST is shown the form again with the reason it cannot be returned.
    "portal:return-for-amendment": ("post", KCST_PORTAL),
    # Only an accepted return is corrected: KCST find nothing to correct in the draft.
    "portal:correct": ("get", (LOGIN, 403, 403, 403, 404, 404)),
    # The action plan: KCST reach every action, a priority lead their own (LEAD below), others nothing.
    "delivery:lead-home": ("get", SIGNED_IN),
    "delivery:action": ("get", KCST_ONLY),
    "delivery:post-update": ("get", KCST_ONLY),
    "delivery:edit-action": ("get", KCST_ONLY),
    "delivery:edit-update": ("get", KCST_ONLY),
    "delivery:monitoring": ("get", REVIEWERS),
    "delivery:monitoring-pdf": ("get", REVIEWERS),
    "delivery:achievements": ("get", KCST_ONLY),
    "delivery:accept-achievement": ("post", KCST_REDIRECT),
    "delivery:discard-achievement": ("post", KCST_REDIRECT),
    "delivery:indicator": ("get", KCST_ONLY),
    "delivery:add-value": ("get", KCST_ONLY),
    "delivery:import-values": ("get", KCST_ONLY),
}

# A priority lead holds no other role: everywhere they get what an officer of another partnership
# gets, except on the action plan's pages, where the URLs name their own priority's action and update.
LEAD = {
    "delivery:lead-home": 200,
    "delivery:action": 200,
    "delivery:post-update": 200,
    "delivery:edit-action": 200,
    "delivery:edit-update": 200,
    "delivery:monitoring": 404,
    "delivery:monitoring-pdf": 404,
    "delivery:achievements": 404,
    "delivery:accept-achievement": 404,
    "delivery:discard-achievement": 404,
    "delivery:indicator": 200,
    "delivery:add-value": 200,
    "delivery:import-values": 200,
}

# The admin is for staff: everyone else is sent to its sign-in page. These are the exceptions.
ADMIN_RULES = {
    "admin:login": ("get", (200, 200, 200, 200, 302, 302)),
    "admin:logout": ("post", (302, 302, 302, 302, 302, 302)),
    "admin:jsi18n": ("get", STAFF),
    # The set-up screen: a new agreement, a new draft or a past edition (agreements/admin_setup.py).
    "admin:agreements_version_add": ("get", STAFF),
    "admin:assessments_assessmentreturn_add": ("get", (ADMIN_LOGIN,) * 4 + (403, 403)),
    # Annual reviews are started on their agreement's reviews page (annual_review/admin.py).
    "admin:annual_review_annualreview_add": ("get", (ADMIN_LOGIN,) * 4 + (403, 403)),
    # An image no edition prints yet may be deleted (one an edition prints is refused: test_agreement_images.py).
    "admin:agreements_agreementimage_delete": ("get", STAFF),
    "admin:agreements_version_refresh": ("post", (ADMIN_LOGIN,) * 4 + (302, 302)),
    "admin:agreements_version_scrutiny": ("post", (ADMIN_LOGIN,) * 4 + (302, 302)),
    # Posted from a draft version's page only (tests/test_admin_desk.py).
    "admin:assessments_assessmentcycle_feed": ("get", (ADMIN_LOGIN,) * 4 + (403, 403)),
    "admin:agreements_version_transition": ("get", (ADMIN_LOGIN,) * 4 + (403, 403)),
    "admin:view_on_site": ("get", (ADMIN_LOGIN,) * 4 + (404, 404)),
    "admin:autocomplete": ("get", (ADMIN_LOGIN,) * 4 + (403, 403)),
    "admin:password_change": ("get", STAFF),
    "admin:password_change_done": ("get", STAFF),
    # Device keys are never shown, not even to a superuser (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "admin:otp_totp_totpdevice_config": ("get", (ADMIN_LOGIN,) * 4 + (403, 403)),
    "admin:otp_totp_totpdevice_qrcode": ("get", (ADMIN_LOGIN,) * 4 + (403, 403)),
}


def named_urls(patterns=None, namespace=""):
    """(name, pattern) for every URL, walking included URL configurations."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            yield from named_urls(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            if entry.name is None and namespace == "admin":
                continue  # the admin's redirects from old-style object URLs to the named change pages
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, str(entry.pattern)


@pytest.fixture
def world(draft, kcst, kcsp_member, officer_a, officer_b, superuser, ashford_return, monkeypatch):
    """A draft in Working Group review, an open cycle with an Ashford item and score, a comment, a logo."""
    monkeypatch.setattr(agreement_views, "render_pdf", lambda version: b"%PDF-1.7 stand-in")
    image = AgreementImage(agreement=draft.agreement, name="Kent Police", alt="Kent Police logo")
    image.take(images.check_image(b'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"/>'))
    image.save()
    Signatory.objects.create(version=draft, text="Chief Constable, Kent Police")  # Kent's fixtures have none
    note = Footnote.objects.create(chapter=draft.chapters.get(key="priorities"), html="A note")
    record_past_status(draft, Version.Status.WORKING_GROUP_REVIEW, "For the access matrix.")
    item = ReturnItem.objects.create(
        assessment_return=ashford_return, category=ashford_return.cycle.categories.get(key="crime"), kind="main"
    )
    score = MorileScore.objects.create(
        assessment_return=ashford_return, issue="Gangs", harm=4, likelihood=3, organisational_position=2
    )
    authenticator_app(kcst), new_recovery_codes(kcst)  # a two-factor device of each kind, for the admin
    comment = Comment.objects.create(
        version=draft, author=kcsp_member, target="chapter", target_key="leads", target_label="7. Leads",
        chapter_key="leads", text="A comment",
    )
    action, others_action = make_action(draft), make_action(draft, "road-safety", title="Speed awareness")
    # A meeting before the updates below, so they can still be changed.
    Meeting.objects.create(agreement=draft.agreement, date=datetime.date(2024, 1, 10))
    indicator = Indicator.objects.create(agreement=draft.agreement, priority_key="domestic-abuse", name="Incidents",
                                         definition="Recorded", unit="incidents", better="lower", source="Police")
    others_indicator = Indicator.objects.create(
        agreement=draft.agreement, priority_key="road-safety", name="Road casualties", definition="Recorded",
        unit="people", better="lower", source="Police",
    )
    IndicatorValue.objects.create(indicator=indicator, period="year", period_start=datetime.date(2024, 1, 1), value=3)
    annual_review = start_review(draft.agreement, ashford_return.cycle, kcst)
    proposal = Proposal.objects.create(review=annual_review, action="retain", current_keys=["road-safety"])
    Recommendation.objects.create(review=annual_review, text="The KCSP is asked to agree.").proposals.set([proposal])
    return {
        "annual_review": annual_review, "proposal": proposal, "image": image,
        "draft": draft, "return": ashford_return, "note": note, "item": item, "score": score, "comment": comment,
        "action": action, "update": action.post_update(ActionUpdate(progress="Matrix", status="on_target")),
        "others_action": others_action, "indicator": indicator, "others_indicator": others_indicator,
        "others_update": others_action.post_update(ActionUpdate(progress="Matrix", status="on_target")),
        "lead": make_lead(draft.agreement),
        "users": {"officer_a": officer_a, "officer_b": officer_b, "kcsp_member": kcsp_member, "kcst": kcst,
                  "superuser": superuser},
    }


def url_for(name: str, pattern: str, world) -> tuple[str, dict]:
    """A concrete URL (and form data) for a named pattern, using the objects in `world`."""
    draft, ret = world["draft"], world["return"]
    edition = ["kent", draft.number]
    paragraph = ["kent", draft.number, world["note"].chapter.paragraphs.first().pk]
    note = ["kent", draft.number, world["note"].pk]
    chapter = ["kent", draft.number, world["note"].chapter.key]
    review = [world["annual_review"].agreement.slug, world["annual_review"].cycle.label]
    proposal = [*review, world["proposal"].pk]
    recommendation = [*review, world["annual_review"].recommendations.get().pk]
    annual = {
        "annual_review:reviews": review[:1], "annual_review:edit_evidence": [*review, "morile"],
        "annual_review:edit_proposal": proposal, "annual_review:delete_proposal": proposal,
        "annual_review:edit_recommendation": recommendation, "annual_review:delete_recommendation": recommendation,
    }
    by_name = {
        "edition": edition, "edition_pdf": edition, "review": edition, "add_comment": edition, "comment_on": edition,
        "accept_proposal": edition, "discard_proposal": edition,
        "edit_chapter": chapter, "add_paragraph": chapter, "add_note": chapter, "edit_paragraph": paragraph,
        "move_paragraph": paragraph, "delete_paragraph": paragraph, "edit_note": note, "delete_note": note,
        "edit_comment": [world["comment"].pk], "delete_comment": [world["comment"].pk],
        "answer_comment": [world["comment"].pk], "compare": ["kent"],
        "portal:item-change": [ret.pk, world["item"].pk], "portal:item-remove": [ret.pk, world["item"].pk],
        "portal:item-move": [ret.pk, world["item"].pk], "portal:item-restore": [ret.pk, world["item"].pk],
        "portal:morile-change": [ret.pk, world["score"].pk], "portal:morile-remove": [ret.pk, world["score"].pk],
        "portal:cycle": [ret.cycle.pk], "portal:appendix-a": [ret.cycle.pk], "portal:export-csv": [ret.cycle.pk],
        "portal:export-xlsx": [ret.cycle.pk], "portal:import": [ret.cycle.pk],
        "portal:table-csv": [ret.cycle.pk, "matrix"], "portal:table-xlsx": [ret.cycle.pk, "appendix-a"],
        "password_reset_confirm": ["MQ", "made-up-token"],
        "delivery:action": [world["action"].pk], "delivery:post-update": [world["action"].pk],
        "delivery:edit-action": [world["action"].pk],
        "delivery:edit-update": [world["update"].pk], "delivery:monitoring": edition, "delivery:monitoring-pdf": edition,
        "delivery:achievements": edition, "delivery:accept-achievement": edition,
        "delivery:discard-achievement": edition,
        "delivery:indicator": [world["indicator"].pk], "delivery:add-value": [world["indicator"].pk],
        "delivery:import-values": [world["indicator"].pk],
        "agreement_image": [world["image"].stored_name],
    }
    data = {
        "add_comment": {"about": "chapter:leads", "text": "Matrix comment"},
        "annual_review:comment": {"about": "section:review-proposals", "text": "Matrix comment"},
        "choose_replies": {"replies": "daily"},
        "accept_proposal": {"section": "Ch.7", "text": "Ch.7 - matrix"},
        "discard_proposal": {"section": "Ch.7", "text": "Ch.7 - matrix"},
        "portal:item-move": {"direction": "up", "revision": ret.revision},
        "move_paragraph": {"direction": "down"},
        "delivery:accept-achievement": {"source": "action:matrix", "title": "Matrix", "text": "Matrix"},
        "delivery:discard-achievement": {"source": "action:matrix", "title": "Matrix", "text": "Matrix"},
        "portal:item-remove": {"revision": ret.revision},
        "portal:item-restore": {"revision": ret.revision},
        "portal:morile-remove": {"revision": ret.revision},
        "portal:accept": {"revision": ret.revision},
        "portal:return-for-amendment": {"revision": ret.revision, "reason": "Matrix"},
    }.get(name, {})
    if name.startswith("annual_review:"):
        args = annual.get(name, review)
    elif name in by_name:
        args = by_name[name]
    elif name.startswith("portal:") and "<int:return_id>" in pattern:
        args = [ret.pk]
    elif name.startswith("admin:"):
        args = admin_args(name, pattern, world)
    else:
        args = []
    url = reverse(name, args=args)
    if name == "compare":
        url += f"?old=1.0&new={draft.number}"
    if name == "comment_on":
        url += "?about=chapter:leads"
    return url, data


def admin_args(name: str, pattern: str, world) -> list:
    if "object_id" not in pattern and "<" not in pattern and "(" not in pattern:
        return []
    if name == "admin:app_list":
        return ["agreements"]
    if name == "admin:view_on_site":
        return [1, 1]
    if name == "admin:agreements_version_transition":
        return [world["draft"].pk, "publish"]
    model = next(m for m in admin.site._registry
                 if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_"))
    objects = model._default_manager.all()
    if hasattr(model, "agreement_path"):
        objects = objects.filter(**{model.agreement_path: world["draft"].agreement_id})
    if issubclass(model, EditionContent) or model is Version:
        path = "pk" if model is Version else model.version_path
        objects = objects.filter(**{path: world["draft"].pk})
    first = objects.order_by("pk").first()
    assert first is not None, f"the access matrix needs a {model._meta.verbose_name} for {name}"
    if name.endswith("_simple_history"):
        return [first.pk, first.history.first().history_id]
    return [first.pk]


SUPERUSER_ONLY = (ADMIN_LOGIN,) * 4 + (403, 200)
FROZEN = (ADMIN_LOGIN,) * 4 + (403, 403)


def expected_for(name: str) -> tuple[str, tuple]:
    if name in MATRIX:
        return MATRIX[name]
    if name in ADMIN_RULES:
        return ADMIN_RULES[name]
    if name.startswith(("admin:auth_", "admin:otp_", "admin:agreements_membership_")):
        # users, groups, their two-factor devices and who holds which role: superusers, not KCST
        return "get", SUPERUSER_ONLY
    if name.startswith("admin:agreements_") and name.endswith("_delete") and "agreement_" not in name:
        return "get", FROZEN  # the draft is in review: nobody may delete its parts
    if name.startswith("admin:"):
        return "get", STAFF
    raise KeyError(name)


def observed(client, role: str, method: str, url: str, data: dict, world) -> object:
    return outcome(request_as(client, role, method, url, data, world), url)


def request_as(client, role: str, method: str, url: str, data: dict, world):
    client.logout()
    if role != "anonymous":
        client.force_login(world["users"][role])
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response


def outcome(response, url: str) -> object:
    location = response.get("Location", "") if response.status_code == 302 else ""
    if location.startswith("/admin/login/") and not url.startswith("/admin/login/"):
        return ADMIN_LOGIN
    if location.startswith(reverse("login")) and not url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


def each_url(world):
    """(name, pattern, method, expected statuses, address, form data) for every named URL, with
    `world`'s records in its address."""
    for name, pattern in named_urls():
        if name is not None:
            method, statuses = expected_for(name)
            yield name, pattern, method, statuses, *url_for(name, pattern, world)


def test_every_url_has_a_row():
    missing = []
    for name, pattern in named_urls():
        if name is None:
            missing.append(f"an unnamed URL {pattern!r}")
            continue
        try:
            expected_for(name)
        except KeyError:
            missing.append(name)
    # The admin's catch-all (unnamed) answers unknown admin paths; everything else must be named.
    missing = [m for m in missing if m != "an unnamed URL '(?P<url>.*)$'"]
    assert missing == [], f"Add these to the access matrix: {missing}"


def test_every_role_gets_the_expected_status_on_every_url(client, world):
    failures = []
    for name, pattern, method, statuses, url, data in each_url(world):
        for role, expected in zip(ROLES, statuses):
            got = observed(client, role, method, url, data, world)
            if got != expected:
                failures.append(f"{method.upper()} {url} as {role}: expected {expected}, got {got}")
    assert failures == [], "\n".join(failures)


def test_a_priority_lead_gets_what_an_officer_of_another_partnership_gets_outside_the_action_plan(client, world):
    failures = []
    for name, pattern in named_urls():
        if name is None:
            continue
        method, statuses = expected_for(name)
        expected = LEAD.get(name, statuses[ROLES.index("officer_b")])
        url, data = url_for(name, pattern, world)
        world["users"]["lead"] = world["lead"]
        got = observed(client, "lead", method, url, data, world)
        if got != expected:
            failures.append(f"{method.upper()} {url} as a priority lead: expected {expected}, got {got}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("name, record", [
    ("delivery:action", "others_action"), ("delivery:post-update", "others_action"),
    ("delivery:edit-action", "others_action"),
    ("delivery:edit-update", "others_update"), ("delivery:indicator", "others_indicator"),
    ("delivery:add-value", "others_indicator"), ("delivery:import-values", "others_indicator"),
])
def test_a_priority_lead_finds_nothing_of_another_priority(client, world, name, record):
    client.force_login(world["lead"])
    assert client.get(reverse(name, args=[world[record].pk])).status_code == 404
    assert client.post(reverse(name, args=[world[record].pk]), {"progress": "Mine"}).status_code == 404


def test_the_staff_flag_without_the_kcst_role_opens_no_kcst_page(client, world):
    """Only the KCST role lets a user into KCST's pages: a staff user without it is refused everything
    outside the admin that an officer of another partnership is refused, and every admin list."""
    world["users"]["staff_without_role"] = make_user("staff-no-role", is_staff=True)
    failures = []
    for name, pattern, method, statuses, url, data in each_url(world):
        if name.startswith("admin:"):
            continue
        expected = statuses[ROLES.index("officer_b")]
        got = observed(client, "staff_without_role", method, url, data, world)
        if got != expected:
            failures.append(f"{method.upper()} {url}: expected {expected}, got {got}")
    assert failures == [], "\n".join(failures)
    assert observed(client, "staff_without_role", "get", reverse("admin:agreements_version_changelist"), {},
                    world) == 403


# The second agreement's cast: a user of each role, held in kent-2011 only.
OTHER_ROLES = ["officer_other", "kcsp_other", "working_group_other", "kcst_other"]
REFUSED = {LOGIN, ADMIN_LOGIN, 403, 404}
# Pages with an argument that is not one of Kent's records: an app's list of models, a reset link.
NOT_A_RECORD = {"admin:app_list", "password_reset_confirm"}
# Records anyone may read, like a published edition: a crest or logo, addressed by its bytes' hash.
PUBLIC_RECORDS = {"agreement_image"}
# The set-up screen offers the chapters of any edition the user may read: Kent's published ones too.
OFFERS_PUBLISHED_EDITIONS = {"admin:agreements_agreement_add", "admin:agreements_version_add"}
RECORD_LINKS = {
    r"/admin/(\w+)/(\w+)/(\d+)/": None,  # any admin record: the model is in the address
    r"/portal/kcst/cycles/(\d+)/": AssessmentCycle,
    r"/portal/kcst/returns/(\d+)/": AssessmentReturn,
    r"/portal/returns/(\d+)/": AssessmentReturn,
}


@pytest.fixture
def other_world(world, other_agreement):
    """The second agreement's 8.0 in Working Group review, a cycle open with its own Ashford's
    return, and its cast; the users join `world`'s."""
    other_draft = other_agreement.versions.get(number="8.0")
    record_past_status(other_draft, Version.Status.WORKING_GROUP_REVIEW, "For the access matrix.")
    cycle = open_cycle(other_agreement, "2024-25", due_on=timezone.localdate() + datetime.timedelta(days=28))
    cast = {
        "officer_other": make_officer("ashford", agreement=other_agreement.slug),
        "kcsp_other": make_user("kcsp-other", roles.KCSP_MEMBER, other_agreement),
        "working_group_other": make_user("wg-other", roles.WORKING_GROUP_MEMBER, other_agreement),
        "kcst_other": make_user("kcst-other", roles.KCST_STAFF, other_agreement, is_staff=True),
    }
    world["users"].update(cast)
    return {"draft": other_draft, "return": cycle.returns.get(partnership__slug="ashford"), "cast": cast}


def kents_records_linked(body: str, kent_id: int) -> list[str]:
    """Addresses in the page that lead to one of Kent's records."""
    leaks = []
    for pattern, model in RECORD_LINKS.items():
        for match in re.finditer(pattern, body):
            *names, pk = match.groups()
            target = apps.get_model(*names) if names else model
            path = getattr(target, "agreement_path", None)
            if path and target._default_manager.filter(pk=pk, **{path: kent_id}).exists():
                leaks.append(match.group(0))
    return leaks


def test_no_role_of_another_agreement_reaches_any_of_kents_records(client, world, other_world):
    kent = world["draft"].agreement
    failures = []
    for name, pattern, method, _, url, data in each_url(world):
        names_a_record = ("<" in pattern or "(?P" in pattern) and name not in NOT_A_RECORD | PUBLIC_RECORDS
        for role in OTHER_ROLES:
            response = request_as(client, role, method, url, data, world)
            got = outcome(response, url)
            content = b"".join(response.streaming_content) if response.streaming else response.content
            body = content.decode(errors="replace") if got == 200 else ""
            if names_a_record and got not in REFUSED:
                failures.append(f"{method.upper()} {url} as {role}: {got}, not refused")
            elif leaks := kents_records_linked(body, kent.pk):
                failures.append(f"{method.upper()} {url} as {role} links to Kent's {leaks[:3]}")
            elif url.startswith("/admin/") and name not in OFFERS_PUBLISHED_EDITIONS and str(kent) in body:
                failures.append(f"{method.upper()} {url} as {role} names {kent}")
            elif str(world["draft"]) in body:
                failures.append(f"{method.upper()} {url} as {role} names Kent's draft")
            elif f"/kent/{world['draft'].number}/" in body:
                failures.append(f"{method.upper()} {url} as {role} links to Kent's draft")
    assert failures == [], "\n".join(failures)


def test_the_other_agreements_cast_reaches_its_own_records_and_kents_published_editions(
        client, world, other_world):
    other_draft, own_return = other_world["draft"], other_world["return"]
    review = reverse("review", args=[other_draft.agreement.slug, other_draft.number])
    own_pages = {
        "officer_other": [reverse("portal:return", args=[own_return.pk])],
        "kcsp_other": [review],
        "working_group_other": [review],
        "kcst_other": [review, reverse("portal:cycle", args=[own_return.cycle_id]),
                       reverse("admin:agreements_version_change", args=[other_draft.pk]),
                       reverse("admin:assessments_assessmentreturn_change", args=[own_return.pk])],
    }
    published = world["draft"].agreement.versions.get(number="7.0")
    public = [reverse("edition", args=["kent", "7.0"]), reverse("edition_pdf", args=["kent", "7.0"])]
    assert published.is_published
    for role, pages in own_pages.items():
        for url in [*pages, *public]:
            assert observed(client, role, "get", url, {}, world) == 200, f"{url} as {role}"


def test_kents_cast_reaches_none_of_the_other_agreements_draft_return_or_editor_pages(client, world, other_world):
    other_draft, other_return = other_world["draft"], other_world["return"]
    chapter = other_draft.chapters.filter(paragraphs__isnull=False).first()
    paragraph = chapter.paragraphs.first()
    edition = [other_draft.agreement.slug, other_draft.number]
    pages = [
        reverse("edition", args=edition), reverse("edition_pdf", args=edition), reverse("review", args=edition),
        reverse("edit_chapter", args=[*edition, chapter.key]), reverse("add_paragraph", args=[*edition, chapter.key]),
        reverse("edit_paragraph", args=[*edition, paragraph.pk]), reverse("add_note", args=[*edition, chapter.key]),
        reverse("admin:agreements_version_change", args=[other_draft.pk]),
        reverse("admin:agreements_chapter_change", args=[chapter.pk]),
        reverse("admin:agreements_paragraph_change", args=[paragraph.pk]),
        reverse("admin:assessments_assessmentreturn_change", args=[other_return.pk]),
        reverse("portal:return", args=[other_return.pk]), reverse("portal:cycle", args=[other_return.cycle_id]),
    ]
    kents_cast = [role for role in ROLES if role not in ("anonymous", "superuser")]
    reached = [(url, role, got) for url in pages for role in kents_cast
               if (got := observed(client, role, "get", url, {}, world)) not in REFUSED]
    assert reached == []
    assert observed(client, "superuser", "get", pages[0], {}, world) == 200  # the draft is there to be refused
