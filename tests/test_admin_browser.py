"""KCST's admin pages in headless Chromium: each fits a 1280 px window and axe-core finds nothing;
the refresh button and the set-up screen work when clicked."""

import datetime
import io
from itertools import chain

import pytest
from django.core.management import call_command
from django.urls import reverse

from agreements.models import Agreement, Chapter, Footnote, Version
from agreements.workflow import record_past_status
from assessments.cycles import open_cycle
from assessments.models import AssessmentReturn

from .conftest import assert_accessible, assert_admin_pages_fit_and_pass_axe, make_user, mark_published, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the logos the pages show

WIDTH = 1280


def kcst_pages() -> list[str]:
    """Every admin and editor page KCST uses: lists, change pages with their inlines, workflow pages,
    the set-up screen, the draft's page with its Edit links and the editor's pages."""
    draft = Version.objects.get(agreement__slug="kent", number="8.0")
    published = Version.objects.get(agreement__slug="kent", number="7.0")
    chapter = draft.chapters.get(key="landscape")
    paragraph = chapter.paragraphs.first()
    note = Footnote.objects.create(chapter=chapter, key="note-source", html="Kent County Council, 2024.")
    # A chapter with no text yet: the draft's page lists its Edit link apart.
    Chapter.objects.create(version=draft, order=99, label="F", title="Not written yet")
    in_draft = [draft.agreement.slug, draft.number]
    priority = draft.priorities.first()
    returned = AssessmentReturn.objects.filter(partnership__slug="ashford").first()
    call_command("load_demo_logos", stdout=io.StringIO())  # the cover's and back page's, on the draft
    logo = draft.logos.first().image
    lists = ["agreementimage", "agreement", "version", "chapter", "paragraph", "priority", "lead", "crosscuttingtheme",
             "policecrimeplan", "planlink", "responsibleauthority", "signatory", "horizonitem", "achievement",
             "changenote"]
    return [
        reverse("admin:index"),
        *(reverse(f"admin:agreements_{model}_changelist") for model in lists),
        *(reverse(f"admin:assessments_{model}_changelist")
          for model in ("assessmentcycle", "assessmentreturn", "partnership", "district", "category")),
        reverse("admin:agreements_version_change", args=[draft.pk]),
        reverse("admin:agreements_version_change", args=[published.pk]),
        reverse("admin:agreements_version_history", args=[draft.pk]),
        reverse("admin:agreements_chapter_change", args=[chapter.pk]),
        reverse("admin:agreements_paragraph_change", args=[paragraph.pk]),
        reverse("admin:agreements_priority_change", args=[priority.pk]),
        reverse("admin:agreements_policecrimeplan_change", args=[draft.police_crime_plan.pk]),
        reverse("admin:agreements_agreement_change", args=[draft.agreement.pk]),
        reverse("admin:assessments_assessmentcycle_change", args=[returned.cycle.pk]),
        reverse("admin:assessments_assessmentreturn_change", args=[returned.pk]),
        reverse("admin:assessments_partnership_change", args=[returned.partnership.pk]),
        reverse("admin:assessments_district_change", args=[returned.partnership.districts.first().pk]),
        reverse("admin:assessments_category_change", args=[returned.cycle.categories.first().pk]),
        reverse("admin:agreements_lead_change", args=[priority.lead.pk]),
        reverse("admin:agreements_changenote_change", args=[draft.change_notes.first().pk]),
        reverse("admin:agreements_planlink_change", args=[draft.plan_links.first().pk]),
        reverse("admin:agreements_horizonitem_change", args=[draft.horizon_items.first().pk]),
        reverse("admin:agreements_version_transition", args=[draft.pk, "send_to_working_group"]),
        reverse("admin:agreements_agreement_add"),
        reverse("admin:agreements_version_add"),
        reverse("admin:agreements_paragraph_add"),
        reverse("admin:agreements_priority_add"),
        reverse("admin:agreements_policecrimeplan_add"),
        reverse("admin:agreements_chapter_add"),
        reverse("admin:agreements_achievement_change", args=[draft.achievements.first().pk]),
        reverse("admin:agreements_agreementimage_change", args=[logo.pk]),
        reverse("admin:agreements_agreementimage_add"),
        reverse("edition", args=in_draft),
        reverse("edit_chapter", args=[*in_draft, chapter.key]),
        reverse("edit_paragraph", args=[*in_draft, paragraph.pk]),
        reverse("add_paragraph", args=[*in_draft, chapter.key]) + f"?after={paragraph.pk}",
        reverse("delete_paragraph", args=[*in_draft, paragraph.pk]),
        reverse("add_note", args=[*in_draft, chapter.key]),
        reverse("edit_note", args=[*in_draft, note.pk]),
        reverse("delete_note", args=[*in_draft, note.pk]),
    ]


