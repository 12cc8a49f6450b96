"""KCST's answers reach the comment's author, and nobody else, at once or in a daily digest; a
"comments by" date set when sending to review is shown, and later comments are accepted, marked late."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from agreements.models import Paragraph
from agreements.refresh import start_next_refresh
from agreements.workflow import transition
from review.models import Comment, ReviewerSettings

from .conftest import change_three_things, mark_published


def paragraph_key(version, number="6.5"):
    chapter_label, n = number.split(".")
    numbered = version.chapters.get(label=chapter_label).paragraphs.filter(style=Paragraph.Style.NUMBERED)
    return numbered.order_by("order", "pk")[int(n) - 1].key


def comment_on(client, version, key, text):
    url = reverse("comment_on", args=[version.agreement.slug, version.number])
    return client.post(url, {"about": f"paragraph:{key}", "text": text})


def answer(client, comment, reply, resolve=False):
    data = {"reply": reply, **({"resolve": "on"} if resolve else {})}
    return client.post(reverse("answer_comment", args=[comment.pk]), data)


def test_only_the_author_is_emailed_the_reply_with_a_link_to_the_paragraph(
        client, in_review, kcsp_member, working_group_member, kcst, mailoutbox, settings):
    settings.SITE_URL = "https://csa.example.org"
    client.force_login(kcsp_member)
    comment_on(client, in_review, paragraph_key(in_review), "Who leads this?")
    client.force_login(working_group_member)
    comment_on(client, in_review, paragraph_key(in_review, "6.1"), "Another member's comment")
    mailoutbox.clear()
    comment = Comment.objects.get(author=kcsp_member)
    client.force_login(kcst)

    answer(client, comment, "The Chief Executive leads it.")

    assert [m.to for m in mailoutbox] == [[kcsp_member.email]]
    body = mailoutbox[0].body
    assert "The Chief Executive leads it." in body and "Who leads this?" in body
    assert "https://csa.example.org/kent/9.0/review/#paragraph-6-5" in body
    assert "Another member's comment" not in body

    answer(client, comment, "Resolved: the lead is named.", resolve=True)
    assert [m.to for m in mailoutbox] == [[kcsp_member.email]] * 2
    assert "marked it resolved" in mailoutbox[1].body


def test_a_member_who_chose_the_digest_gets_one_email_a_day(client, in_review, kcsp_member, kcst, mailoutbox):
    ReviewerSettings.objects.create(user=kcsp_member, agreement=in_review.agreement, replies="daily")
    client.force_login(kcsp_member)
    comment_on(client, in_review, paragraph_key(in_review), "First")
    comment_on(client, in_review, paragraph_key(in_review, "6.1"), "Second")
    mailoutbox.clear()
    client.force_login(kcst)
    for comment in Comment.objects.all():
        answer(client, comment, f"Reply to {comment.text}")
    assert mailoutbox == []

    call_command("send_review_digest", stdout=io.StringIO())

    assert [m.to for m in mailoutbox] == [[kcsp_member.email]]
    assert "Reply to First" in mailoutbox[0].body and "Reply to Second" in mailoutbox[0].body
    assert "#paragraph-6-5" in mailoutbox[0].body and "#paragraph-6-1" in mailoutbox[0].body
    call_command("send_review_digest", stdout=io.StringIO())
    assert len(mailoutbox) == 1  # nothing new: nothing sent


@pytest.fixture
def with_deadline(kent, draft, kcst, working_group_member, django_capture_on_commit_callbacks):
    mark_published(draft)
    new = start_next_refresh(kent, by=kcst)
    change_three_things(new)
    with django_capture_on_commit_callbacks(execute=True):
        transition(new, "send_to_working_group", kcst, comments_by=datetime.date(2025, 2, 28))
    new.refresh_from_db()
    return new


def test_the_date_comments_are_asked_by_is_emailed_and_shown(client, with_deadline, working_group_member, mailoutbox):
    assert "Comments by 28 February 2025." in next(m for m in mailoutbox if working_group_member.email in m.to).body
    assert with_deadline.comments_by == datetime.date(2025, 2, 28)
    client.force_login(working_group_member)
    page = client.get(reverse("review", args=["kent", with_deadline.number])).content.decode()
    assert "Comments by 28 February 2025." in page


def test_kcst_sets_the_date_on_the_send_to_review_page(client, kent, draft, kcst):
    mark_published(draft)
    new = start_next_refresh(kent, by=kcst)
    client.force_login(kcst)
    url = reverse("admin:agreements_version_transition", args=[new.pk, "send_to_working_group"])
    assert 'name="comments_by"' in client.get(url).content.decode()
    client.post(url, {"edit_revision": new.revision, "comments_by": "2025-03-14", "note": ""})
    new.refresh_from_db()
    assert new.comments_by == datetime.date(2025, 3, 14)


def test_a_comment_after_the_date_is_accepted_and_marked_late(client, with_deadline, kcsp_member, kcst, mailoutbox,
                                                              settings):
    client.force_login(kcsp_member)
    response = comment_on(client, with_deadline, paragraph_key(with_deadline), "Sorry this is late")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.late  # 28 February 2025 is past
    assert "after the date comments were asked by" in mailoutbox[-1].body
    page = client.get(reverse("review", args=["kent", with_deadline.number])).content.decode()
    assert '<span class="tag late">Late</span>' in page


def test_a_comment_before_the_date_is_not_late(client, kent, draft, kcst, kcsp_member):
    mark_published(draft)
    new = start_next_refresh(kent, by=kcst)
    transition(new, "send_to_working_group", kcst, comments_by=datetime.date.today() + datetime.timedelta(days=7))
    new.refresh_from_db()
    client.force_login(kcsp_member)
    comment_on(client, new, paragraph_key(new), "In good time")
    assert not Comment.objects.get().late
