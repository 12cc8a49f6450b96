"""The KCSP review page: access, comments, replies and proposed change notes."""

import pytest
from django.urls import reverse

from agreements import roles
from agreements.models import ChangeNote, Paragraph
from agreements.workflow import transition
from review.access import may_comment
from review.models import Comment, DiscardedProposal

from .conftest import make_user, mark_published

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">click</a>'


def url(version, name="review"):
    return reverse(name, args=[version.agreement.slug, version.number])


def comment(client, version, about, text):
    return client.post(url(version, "add_comment"), {"about": about, "text": text})


def test_a_member_sees_the_three_changes_marked(client, in_review, working_group_member):
    client.force_login(working_group_member)
    page = client.get(url(in_review)).content.decode()
    assert "What changed: 3 changes" in page
    assert "Changes are marked against version 8.0 (April 2024)" in page
    assert '[old name: </span>Preventing Neighbourhood Crime &amp; ASB' in page
    assert '[new name: </span>Neighbourhood Crime and Anti-Social Behaviour' in page
    assert '[added: </span>the Vision Zero' in page
    assert '[removed: </span>forthcoming' in page
    # ...and inside the document itself, where they sit.
    assert '<strong class="change-label">Changed paragraph 6.1:</strong>' in page
    assert '<strong class="change-label">Renamed:</strong>' in page
    assert '<strong class="change-label">Changed:</strong>' in page


def test_drafts_not_in_review_are_hidden_from_members(client, draft, kcsp_member, working_group_member):
    for member in (kcsp_member, working_group_member):
        client.force_login(member)
        assert client.get(url(draft)).status_code == 404


def test_officers_and_the_public_cannot_open_a_review(client, in_review, officer_a):
    response = client.get(url(in_review))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(officer_a)
    assert client.get(url(in_review)).status_code == 404
    assert comment(client, in_review, "chapter:priorities", "hello").status_code == 404
    assert not Comment.objects.exists()


def test_kcst_of_another_agreement_cannot_open_kents_review_even_once_published(client, in_review, other_agreement):
    client.force_login(make_user("kcst-other", roles.KCST_STAFF, other_agreement, is_staff=True))
    assert client.get(url(in_review)).status_code == 404
    assert client.get(url(mark_published(in_review))).status_code == 404


@pytest.mark.parametrize("member", ["kcsp_member", "working_group_member"])
def test_a_published_editions_review_is_a_record_its_members_read(request, client, in_review, member):
    published = mark_published(in_review)
    client.force_login(request.getfixturevalue(member))
    page = client.get(url(published)).content.decode()
    assert "its review is kept as a record and can no longer change" in page
    assert comment(client, published, "chapter:priorities", "Too late").status_code == 404
    assert not Comment.objects.exists()


def test_members_of_another_agreement_neither_read_nor_comment_on_kents_review(client, in_review, other_agreement):
    client.force_login(make_user("kcsp-other", roles.KCSP_MEMBER, other_agreement))
    assert client.get(url(in_review)).status_code == 404
    assert comment(client, in_review, "chapter:priorities", "From another county").status_code == 404
    assert not Comment.objects.exists()
    assert client.get(url(mark_published(in_review))).status_code == 404


def test_only_the_editions_own_members_may_comment(in_review, kcsp_member, working_group_member, other_agreement):
    # The review's pages find no draft of another agreement for them either; the rule holds on its own.
    assert may_comment(kcsp_member, in_review) and may_comment(working_group_member, in_review)
    assert not may_comment(make_user("kcsp-other", roles.KCSP_MEMBER, other_agreement), in_review)


def test_kcst_reviews_a_draft_at_any_time(client, draft, kcst):
    client.force_login(kcst)
    response = client.get(url(draft))
    assert response.status_code == 200
    assert "Changes are marked against version 1.0 (April 2017)" in response.content.decode()


def test_any_two_editions_can_be_compared(client, in_review, kcst):
    client.force_login(kcst)
    response = client.get(reverse("compare", args=["kent"]), {"old": "1.0", "new": in_review.number})
    assert "Changes are marked against version 1.0 (April 2017)" in response.content.decode()
    response = client.get(reverse("compare", args=["kent"]), {"old": "99.0", "new": in_review.number})
    assert response.status_code == 404


def test_a_member_comments_and_kcst_is_emailed(client, in_review, kcsp_member, kcst, mailoutbox):
    client.force_login(kcsp_member)
    response = comment(client, in_review, "priority:neighbourhood-crime-asb", "Why drop 'Preventing'?")
    assert response.status_code == 302
    saved = Comment.objects.get()
    assert (saved.target, saved.target_key, saved.chapter_key, saved.author) == (
        "priority", "neighbourhood-crime-asb", "priorities", kcsp_member
    )
    assert saved.target_label == "Priority: Neighbourhood Crime and Anti-Social Behaviour"
    assert mailoutbox[-1].to == [kcst.email]
    assert "Why drop 'Preventing'?" in mailoutbox[-1].body
    assert f"/kent/9.0/review/#comment-{saved.pk}" in mailoutbox[-1].body


