"""KCST's desk in the admin: keys made for blank rows, add pages that work, the refresh button and its cycle."""

import pytest
from django.urls import reverse

from agreements.models import Chapter, Paragraph, Priority, Version

from .admin_forms import add_rows, change_page_data
from .conftest import mark_published


def test_two_chapters_added_with_blank_keys_are_not_refused_as_duplicates(client, kcst, draft):
    client.force_login(kcst)
    url = reverse("admin:agreements_version_change", args=[draft.pk])
    data = add_rows(change_page_data(client.get(url)), "chapters", [
        {"order": 20, "label": "", "title": "Purpose of the Agreement", "key": "", "generated": ""},
        {"order": 21, "label": "", "title": "Purpose of the Agreement", "key": "", "generated": ""},
    ])

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    keys = list(draft.chapters.filter(title="Purpose of the Agreement").values_list("key", flat=True))
    assert len(keys) == 2 and len(set(keys)) == 2
    assert all(key.startswith("purpose-of-the-agreement-") for key in keys)


@pytest.mark.parametrize("model", ["paragraph", "priority", "policecrimeplan"])
def test_add_pages_offer_only_draft_editions_and_never_fail(client, kcst, draft, model):
    client.force_login(kcst)
    response = client.get(f"/admin/agreements/{model}/add/")
    assert response.status_code == 200
    parent = response.context["adminform"].form.fields["chapter" if model == "paragraph" else "version"]
    editions = {getattr(choice, "version", choice) for choice in parent.queryset}
    assert editions == {draft}


def test_a_paragraph_is_added_to_a_draft_chapter_from_its_add_page(client, kcst, draft):
    client.force_login(kcst)
    chapter = draft.chapters.get(key="landscape")
    response = client.post("/admin/agreements/paragraph/add/", {
        "chapter": chapter.pk, "order": 99, "style": "numbered", "html": "A new paragraph.", "key": "",
    })
    assert response.status_code == 302
    assert chapter.paragraphs.filter(html="A new paragraph.").exclude(key="").exists()


def test_a_priority_cannot_be_added_to_a_published_edition(client, kcst, kent):
    client.force_login(kcst)
    published = kent.versions.get(number="7.0")
    response = client.post("/admin/agreements/priority/add/", {
        "version": published.pk, "order": 9, "name": "Late addition", "key": "", "edit_revision": "",
        "lead-TOTAL_FORMS": 0, "lead-INITIAL_FORMS": 0, "lead-MIN_NUM_FORMS": 0, "lead-MAX_NUM_FORMS": 1,
    })
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Priority.objects.filter(name="Late addition").exists()


def test_the_refresh_button_starts_the_draft_fed_by_the_open_cycle(client, kcst, kent, draft, cycle_2024):
    published = mark_published(draft)
    client.force_login(kcst)
    page = client.get(reverse("admin:agreements_version_change", args=[published.pk])).content.decode()
    refresh = reverse("admin:agreements_version_refresh", args=[published.pk])
    assert f'formaction="{refresh}"' in page

    response = client.post(refresh, follow=True)

    new = kent.versions.get(number="9.0")
    assert response.redirect_chain[-1][0] == reverse("admin:agreements_version_change", args=[new.pk])
    cycle_2024.refresh_from_db()
    assert cycle_2024.version == new
    assert "Appendix A is fed by the 2024-25 assessment cycle." in response.content.decode()


def test_a_refresh_leaves_the_choice_to_kcst_when_several_cycles_wait(kent, draft, cycle_2024):
    import datetime

    from agreements.refresh import start_next_refresh
    from assessments.cycles import open_cycle

    other = open_cycle(kent, "2024-25 extra", due_on=cycle_2024.due_on + datetime.timedelta(days=1))
    mark_published(draft)

    new = start_next_refresh(kent)

    assert not new.cycles.exists()
    assert {cycle_2024.pk, other.pk} == set(kent.cycles.filter(version__isnull=True).values_list("pk", flat=True))


def test_scrutiny_is_recorded_from_the_version_page(client, kcst, draft):
    published = mark_published(draft)
    client.force_login(kcst)
    response = client.post(reverse("admin:agreements_version_scrutiny", args=[published.pk]), {
        "scrutiny-meeting_date": "2024-06-01", "scrutiny-minute": "Noted",
    })
    assert response.status_code == 302
    assert published.scrutiny_records.get().minute == "Noted"


def test_no_add_page_kcst_is_offered_fails(client, kcst, draft):
    from .test_admin import our_admins

    client.force_login(kcst)
    for model, model_admin in our_admins():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        offered = client.get(url)
        assert offered.status_code in (200, 403), url
        if offered.status_code == 200:
            refused = client.post(url, {})
            assert refused.status_code == 200, url
            assert "errornote" in refused.content.decode(), url


def test_with_several_open_cycles_the_draft_page_asks_which_one_feeds_it(client, kcst, kent, draft, cycle_2024):
    import datetime

    from agreements.refresh import start_next_refresh
    from assessments.cycles import open_cycle

    other = open_cycle(kent, "2024-25 extra", due_on=cycle_2024.due_on + datetime.timedelta(days=1))
    mark_published(draft)
    new = start_next_refresh(kent)
    client.force_login(kcst)
    page = client.get(reverse("admin:agreements_version_change", args=[new.pk])).content.decode()
    assert '<label for="id_feed_cycle">Which open cycle feeds it?</label>' in page
    assert f'<option value="{other.pk}">2024-25 extra</option>' in page

    response = client.post(reverse("admin:assessments_assessmentcycle_feed"),
                           {"feed-version": new.pk, "feed-cycle": other.pk}, follow=True)

    other.refresh_from_db()
    assert other.version == new
    assert "Appendix A of Kent Community Safety Agreement (kent) 9.0, April 2025 is fed by the 2024-25 extra" in (
        response.content.decode())
    refused = client.post(reverse("admin:assessments_assessmentcycle_feed"),
                          {"feed-version": new.pk, "feed-cycle": cycle_2024.pk + other.pk + 100})
    assert refused.status_code == 404


def test_only_kcst_chooses_the_cycle_that_feeds_a_draft(client, kcsp_member, kent, draft, cycle_2024):
    client.force_login(kcsp_member)
    response = client.post(reverse("admin:assessments_assessmentcycle_feed"),
                           {"feed-version": draft.pk, "feed-cycle": cycle_2024.pk})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    cycle_2024.refresh_from_db()
    assert cycle_2024.version is None
