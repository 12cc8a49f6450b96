"""From Draft on, the version's admin page lists every publish guard, its state and the record that fixes it."""

import re

from django.urls import reverse

from agreements.models import ChangeNote, Paragraph
from agreements.workflow import record_past_status


def sign_off_section(client, version) -> str:
    page = client.get(reverse("admin:agreements_version_change", args=[version.pk])).content.decode()
    return page[page.index('id="sign-off"'):]


def test_a_draft_shows_every_publish_guard_with_links_to_what_fixes_it(client, kcst, draft):
    paragraph = Paragraph.objects.filter(chapter__version=draft).first()
    Paragraph.objects.filter(pk=paragraph.pk).update(to_be_updated=True)
    lead = draft.priorities.get(key="road-safety").lead
    lead.role, lead.tbc = "", False
    lead.save()
    client.force_login(kcst)

    section = sign_off_section(client, draft)

    assert "Not yet:</strong> Nothing is still marked &#x27;to be updated&#x27;" in section
    assert "Done:</strong> The edition has a foreword" in section
    assert "Not yet:</strong> Every priority has a lead" in section
    assert "Done:</strong> The version-control table has change notes" in section
    paragraph_url = reverse("admin:agreements_paragraph_change", args=[paragraph.pk])
    assert f'<a href="{paragraph_url}">Paragraph in {paragraph.chapter.heading}' in section
    priority_url = reverse("admin:agreements_priority_change", args=[lead.priority.pk])
    assert f'<a href="{priority_url}">Priority &#x27;{lead.priority.name}&#x27; has no lead' in section
    note = ChangeNote.objects.filter(version=draft, to_be_updated=True).first()
    assert reverse("admin:agreements_changenote_change", args=[note.pk]) in section


def test_a_step_says_beforehand_why_it_is_not_possible_yet(client, kcst, draft):
    record_past_status(draft, "agreed", "For the test.")
    client.force_login(kcst)

    section = sign_off_section(client, draft)

    assert re.search(r'<span class="step-not-yet">Publish</span>\s+is not possible yet: 2 things to fix', section)
    assert reverse("admin:agreements_version_transition", args=[draft.pk, "publish"]) not in section
    page = client.get(reverse("admin:agreements_version_transition", args=[draft.pk, "publish"])).content.decode()
    assert "Publish is not possible yet." in page
    assert "is still marked &#x27;to be updated&#x27;" in page


def test_a_refused_step_says_whether_it_is_the_state_or_the_role(client, kcst, superuser, draft):
    client.force_login(kcst)
    response = client.get(reverse("admin:agreements_version_transition", args=[draft.pk, "publish"]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Version 8.0 is Draft: &#x27;Publish&#x27; is possible only from Agreed by KCSP." in page

    published = draft.agreement.versions.get(number="7.0")
    response = client.get(reverse("admin:agreements_version_transition", args=[published.pk, "return_to_draft"]))
    assert "is possible only from Working Group review or KCSP consultation or Agreed by KCSP" in (
        response.content.decode())


def test_staff_without_the_kcst_role_are_told_it_is_their_role(client, draft):
    from .conftest import make_user

    helper = make_user("helpdesk", "KCSP member", is_staff=True)
    from django.contrib.auth.models import Permission

    helper.user_permissions.add(Permission.objects.get(codename="view_version"))
    client.force_login(helper)
    response = client.get(reverse("admin:agreements_version_transition", args=[draft.pk, "send_to_working_group"]))
    assert response.status_code == 403
    assert "Only KCST staff may send to the Working Group for review." in response.content.decode()


def test_a_published_version_shows_no_checklist(client, kcst, kent):
    client.force_login(kcst)
    assert "Ready to publish?" not in sign_off_section(client, kent.versions.get(number="7.0"))


def test_a_change_to_a_published_edition_is_refused_naming_its_state(client, kcst, kent):
    chapter = kent.versions.get(number="1.0").chapters.first()
    client.force_login(kcst)
    for url in (reverse("admin:agreements_chapter_change", args=[chapter.pk]),
                reverse("admin:agreements_chapter_delete", args=[chapter.pk])):
        response = client.post(url, {"title": "Changed", "post": "yes"})
        assert response.status_code == 403
        assert "Version 1.0 is Published: its content can change only while it is a draft." in (
            response.content.decode())
    chapter.refresh_from_db()
    assert chapter.title != "Changed"
