"""Roles are held per agreement: one agreement's people move, read and hear about nothing of another's."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
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
    with pytest.raises(TransitionRefused, match="You may not send to the Working Group"):
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


def test_a_granted_role_counts_at_once_for_the_same_user(kent):
    user = make_user("new-colleague")
    assert not roles.is_kcst(user, kent)  # the user's roles are now read and kept on the object
    roles.grant(user, roles.KCST_STAFF, kent)
    assert roles.is_kcst(user, kent)
    assert list(user.groups.values_list("name", flat=True)) == [roles.KCST_STAFF]


def test_a_role_is_not_another_role(kent, kcst, kcsp_member):
    assert not roles.has_role(kcst, roles.KCSP_MEMBER, roles.WORKING_GROUP_MEMBER, agreement=kent)
    assert roles.can_read_drafts(kcsp_member, kent) and not roles.is_kcst(kcsp_member, kent)


def test_anonymous_visitors_hold_no_role_and_reach_no_record(kent):
    anonymous = AnonymousUser()
    assert not roles.has_role(anonymous, *roles.ALL_ROLES)
    assert roles.agreements_of(anonymous, *roles.ALL_ROLES) == set()
    assert not roles.within(Version.objects.all(), anonymous, *roles.ALL_ROLES).exists()


def test_a_district_officer_holds_no_role_in_an_agreement_itself(kent, officer_a):
    assert roles.has_role(officer_a, roles.DISTRICT_OFFICER)
    assert not roles.has_role(officer_a, roles.DISTRICT_OFFICER, agreement=kent)
    assert roles.agreements_of(officer_a, *roles.ALL_ROLES) == set()
    assert not roles.can_read_drafts(officer_a)


def test_records_are_those_of_the_users_own_agreements(kent, other_agreement, kcst, kcsp_member, superuser):
    assert roles.can_read_drafts(kcsp_member, kent) and not roles.can_read_drafts(kcsp_member, other_agreement)
    editions = Version.objects.all()
    assert set(roles.within(editions, kcst, roles.KCST_STAFF)) == set(kent.versions.all())
    assert not roles.within(editions, kcst, roles.KCSP_MEMBER).exists()
    assert roles.within(editions, superuser, roles.KCST_STAFF).count() == editions.count() > kent.versions.count()


def test_a_users_roles_are_read_once_however_often_a_page_asks(kent, kcst, django_assert_num_queries):
    roles.is_kcst(kcst, kent)
    with django_assert_num_queries(0):
        assert roles.is_kcst(kcst, kent) and roles.can_read_drafts(kcst) and roles.agreements_of(kcst, roles.KCST_STAFF)


def test_kcst_staff_manage_the_kcst_apps_but_not_who_holds_which_role(db):
    Group.objects.all().delete()
    roles.ensure_roles(Group, Permission)  # as the roles' data migration does
    permissions = Group.objects.get(name=roles.KCST_STAFF).permissions
    assert set(permissions.values_list("content_type__app_label", flat=True)) == set(roles.KCST_APPS)
    models = set(permissions.values_list("content_type__model", flat=True))
    assert {"version", "assessmentreturn"} <= models
    assert not {"membership", "historicalmembership"} & models
    others = Group.objects.filter(name__in=[roles.KCSP_MEMBER, roles.WORKING_GROUP_MEMBER, roles.DISTRICT_OFFICER])
    assert others.count() == 3 and not others.filter(permissions__isnull=False).exists()


def test_readers_find_every_published_edition_and_only_their_own_agreements_drafts(
        kent, draft, other_agreement, kcsp_member, superuser):
    published = set(Version.objects.filter(status=Version.Status.PUBLISHED))
    assert draft not in published
    assert set(roles.editions_for(AnonymousUser())) == published
    assert set(roles.editions_for(kcsp_member)) == published | set(kent.versions.all())
    outsider = make_user("kcsp-other", roles.KCSP_MEMBER, other_agreement)
    assert draft not in roles.editions_for(outsider)
    assert roles.editions_for(superuser).count() == Version.objects.count()


def test_a_migration_step_gives_kcst_the_permissions_of_its_apps_models(db):
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    kcst = Group.objects.get(name=roles.KCST_STAFF)
    kcst.permissions.remove(*Permission.objects.filter(content_type__app_label="delivery"))
    Permission.objects.filter(content_type__app_label="delivery", codename__startswith="view_").delete()
    historical = MigrationLoader(connection).project_state().apps
    roles.kcst_permissions_step("delivery")(historical, None)
    granted = set(kcst.permissions.filter(content_type__app_label="delivery").values_list("codename", flat=True))
    assert {"view_action", "change_action"} <= granted
