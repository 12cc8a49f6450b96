"""Each list of an edition is one form on the version's page; a generated block's place and heading are data."""

from django.urls import reverse

from agreements.models import Lead
from documents.pdf import document_html

from .admin_forms import add_rows, change_page_data, row_index


def version_page(client, version):
    url = reverse("admin:agreements_version_change", args=[version.pk])
    return url, change_page_data(client.get(url))


def test_plans_authorities_signatories_and_horizon_items_are_edited_in_one_post(client, kcst, draft):
    client.force_login(kcst)
    url, data = version_page(client, draft)
    first_plan = draft.plan_links.first()
    plan_index = row_index(data, "plan_links", first_plan)
    data[f"plan_links-{plan_index}-DELETE"] = "on"
    first_authority = draft.authorities.first()
    authority_index = row_index(data, "authorities", first_authority)
    data[f"authorities-{authority_index}-order"] = 99
    add_rows(data, "signatories", [{"order": 1, "text": "Chief Constable, Kent Police"},
                                   {"order": 0, "text": "Leader, Kent County Council"}])
    add_rows(data, "horizon_items", [{"order": 99, "category": "legislation", "group": "",
                                      "text": "Crime and Policing Act"}])

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert not draft.plan_links.filter(pk=first_plan.pk).exists()
    assert draft.authorities.last() == first_authority
    assert [s.text for s in draft.signatories.all()] == ["Leader, Kent County Council", "Chief Constable, Kent Police"]
    assert draft.horizon_items.filter(text="Crime and Policing Act", category="legislation").exists()


def test_priorities_their_includes_and_their_leads_are_one_form(client, kcst, draft):
    client.force_login(kcst)
    url, data = version_page(client, draft)
    road = draft.priorities.get(key="road-safety")
    index = row_index(data, "priorities", road)
    data[f"priorities-{index}-includes"] = "Speeding\nDrink driving"
    data[f"priorities-{index}-lead_role"] = "Chair of the Vision Zero Partnership"
    add_rows(data, "priorities", [{"order": 20, "name": "Fraud", "key": "", "lead_tbc": "on"}])

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    road.refresh_from_db()
    assert road.includes_list == ["Speeding", "Drink driving"]
    assert road.lead.role == "Chair of the Vision Zero Partnership"
    assert road.lead.history.first().history_user == kcst
    fraud = draft.priorities.get(name="Fraud")
    assert fraud.lead.tbc and fraud.key.startswith("fraud-")


def test_a_lead_changed_by_someone_else_meanwhile_is_not_overwritten(client, kcst, draft):
    client.force_login(kcst)
    url, data = version_page(client, draft)
    road = draft.priorities.get(key="road-safety")
    index = row_index(data, "priorities", road)
    meanwhile = Lead.objects.get(pk=road.lead.pk)
    meanwhile.role = "Their change"
    meanwhile.save()
    data[f"priorities-{index}-lead_role"] = "My change"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Someone else changed this lead while you were editing it" in response.content.decode()
    assert Lead.objects.get(pk=road.lead.pk).role == "Their change"


def test_the_appendix_a_heading_and_place_are_set_on_the_chapter_page_and_printed(client, kcst, draft):
    client.force_login(kcst)
    chapter = draft.chapters.get(generated="strategic_assessments")
    url = reverse("admin:agreements_chapter_change", args=[chapter.pk])
    data = change_page_data(client.get(url))
    last = chapter.paragraphs.last()
    places = dict(client.get(url).context["adminform"].form.fields["block_after"].choices)
    assert places[last.key].startswith("After the paragraph: Other focus areas identified include")
    data.update({"block_heading": "Number of CSPs naming it", "block_after": last.key})

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    chapter.refresh_from_db()
    assert chapter.block_after == last.key
    heading = '<th scope="col" class="numeric">Number of CSPs naming it</th>'
    assert heading in document_html(draft)
    assert heading in client.get(f"/{draft.agreement.slug}/{draft.number}/").content.decode()


def test_a_lead_with_a_line_break_is_refused_and_nothing_changes(client, kcst, draft):
    client.force_login(kcst)
    url, data = version_page(client, draft)
    road = draft.priorities.get(key="road-safety")
    data[f"priorities-{row_index(data, 'priorities', road)}-lead_role"] = "Chair\nof something"

    response = client.post(url, data)

    assert "Write the lead&#x27;s role on one line" in response.content.decode()
    assert Lead.objects.get(pk=road.lead.pk).role == road.lead.role
