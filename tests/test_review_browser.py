"""A KCSP member follows the e-mailed link, or finds the draft on their home, reads the marked changes
and comments; KCST answers, and the member hears of it."""

import datetime
import re

import pytest

from agreements.models import Paragraph, Version
from agreements.refresh import start_next_refresh
from agreements.workflow import record_past_status, transition

from .conftest import assert_accessible, change_three_things, make_user, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def cast_and_draft(live_kent, settings):
    """KCST, a KCSP member, and a 9.0 draft started from 8.0 (published without the sign-off route)."""
    settings.SITE_URL = live_kent.url
    kcst = make_user("kcst-reviewer", "KCST staff", is_staff=True)
    member = make_user("board-member", "KCSP member", first_name="Board", last_name="Member")
    kent_8 = Version.objects.get(number="8.0")
    record_past_status(kent_8, Version.Status.PUBLISHED, "Published for the test")
    return kcst, member, start_next_refresh(kent_8.agreement, by=kcst)


def test_member_reviews_comments_and_kcst_resolves(page, live_kent, mailoutbox, settings):
    kcst, member, draft = cast_and_draft(live_kent, settings)
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


def test_member_finds_the_draft_comments_on_a_paragraph_and_hears_back(page, live_kent, mailoutbox, settings):
    """Issue 17: from signing in to KCST's answer, by way of the home, the changes and paragraph 6.5."""
    kcst, member, draft = cast_and_draft(live_kent, settings)
    change_three_things(draft)
    landscape = Paragraph.objects.filter(chapter__version=draft, chapter__key="landscape",
                                         style=Paragraph.Style.NUMBERED).order_by("order", "pk")[1]
    landscape.html += " Reviewed for this edition."
    landscape.save()
    transition(draft, "send_to_working_group", kcst)
    draft.refresh_from_db()
    transition(draft, "consult_kcsp", kcst, comments_by=datetime.date.today() + datetime.timedelta(days=14))

    sign_in(page, live_kent, member)
    assert page.url == f"{live_kent.url}/review/"
    assert page.get_by_role("heading", name="Your reviews").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your reviews").click()  # the header's link
    page.get_by_role("link", name="Draft edition: Kent Community Safety Agreement (kent) 9.0").click()
    assert page.get_by_role("heading", name="Review: Kent Community Safety Agreement (kent) 9.0").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="First change").click()
    assert page.url.endswith("#change-1")
    page.locator("#change-1").get_by_role("link", name="Next change").click()
    assert page.url.endswith("#change-2")
    assert page.locator("#change-2").is_visible()

    page.get_by_role("link", name="Show changes only").click()
    assert page.get_by_text("Showing changes only.").is_visible()
    assert page.locator("#paragraph-6-1").is_visible() and page.locator("#paragraph-6-2").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Show the whole edition").click()

    page.get_by_role("link", name="Comment on this paragraph (Paragraph 6.5)").click()
    assert page.get_by_role("heading", name="Comment on paragraph 6.5").is_visible()
    assert_accessible(page)
    page.get_by_label("Your comment").fill("Please name who leads this work.")
    page.get_by_role("button", name="Send comment").click()
    assert page.url.endswith("/kent/9.0/review/#paragraph-6-5")
    assert page.get_by_text("Your comment on paragraph 6.5 has been sent").is_visible()
    assert page.locator(".paragraph-comments").get_by_text("Please name who leads this work.").is_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/review/comments/")
    page.get_by_role("link", name="Reply or resolve the comment on Paragraph 6.5").click()
    page.get_by_label("Reply").fill("The Community Safety Team leads it; we will say so.")
    page.get_by_role("button", name="Save the reply").click()

    replies = [m for m in mailoutbox if m.to == [member.email] and "answered your comment" in m.subject]
    assert len(replies) == 1
    assert [m for m in mailoutbox if "answered" in m.subject and m.to != [member.email]] == []
    link = re.search(r"Read it in place: (\S+)", replies[0].body).group(1)
    assert link == f"{live_kent.url}/kent/9.0/review/#paragraph-6-5"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_kent, member)
    page.goto(link)
    assert page.locator(".paragraph-comments").get_by_text("The Community Safety Team leads it").is_visible()