def sign_off_pages():
    """The pages of the later sign-off steps, the draft moved along the route as they are visited."""
    draft = Version.objects.get(agreement__slug="kent", number="8.0")
    for status, step in (("kcsp_consultation", "record_agreement"), ("agreed", "publish"),
                         ("agreed", "return_to_draft")):
        record_past_status(draft, status, "For the page test.")
        draft.refresh_from_db()
        yield reverse("admin:agreements_version_change", args=[draft.pk])
        yield reverse("admin:agreements_version_transition", args=[draft.pk, step])


def test_every_admin_page_kcst_uses_fits_1280_px_and_passes_axe(page, live_kent):
    kcst = make_user("kcst-desk", "KCST staff", is_staff=True)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    sign_in(page, live_kent, kcst)
    # chain: the sign-off pages move the draft on only once the pages before them were visited.
    assert_admin_pages_fit_and_pass_axe(page, live_kent.url, chain(kcst_pages(), sign_off_pages()), WIDTH)


def test_start_the_next_refresh_lands_on_the_new_draft_fed_by_the_open_cycle(page, live_kent):
    kcst = make_user("kcst-refresh", "KCST staff", is_staff=True)
    kent = Agreement.objects.get(slug="kent")
    published = mark_published(kent.versions.get(number="8.0"))
    cycle = open_cycle(kent, "2024-25", due_on=datetime.date.today() + datetime.timedelta(days=28))
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}{reverse('admin:agreements_version_change', args=[published.pk])}")

    with page.expect_navigation():
        page.get_by_role("button", name="Start the next refresh").click()

    new = kent.versions.get(number="9.0")
    assert page.url.endswith(reverse("admin:agreements_version_change", args=[new.pk]))
    assert page.get_by_text("Appendix A is fed by the 2024-25 assessment cycle.").first.is_visible()
    cycle.refresh_from_db()
    assert cycle.version == new
    assert_accessible(page, preload=False)


def test_kcst_sets_up_a_new_agreement_from_another_editions_chapters(page, live_kent):
    kcst = make_user("kcst-setup", "KCST staff", is_staff=True)
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/admin/agreements/")
    page.get_by_role("row", name="Agreements").get_by_role("link", name="Add").click()

    with page.expect_navigation():
        page.get_by_role("button", name="Set up the edition").click()
    assert page.get_by_text("There is a problem: nothing was set up.").is_visible()
    assert_accessible(page, preload=False)

    page.get_by_label("Name of the new agreement").fill("Kent Community Safety Agreement 2011-14")
    page.get_by_label("County or area it covers").fill("Kent")
    page.get_by_label("Short name for addresses").fill("kent-2011")
    page.get_by_label("Effective year").fill("2011")
    page.get_by_label("Chapters to start with").select_option(label="Kent Community Safety Agreement (kent) 8.0, April 2024")
    with page.expect_navigation():
        page.get_by_role("button", name="Set up the edition").click()

    version = Version.objects.get(agreement__slug="kent-2011")
    assert page.url.endswith(reverse("admin:agreements_version_change", args=[version.pk]))
    assert page.get_by_text("Set up Kent Community Safety Agreement 2011-14 (kent-2011) 1.0, April 2011: Draft").is_visible()
    assert version.chapters.count() == Version.objects.get(agreement__slug="kent", number="8.0").chapters.count()