def test_a_comment_needs_text_and_a_real_target(client, in_review, kcsp_member):
    client.force_login(kcsp_member)
    response = comment(client, in_review, "paragraph:does-not-exist", "")
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in page and "There is a problem" in page
    assert "That part of the edition no longer exists" in page and "Enter your comment" in page
    assert not Comment.objects.exists()


def test_comments_are_escaped(client, in_review, kcsp_member, kcst):
    client.force_login(kcsp_member)
    comment(client, in_review, "lead:road-safety", HOSTILE)
    for user in (kcsp_member, kcst):
        client.force_login(user)
        page = client.get(url(in_review)).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript:' not in page
        assert "&lt;script&gt;" in page
    page = client.get(reverse("unresolved_comments")).content.decode()
    assert "<script>alert" not in page


def test_comments_never_reach_the_public_page_or_the_pdf(client, in_review, kcsp_member, draft):
    client.force_login(kcsp_member)
    comment(client, in_review, "chapter:priorities", "A private remark from the board")
    client.logout()
    page = client.get(reverse("edition", args=["kent", "8.0"])).content.decode()
    assert "A private remark" not in page


def test_a_member_changes_their_own_comment_but_not_anothers(client, in_review, kcsp_member, working_group_member):
    client.force_login(kcsp_member)
    comment(client, in_review, "chapter:leads", "Mine")
    mine = Comment.objects.get()
    client.post(reverse("edit_comment", args=[mine.pk]), {"text": "Mine, edited"})
    mine.refresh_from_db()
    assert mine.text == "Mine, edited"

    client.force_login(working_group_member)
    assert client.get(reverse("edit_comment", args=[mine.pk])).status_code == 404
    assert client.post(reverse("edit_comment", args=[mine.pk]), {"text": "Hijacked"}).status_code == 404
    assert client.post(reverse("delete_comment", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.text == "Mine, edited"

    client.force_login(kcsp_member)
    client.post(reverse("delete_comment", args=[mine.pk]))
    assert not Comment.objects.exists()


def test_kcst_replies_and_resolves(client, in_review, kcsp_member, kcst):
    client.force_login(kcsp_member)
    comment(client, in_review, "chapter:leads", "Is the Road Safety lead confirmed?")
    saved = Comment.objects.get()
    assert client.get(reverse("answer_comment", args=[saved.pk])).status_code == 404
    assert client.get(reverse("unresolved_comments")).status_code == 404

    client.force_login(kcst)
    assert "Is the Road Safety lead confirmed?" in client.get(reverse("unresolved_comments")).content.decode()
    client.post(reverse("answer_comment", args=[saved.pk]), {"reply": "Yes, agreed in March", "resolve": "on"})
    saved.refresh_from_db()
    assert saved.is_resolved and saved.reply == "Yes, agreed in March" and saved.resolved_by == kcst
    assert "There are no unresolved comments." in client.get(reverse("unresolved_comments")).content.decode()


def test_kcst_accepts_edits_or_discards_proposed_notes(client, in_review, kcst):
    transition(in_review, "return_to_draft", kcst, note="Add the change notes")
    client.force_login(kcst)
    page = client.get(url(in_review)).content.decode()
    assert 'value="Ch.6 - changes made to priorities and cross-cutting themes"' in page
    assert 'value="Ch.7 - minor change to the list of leads"' in page
    notes_before = list(in_review.change_notes.values_list("text", flat=True))

    client.post(url(in_review, "accept_proposal"), {"section": "Ch.7", "text": "Ch.7 - the Road Safety lead changed"})
    client.post(url(in_review, "discard_proposal"),
                {"section": "Ch.6", "text": "Ch.6 - changes made to priorities and cross-cutting themes"})

    assert list(in_review.change_notes.values_list("text", flat=True)) == [
        *notes_before, "Ch.7 - the Road Safety lead changed"
    ]
    assert DiscardedProposal.objects.filter(version=in_review).count() == 1
    page = client.get(url(in_review)).content.decode()
    assert "Proposed change notes" not in page


def test_nothing_is_added_without_an_accept(client, in_review, kcst):
    client.force_login(kcst)
    client.get(url(in_review))
    assert not ChangeNote.objects.filter(version=in_review, section__in=["Ch.6", "Ch.7"]).exists()


def test_members_cannot_accept_proposals(client, in_review, kcsp_member, kcst):
    transition(in_review, "return_to_draft", kcst, note="x")
    client.force_login(kcsp_member)
    response = client.post(url(in_review, "accept_proposal"), {"section": "Ch.7", "text": "Sneaky"})
    assert response.status_code == 404
    assert not ChangeNote.objects.filter(text="Sneaky").exists()


def test_notes_cannot_be_accepted_while_the_version_is_frozen(client, in_review, kcst):
    client.force_login(kcst)
    response = client.post(
        url(in_review, "accept_proposal"), {"section": "Ch.7", "text": "Too late"},
        HTTP_REFERER=f"http://testserver{url(in_review)}", follow=True,
    )
    assert "Nothing was saved." in response.content.decode()
    assert not ChangeNote.objects.filter(text="Too late").exists()
