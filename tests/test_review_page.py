"""A review page one can work in: chapters with their changes, next and previous change, changes only,
and a comment on the very paragraph, shown beside it and in the list."""

import re

from django.urls import reverse

from agreements.models import Paragraph
from agreements.refresh import start_next_refresh
from documents.diff import plain_text
from review.models import Comment

from .conftest import change_three_things, make_user, mark_published


def review_url(version, **query) -> str:
    url = reverse("review", args=[version.agreement.slug, version.number])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def comment_url(version, key: str) -> str:
    return f"{reverse('comment_on', args=[version.agreement.slug, version.number])}?about=paragraph:{key}"


def key_of(version, number: str) -> str:
    chapter_label, n = number.split(".")
    chapter = version.chapters.get(label=chapter_label)
    numbered = chapter.paragraphs.filter(style=Paragraph.Style.NUMBERED).order_by("order", "pk")
    return numbered[int(n) - 1].key


def test_the_contents_list_each_chapter_with_its_changes(client, in_review, kcsp_member):
    client.force_login(kcsp_member)
    page = client.get(review_url(in_review)).content.decode()
    contents = plain_text(re.search(r'<nav class="review-contents".*?</nav>', page, re.S).group(0))
    assert "Chapters: 3 changes" in contents
    assert re.search(r"6\. [^\n]*? 2 changes", contents)
    assert re.search(r"7\. [^\n]*? 1 change\b", contents)
    assert '<a href="#chapter-priorities">' in page


def test_next_and_previous_change_links_walk_the_changed_paragraphs(client, kent, draft, kcst):
    mark_published(draft)
    new = start_next_refresh(kent, by=kcst)
    change_three_things(new)
    paragraph = Paragraph.objects.get(chapter__version=new, key=key_of(new, "3.2"))
    paragraph.html += " A sentence added."
    paragraph.save()
    client.force_login(kcst)
    page = client.get(review_url(new)).content.decode()
    assert page.index('id="change-1"') < page.index('id="change-2"')
    first = re.search(r'<p class="change-nav[^>]*id="change-1">.*?</p>', page, re.S).group(0)
    second = re.search(r'<p class="change-nav[^>]*id="change-2">.*?</p>', page, re.S).group(0)
    assert 'href="#change-2">Next change' in first and "Previous change" not in first
    assert 'href="#change-1">Previous change' in second and "Next change" not in second
    assert '<a href="#change-1">First change</a>' in page


def test_changes_only_hides_the_unchanged_paragraphs(client, in_review, kcsp_member):
    client.force_login(kcsp_member)
    full = client.get(review_url(in_review)).content.decode()
    changes = client.get(review_url(in_review, view="changes")).content.decode()
    unchanged = 'id="paragraph-6-2"'
    assert unchanged in full and unchanged not in changes
    assert "Changed paragraph 6.1:" in changes
    assert "Showing changes only." in changes and f'href="{review_url(in_review)}">Show the whole edition' in changes
    assert f'href="{review_url(in_review, view="changes")}">Show changes only' in full
    assert len(changes) < len(full) / 2


def test_a_member_comments_on_a_paragraph_and_returns_to_it(client, in_review, kcsp_member, kcst, mailoutbox):
    key = key_of(in_review, "6.2")
    client.force_login(kcsp_member)
    page = client.get(review_url(in_review)).content.decode()
    assert f'href="{comment_url(in_review, key)}">Comment on this paragraph' in page
    form = client.get(comment_url(in_review, key)).content.decode()
    assert "<h1>Comment on paragraph 6.2</h1>" in form
    quoted = plain_text(Paragraph.objects.get(chapter__version=in_review, key=key).html)
    assert quoted[:60] in plain_text(form)

    response = client.post(comment_url(in_review, key), {"about": f"paragraph:{key}", "text": "Say who leads this."})

    assert response.status_code == 302 and response["Location"] == f"{review_url(in_review)}#paragraph-6-2"
    saved = Comment.objects.get()
    assert (saved.target, saved.target_key, saved.target_label, saved.chapter_key) == (
        "paragraph", key, "Paragraph 6.2", "priorities")
    assert mailoutbox[-1].to == [kcst.email]
    page = client.get(review_url(in_review)).content.decode()
    beside = page.index(f'id="paragraph-comment-{saved.pk}"')
    assert page.index('id="paragraph-6-2"') < beside < page.index('id="paragraph-6-3"')
    assert f'id="comment-{saved.pk}"' in page
    assert page.count("Say who leads this.") == 2


def test_a_comment_on_a_paragraph_needs_text(client, in_review, kcsp_member):
    key = key_of(in_review, "6.2")
    client.force_login(kcsp_member)
    response = client.post(comment_url(in_review, key), {"about": f"paragraph:{key}", "text": "  "})
    assert response.status_code == 400
    assert "Enter your comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_only_commenters_get_the_comment_form(client, in_review, kcst, officer_a, draft):
    key = key_of(in_review, "6.2")
    client.force_login(kcst)
    assert "Comment on this paragraph" not in client.get(review_url(in_review)).content.decode()
    assert client.get(comment_url(in_review, key)).status_code == 404
    client.force_login(officer_a)
    assert client.get(comment_url(in_review, key)).status_code == 404
    assert client.post(comment_url(in_review, key), {"about": f"paragraph:{key}", "text": "x"}).status_code == 404
    outsider = make_user("outsider")
    client.force_login(outsider)
    assert client.get(comment_url(in_review, key)).status_code == 404
    assert not Comment.objects.exists()


def test_a_part_that_does_not_exist_is_not_found(client, in_review, kcsp_member):
    client.force_login(kcsp_member)
    assert client.get(comment_url(in_review, "no-such-paragraph")).status_code == 404
