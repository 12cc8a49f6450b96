"""KCST sets up an agreement or an edition on one admin screen: blank, a copied structure, or a past edition."""

import datetime

from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Snapshot, Version
from review.models import PublishedComparison

ADD = "/admin/agreements/agreement/add/"


def form(**values) -> dict:
    return {"agreement": "", "name": "", "area": "", "slug": "", "kind": "draft", "number": "1.0",
            "effective_month": "4", "effective_year": "2011", "structure_from": "", "working_group_on": "",
            "consulted_on": "", "agreed_on": "", "minute": "", "published_on": "", "sources": "", **values}


def test_kcst_sets_up_a_new_agreement_with_a_blank_first_edition(client, kcst):
    client.force_login(kcst)
    response = client.post(ADD, form(name="Kent Community Safety Agreement 2011-14", area="Kent"))

    agreement = Agreement.objects.get(slug="kent-community-safety-agreement-2011-14")
    version = agreement.versions.get()
    assert response["Location"] == reverse("admin:agreements_version_change", args=[version.pk])
    assert (version.number, version.effective_label, version.status) == ("1.0", "April 2011", "draft")
    assert version.chapters.count() == 0
    assert version.history.first().history_user == kcst


def test_the_first_edition_can_copy_the_chapter_structure_of_any_edition(client, kcst, draft):
    appendix_a = draft.chapters.get(generated="strategic_assessments")
    appendix_a.block_heading = "CSPs naming it"
    appendix_a.save()
    client.force_login(kcst)
    client.post(ADD, form(name="Medway Community Safety Agreement", area="Medway", slug="medway",
                          structure_from=draft.pk))

    version = Version.objects.get(agreement__slug="medway")
    copied = [(c.key, c.label, c.title, c.generated, c.block_heading) for c in version.chapters.all()]
    assert copied == [(c.key, c.label, c.title, c.generated, c.block_heading) for c in draft.chapters.all()]
    assert "CSPs naming it" in [heading for *_, heading in copied]
    assert not version.chapters.filter(paragraphs__isnull=False).exists()


def test_a_past_edition_is_recorded_with_the_dates_of_its_sign_off(client, kcst, kent):
    client.force_login(kcst)
    response = client.post(ADD, form(
        agreement=kent.pk, kind="past", number="0.9", effective_year="2016", agreed_on="2016-03-10",
        minute="RESOLVED that the priorities be agreed", published_on="2016-04-01", sources="csa-2016.pdf",
    ))

    version = kent.versions.get(number="0.9")
    assert response.status_code == 302
    assert (version.status, version.historical, version.sources) == ("published", True, "csa-2016.pdf")
    route = [(t.to_status, t.at.date(), t.meeting_date) for t in version.transitions.all()]
    assert route == [("agreed", datetime.date(2016, 3, 10), datetime.date(2016, 3, 10)),
                     ("published", datetime.date(2016, 4, 1), None)]
    assert version.published_at.date() == datetime.date(2016, 4, 1)


def test_a_past_editions_whole_route_is_on_record_step_by_step_at_midday(client, kcst, kent):
    client.force_login(kcst)
    client.post(ADD, form(
        agreement=kent.pk, kind="past", number="0.8", effective_year="2015", working_group_on="2015-01-20",
        consulted_on="2015-02-03", agreed_on="2015-03-12", minute="Minute 15/07", published_on="2015-04-01",
        sources="csa-2015.pdf",
    ))

    version = kent.versions.get(number="0.8")
    route = [
        (t.name, t.from_status, t.to_status, t.by, t.note, timezone.localtime(t.at).replace(tzinfo=None),
         t.meeting_date, t.minute)
        for t in version.transitions.all()
    ]
    assert route == [
        ("recorded", "draft", "working_group_review", kcst, "csa-2015.pdf", datetime.datetime(2015, 1, 20, 12),
         None, ""),
        ("recorded", "working_group_review", "kcsp_consultation", kcst, "csa-2015.pdf",
         datetime.datetime(2015, 2, 3, 12), None, ""),
        ("recorded", "kcsp_consultation", "agreed", kcst, "csa-2015.pdf", datetime.datetime(2015, 3, 12, 12),
         datetime.date(2015, 3, 12), "Minute 15/07"),
        ("recorded", "agreed", "published", kcst, "csa-2015.pdf", datetime.datetime(2015, 4, 1, 12), None, ""),
    ]
    assert version.status == "published"
    assert timezone.localtime(version.published_at).replace(tzinfo=None) == datetime.datetime(2015, 4, 1, 12)
    # Kept as published at once, as a past edition: no request renders it, and it had no review page.
    assert Snapshot.objects.filter(version=version).exists()
    assert not PublishedComparison.objects.filter(version=version).exists()


