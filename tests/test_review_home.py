"""Working Group and KCSP members land on what awaits their review, with its deadline, its changes,
their unresolved comments and KCST's replies since their last visit."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from agreements.workflow import transition
from documents.diff import plain_text
from review.models import Comment, ReviewerSettings

from .conftest import make_user


def leave(version, author, text="A comment", **answer):
    comment = Comment.objects.create(version=version, author=author, target="chapter", target_key="priorities",
                                     target_label="Priorities", chapter_key="priorities", text=text)
    if answer:
        comment.answer(answer["by"], answer["reply"], answer.get("resolve", False))
    return comment


def rows(page: str) -> list[str]:
    table = re.search(r'<table class="awaiting">.*?</table>', page, re.S).group(0)
    return [" ".join(plain_text(row).split()) for row in re.findall(r"<tr>.*?</tr>", table, re.S)[1:]]


def test_a_member_lands_on_their_reviews_after_signing_in(client, in_review, kcsp_member):
    response = client.post(reverse("login"), {"username": kcsp_member.username, "password": "correct-horse-battery"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews_home")
    page = response.content.decode()
    assert '<a href="/review/">Your reviews</a>' in page
    assert rows(page) == [
        "Draft edition: Kent Community Safety Agreement (kent) 9.0 (April 2025) Working Group review "
        "No date set 3 0 0"
    ]
    assert '<a href="/kent/9.0/review/">' in page


def test_the_home_counts_own_unresolved_comments_and_replies_since_the_last_visit(
        client, in_review, kcsp_member, working_group_member, kcst):
    client.force_login(kcsp_member)
    client.get(reverse("reviews_home"))  # the first visit
    leave(in_review, kcsp_member, "Still open")
    leave(in_review, kcsp_member, "Answered", by=kcst, reply="Thanks")
    leave(in_review, kcsp_member, "Closed", by=kcst, reply="Done", resolve=True)
    leave(in_review, working_group_member, "Someone else's", by=kcst, reply="Not yours")
    assert rows(client.get(reverse("reviews_home")).content.decode())[0].endswith("Working Group review No date set 3 2 2")
    # Seen now: the replies are no longer new.
    assert rows(client.get(reverse("reviews_home")).content.decode())[0].endswith("3 2 0")


def test_the_home_shows_the_date_comments_are_asked_by(client, kent, draft, kcst, kcsp_member):
    from agreements.refresh import start_next_refresh

    from .conftest import mark_published

    mark_published(draft)
    new = start_next_refresh(kent, by=kcst)
    transition(new, "send_to_working_group", kcst, comments_by=datetime.date(2025, 2, 28))
    client.force_login(kcsp_member)
    assert "28 February 2025" in rows(client.get(reverse("reviews_home")).content.decode())[0]


def test_past_reviews_are_listed(client, in_review, working_group_member):
    client.force_login(working_group_member)
    page = client.get(reverse("reviews_home")).content.decode()
    past = page[page.index("<h2>Past reviews</h2>"):]
    assert '<a href="/kent/8.0/review/">Kent Community Safety Agreement (kent) 8.0 (April 2024)</a>' in past
    assert "/kent/7.0/review/" not in past  # a historical record was never reviewed here


def test_nothing_awaits_while_the_draft_is_with_kcst(client, draft, kcsp_member):
    client.force_login(kcsp_member)
    page = client.get(reverse("reviews_home")).content.decode()
    assert "Nothing awaits your review." in page


def test_a_working_group_member_lands_on_their_reviews_too(client, in_review, working_group_member):
    response = client.post(reverse("login"), {"username": working_group_member.username,
                                              "password": "correct-horse-battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews_home")


def test_others_have_no_reviews_home_and_land_as_before(client, in_review, officer_a, kcst):
    outsider = make_user("outsider")
    for user in (outsider, officer_a):
        client.force_login(user)
        assert client.get(reverse("reviews_home")).status_code == 404
        assert "Your reviews" not in client.get(reverse("home")).content.decode()
    client.force_login(outsider)
    assert client.get(reverse("portal:landing"))["Location"] == reverse("home")


def test_another_agreements_member_sees_none_of_kents_drafts(client, in_review, other_agreement):
    member = make_user("other-member", "KCSP member", other_agreement)
    client.force_login(member)
    page = client.get(reverse("reviews_home")).content.decode()
    assert "Nothing awaits your review." in page and "/kent/" not in page


def test_a_member_chooses_the_daily_digest(client, in_review, kcsp_member):
    client.force_login(kcsp_member)
    response = client.post(reverse("choose_replies"), {"replies": "daily"}, follow=True)
    assert "you will hear of KCST&#x27;s answers in one e-mail a day" in response.content.decode()
    assert ReviewerSettings.objects.get(user=kcsp_member).replies == "daily"
    client.post(reverse("choose_replies"), {"replies": "hourly"})
    assert ReviewerSettings.objects.get(user=kcsp_member).replies == "daily"
    assert timezone.now() >= ReviewerSettings.objects.get(user=kcsp_member).seen_reviews_at


def test_an_annual_review_in_review_awaits_its_agreements_members(client, kent):
    from annual_review.comments import add_comment, comment_targets
    from annual_review.workflow import send_for_review

    from .annual_review_cast import kcst_of, load_kent_2014_17, review_2017

    agreement = load_kent_2014_17()
    kcst = kcst_of(agreement)
    review = review_2017(agreement, kcst)
    member = make_user("member-2017", "KCSP member", agreement)
    client.force_login(member)
    assert "Annual review" not in client.get(reverse("reviews_home")).content.decode()  # still a draft
    send_for_review(review, kcst)
    comment = add_comment(review, member, comment_targets(review)[0], "A question")
    comment.answer(kcst, "An answer", False)
    add_comment(review, member, comment_targets(review)[0], "Another")
    page = client.get(reverse("reviews_home")).content.decode()
    assert rows(page) == [f"Annual review: Annual review 2017-18, {agreement} "
                          "In review by the Working Group and KCSP No date set Nothing to compare 2 1"]
    assert f'<a href="{review.get_absolute_url()}">' in page
    client.force_login(make_user("other-member", "KCSP member", kent))
    assert "Annual review" not in client.get(reverse("reviews_home")).content.decode()
