"""Roles are held per agreement: one agreement's people move, read and hear about nothing of another's."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from agreements import roles
from agreements.models import Version
from agreements.workflow import TransitionRefused, available, transition

from .conftest import make_user


@pytest.fixture
def other_cast(other_agreement):
    return {
        "kcst": make_user("kcst-other", roles.KCST_STAFF, other_agreement, is_staff=True),
        "kcsp": make_user("kcsp-other", roles.KCSP_MEMBER, other_agreement),
        "working_group": make_user("wg-other", roles.WORKING_GROUP_MEMBER, other_agreement),
    }


def test_a_role_holds_in_its_own_agreement_only(kent, other_agreement, kcst, superuser):
    assert roles.is_kcst(kcst, kent) and not roles.is_kcst(kcst, other_agreement)
    assert roles.is_kcst(kcst)  # somewhere: enough to be shown KCST's pages, which then check each record
    assert roles.agreements_of(kcst, roles.KCST_STAFF) == {kent.pk}
    assert roles.is_kcst(superuser, other_agreement) and roles.agreements_of(superuser, roles.KCST_STAFF) is None


def test_kcst_of_another_agreement_may_not_move_kents_draft(draft, other_cast):
    assert available(draft, other_cast["kcst"]) == []
    with pytest.raises(TransitionRefused, match="You may not send to the working group"):
        transition(draft, "send_to_working_group", other_cast["kcst"])
    draft.refresh_from_db()
    assert draft.status == Version.Status.DRAFT


def test_moves_email_only_the_agreements_own_people(
        draft, kcst, kcsp_member, working_group_member, other_cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transition(draft, "send_to_working_group", kcst)
    with django_capture_on_commit_callbacks(execute=True):
        transition(draft, "consult_kcsp", kcst)
    assert [m.to for m in mailoutbox] == [[working_group_member.email], [kcsp_member.email]]


def test_a_comment_emails_only_the_agreements_own_kcst(client, in_review, kcsp_member, kcst, other_cast, mailoutbox):
    client.force_login(kcsp_member)
    client.post(reverse("add_comment", args=["kent", in_review.number]),
                {"about": "chapter:leads", "text": "Who leads on road safety?"})
    assert [m.to for m in mailoutbox] == [[kcst.email]]


def test_demo_users_hold_their_roles_in_kent(kent, other_agreement):
    call_command("create_demo_users", stdout=io.StringIO())
    for username, role in (("kcst", roles.KCST_STAFF), ("kcsp", roles.KCSP_MEMBER),
                           ("working-group", roles.WORKING_GROUP_MEMBER)):
        user = User.objects.get(username=username)
        assert roles.has_role(user, role, agreement=kent), username
        assert not roles.has_role(user, role, agreement=other_agreement), username
    officer = User.objects.get(username="officer-ashford")
    assert officer.partnership_officer.partnership.agreement == kent
    assert roles.has_role(officer, roles.DISTRICT_OFFICER) and not roles.is_kcst(officer)


def test_only_the_agreements_own_kcst_open_its_draft_in_the_editor(client, draft, kcst, other_cast):
    chapter = draft.chapters.get(key="priorities")
    paragraph = chapter.paragraphs.first()
    pages = [reverse("edit_chapter", args=["kent", draft.number, chapter.key]),
             reverse("edit_paragraph", args=["kent", draft.number, paragraph.pk])]
    client.force_login(other_cast["kcst"])
    assert [client.get(url).status_code for url in pages] == [404, 404]
    response = client.post(pages[1], {"html": "Written by another agreement's KCST", "style": paragraph.style,
                                      "revision": paragraph.revision})
    assert response.status_code == 404
    paragraph.refresh_from_db()
    assert "another agreement" not in paragraph.html
    client.force_login(kcst)
    assert [client.get(url).status_code for url in pages] == [200, 200]
