"""A KCSP member follows the e-mailed link, reads the marked changes and comments; KCST answers."""

import re

import pytest

from agreements.models import Paragraph, Version
from agreements.refresh import start_next_refresh
from agreements.workflow import record_past_status, transition

from .conftest import assert_accessible, make_user, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_reviews_comments_and_kcst_resolves(page, live_kent, mailoutbox, settings):
    settings.SITE_URL = live_kent.url
    kcst = make_user("kcst-reviewer", "KCST staff", is_staff=True)
    member = make_user("board-member", "KCSP member", first_name="Board", last_name="Member")
    kent_8 = Version.objects.get(number="8.0")
    record_past_status(kent_8, Version.Status.PUBLISHED, "Published for the test")
    draft = start_next_refresh(kent_8.agreement, by=kcst)
    priority = draft.priorities.get(key="neighbourhood-crime-asb")
    priority.name = "Neighbourhood Crime and Anti-Social Behaviour"
    priority.save()
    paragraph = Paragraph.objects.get(chapter__version=draft, key="priorities-1")
    paragraph.html = paragraph.html.replace("forthcoming year", "year ahead")
    paragraph.save()
    transition(draft, "send_to_working_group", kcst)
    draft.refresh_from_db()
    transition(draft, "consult_kcsp", kcst)

    email = next(m for m in mailoutbox if member.email in m.to)
    link = re.search(r"Read it here: (\S+)", email.body).group(1)
    page.goto(link)
    sign_in_form = page.get_by_label("Username")
    sign_in_form.fill(member.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(link)

    assert page.get_by_role("heading", name="Review: Kent Community Safety Agreement (kent) 9.0").is_visible()
    assert page.locator(".paragraph.changed").filter(has_text="Changed paragraph 6.1:").count() == 1
    assert page.locator("del", has_text="forthcoming").first.is_visible()
    assert page.locator("ins", has_text="ahead").first.is_visible()
    assert "Preventing Neighbourhood Crime & ASB" in page.locator(".change-renamed").first.inner_text()
    assert_accessible(page)

    page.get_by_label("What are you commenting on?").select_option(label="Priority: Neighbourhood Crime and Anti-Social Behaviour")
    page.get_by_label("Your comment").fill("Why is 'Preventing' dropped from the name?")
    page.get_by_role("button", name="Send comment").click()
    assert page.get_by_text("Your comment has been sent").is_visible()
    assert any(kcst.email in m.to and "Preventing" in m.body for m in mailoutbox)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/review/comments/")
    assert_accessible(page)
    page.get_by_role("link", name="Reply or resolve the comment on Priority: Neighbourhood Crime and Anti-Social Behaviour").click()
    page.get_by_label("Reply").fill("The board asked for a shorter name in March.")
    page.get_by_label("Mark the comment resolved").check()
    page.get_by_role("button", name="Save the reply").click()
    assert page.get_by_text("There are no unresolved comments.").is_visible()

    page.goto(link)
    assert page.get_by_text("Resolved").first.is_visible()
    assert page.get_by_text("The board asked for a shorter name in March.").is_visible()
    assert_accessible(page)
