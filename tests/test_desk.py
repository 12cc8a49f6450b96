"""KCST's desk: after signing in, KCST land on what needs them: returns to review, comments, the draft's next step."""

from django.urls import reverse

from review.models import Comment

from .test_cycle_dashboard import submit


def sign_in(client, user):
    user.set_password("correct-horse-battery")
    user.save()
    return client.post(reverse("login"), {"username": user.username, "password": "correct-horse-battery"}, follow=True)


def test_signing_in_lands_kcst_on_what_needs_them(client, kcst, kcsp_member, draft, ashford_return, officer_a,
                                                   settings):
    settings.TWO_FACTOR_REQUIRED = False
    submit(ashford_return, officer_a)
    Comment.objects.create(version=draft, target="chapter", target_key="priorities", target_label="Priorities",
                           chapter_key="priorities", author=kcsp_member, text="Why?")
    response = sign_in(client, kcst)
    assert response.redirect_chain[-1][0] == reverse("desk:kcst")
    page = response.content.decode()
    assert "1 return submitted and waiting for you" in page
    assert f'<a href="{reverse("portal:review", args=[ashford_return.pk])}">Ashford Community Safety Partnership</a>' in page
    assert "1 comment waiting for an answer" in page
    assert "Next: Send to the Working Group for review." in page
    assert f'href="{reverse("desk:kcst")}">What needs you</a>' in page  # in the header, to come back to


def test_the_desk_lists_only_what_waits_for_kcst(client, kcst, draft, ashford_return, officer_a):
    submit(ashford_return, officer_a)
    ashford_return.refresh_from_db()
    ashford_return.accept(kcst)
    client.force_login(kcst)
    page = client.get(reverse("desk:kcst")).content.decode()
    assert "No return is waiting for review." in page and "No comment is waiting for an answer." in page