def test_a_past_edition_needs_its_publication_date_and_changes_nothing_without_it(client, kcst, kent):
    client.force_login(kcst)
    response = client.post(ADD, form(agreement=kent.pk, kind="past", number="0.9", effective_year="2016"))

    assert response.status_code == 200
    assert "Date it was published: Enter the date the past edition was published." in response.content.decode()
    assert not kent.versions.filter(number="0.9").exists()


def test_a_second_open_draft_is_refused_with_the_reason(client, kcst, kent):
    client.force_login(kcst)
    response = client.post(ADD, form(agreement=kent.pk, number="9.0", effective_year="2025"))

    assert "Version 8.0 of the Kent Community Safety Agreement is still open (Draft)" in response.content.decode()
    assert not kent.versions.filter(number="9.0").exists()


def test_a_new_agreement_needs_a_name_and_a_free_short_name(client, kcst):
    client.force_login(kcst)
    response = client.post(ADD, form(area="Kent", slug="kent"))

    page = response.content.decode()
    assert "Enter the name of the new agreement, or choose an agreement." in page
    assert "The short name &#x27;kent&#x27; is taken: choose another." in page
    assert Agreement.objects.count() == 1


def test_the_version_add_page_is_the_same_screen(client, kcst):
    client.force_login(kcst)
    response = client.get("/admin/agreements/version/add/")
    assert response.status_code == 200
    assert "Set up an agreement or an edition" in response.content.decode()


def test_only_kcst_sets_up_agreements(client, kcsp_member, officer_a):
    for user in (kcsp_member, officer_a):
        client.force_login(user)
        response = client.post(ADD, form(name="Sneaky", area="Kent"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Agreement.objects.filter(name="Sneaky").exists()


def test_a_past_edition_with_a_number_already_taken_is_refused(client, kcst, kent):
    client.force_login(kcst)
    response = client.post(ADD, form(agreement=kent.pk, kind="past", number="7.0", effective_year="2023",
                                     published_on="2023-04-01"))

    assert "The Kent Community Safety Agreement already has a version 7.0." in response.content.decode()
    assert kent.versions.filter(number="7.0").count() == 1


def test_past_sign_off_dates_out_of_route_order_are_refused(client, kcst, kent):
    client.force_login(kcst)
    response = client.post(ADD, form(agreement=kent.pk, kind="past", number="0.9", effective_year="2016",
                                     agreed_on="2016-05-01", published_on="2016-04-01"))

    assert "The sign-off dates must follow the route" in response.content.decode()
    assert not kent.versions.filter(number="0.9").exists()


def test_a_name_without_letters_needs_a_short_name(client, kcst):
    client.force_login(kcst)
    response = client.post(ADD, form(name="—", area="Kent"))

    assert "Write a short name" in response.content.decode()
    assert Agreement.objects.count() == 1


def test_a_name_with_a_line_break_is_refused_naming_the_field(client, kcst):
    client.force_login(kcst)
    response = client.post(ADD, form(name="Kent\nAgreement", area="Kent", slug="kent-x"))

    assert "Name of the new agreement: Write the name on one line" in response.content.decode()
    assert not Agreement.objects.filter(slug="kent-x").exists()


def test_a_new_fixed_term_agreement_is_set_up_with_its_period(client, kcst):
    client.force_login(kcst)
    client.post(ADD, form(name="Kent Community Safety Agreement 2011-14", area="Kent", slug="kent-2011",
                          period_start_month="4", period_start_year="2011",
                          period_end_month="3", period_end_year="2014"))
    assert Agreement.objects.get(slug="kent-2011").period == "April 2011 to March 2014"


def test_a_period_half_given_or_given_for_an_existing_agreement_is_refused_naming_the_field(client, kcst, kent):
    client.force_login(kcst)
    half = client.post(ADD, form(name="Medway Community Safety Agreement", area="Medway", slug="medway",
                                 period_start_month="4", period_start_year="2011"))
    assert ('<a href="#id_period_end_year">Period to (year): Give the period&#x27;s first and last month '
            'and year, or none of them.</a>') in half.content.decode()
    existing = client.post(ADD, form(agreement=kent.pk, number="9.0", effective_year="2025",
                                     period_start_month="4", period_start_year="2024",
                                     period_end_month="3", period_end_year="2027"))
    assert "Only a new agreement&#x27;s period is given here" in existing.content.decode()
    assert not Agreement.objects.filter(slug="medway").exists() and not kent.versions.filter(number="9.0").exists()
    kent.refresh_from_db()
    assert kent.period == ""
