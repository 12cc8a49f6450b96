"""The review's pages and PDFs, who reaches each, and KCST's editing of a draft review (issue 14)."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from agreements import roles
from annual_review.document import build_review
from annual_review.models import AnnualReview, Proposal
from annual_review.workflow import start_review
from assessments.models import AssessmentCycle

from .annual_review_cast import (
    PROPOSED_PRIORITIES,
    PROPOSED_THEMES,
    RECOMMENDATIONS,
    agreement,  # noqa: F401 (fixtures)
    decide,
    kcst_2017,  # noqa: F401
    review,  # noqa: F401
)
from .conftest import make_user

pytestmark = pytest.mark.django_db

READ_PAGES = ["review", "report", "review_pdf", "report_pdf"]
KCST_PAGES = ["edit_texts", "add_proposal", "add_recommendation", "record_decision"]


def url(review: AnnualReview, name: str, *args) -> str:
    return reverse(f"annual_review:{name}", args=[review.agreement.slug, review.cycle.label, *args])


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def cast(agreement, kcst_2017, kcst, kcsp_member):
    """Everyone: the review's agreement's roles, and the same roles in another agreement (Kent)."""
    from assessments.models import PartnershipOfficer, Partnership

    officer = make_user("officer-2017", roles.DISTRICT_OFFICER)
    PartnershipOfficer.objects.create(user=officer, partnership=Partnership.objects.get(agreement=agreement,
                                                                                         slug="ashford"))
    return {
        "kcst": kcst_2017,
        "working group": make_user("wg-2017", roles.WORKING_GROUP_MEMBER, agreement),
        "kcsp": make_user("kcsp-2017", roles.KCSP_MEMBER, agreement),
        "officer": officer,
        "kcst of another agreement": kcst,
        "kcsp of another agreement": kcsp_member,
        "public": None,
    }


READERS_OF_A_DRAFT = {"kcst", "working group", "kcsp"}


@pytest.mark.parametrize("status", ["draft", "in_review", "decided", "published"])
def test_every_role_against_every_review_url(review, cast, kcst_2017, status):
    from annual_review import workflow

    if status != "draft":
        decide(review, kcst_2017) if status in ("decided", "published") else workflow.send_for_review(review, kcst_2017)
    if status == "published":
        workflow.publish(review, kcst_2017)
    review.refresh_from_db()
    assert review.status == status
    for who, user in cast.items():
        client = client_for(user)
        may_read = who in READERS_OF_A_DRAFT or status == "published"
        listed = client.get(reverse("annual_review:reviews", args=[review.agreement.slug]))
        assert (review.title in listed.content.decode()) == may_read, (who, "reviews")
        for name in ("review", "report"):
            response = client.get(url(review, name))
            if may_read:
                assert response.status_code == 200, (who, name)
            elif user is None:
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (who, name)
            else:
                assert response.status_code == 404, (who, name)
        for name in KCST_PAGES:
            response = client.get(url(review, name))
            if who == "kcst":
                assert response.status_code in (200, 302), (who, name)
            elif user is None and not may_read:
                assert response.status_code == 302 and "/accounts/login/" in response["Location"]
            else:
                assert response.status_code == 404, (who, name)
        if who == "kcst":
            continue
        for name in ("send_for_review", "back_to_draft", "apply", "publish", "prefill_recommendations",
                     "record_decision"):
            response = client.post(url(review, name))
            assert response.status_code == 404 or "/accounts/login/" in response["Location"], (who, name)
        review.refresh_from_db()
        assert review.status == status


def test_the_pdfs_of_a_draft_review_are_read_by_its_readers_only(review, cast):
    for who, user in cast.items():
        response = client_for(user).get(url(review, "report_pdf"))
        assert response.status_code == (200 if who in READERS_OF_A_DRAFT else 302 if user is None else 404), who


def test_the_review_shows_how_many_more_or_fewer_csps_name_each_issue_than_the_cycle_before(kent, kcst):
    review = start_review(kent, AssessmentCycle.objects.get(agreement=kent, label="2023-24"), kcst)
    changes = build_review(review).evidence.changes
    assert build_review(review).evidence.compared_label == "2017-18" and changes
    page = client_for(kcst).get(url(review, "review")).content.decode()
    for change in changes:
        row = (f'<th scope="row">{escape(change.label)}</th><td class="numeric">{change.count_before}</td>'
               f'<td class="numeric">{change.count_now}</td><td class="numeric">{change.count_now - change.count_before:+d}</td>')
        assert row in page


def bookmarks(outline) -> set[str]:
    """Every bookmark's title, at any depth."""
    return {title for item in outline for title in (bookmarks(item) if isinstance(item, list) else {item.title})}


def test_the_committee_report_pdf_has_the_sections_lists_and_recommendations_of_003(review, kcst_2017):
    response = client_for(kcst_2017).get(url(review, "report_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert "draft.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for heading in ("Classification: For Decision", "1 Background", "2 Introduction", "3 Review process",
                    "4 The proposed priorities", "5 Action plan", "6 Recommendations", "DRAFT"):
        assert heading in text
    for name in PROPOSED_PRIORITIES + PROPOSED_THEMES:
        assert name in text
    assert "6.1 " + " ".join(RECOMMENDATIONS[0].split()[:8]) in text
    assert {"Kent Community Safety Agreement Update", "2 Introduction", "6 Recommendations"} <= bookmarks(reader.outline)
    # PDF/UA: the document's title shown in the viewer, and its language.
    assert reader.metadata.title == "Kent Community Safety Agreement Update (draft)"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_review_document_pdf_has_its_evidence(review, kcst_2017):
    reader = PdfReader(io.BytesIO(client_for(kcst_2017).get(url(review, "review_pdf")).content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for heading in ("4 Local strategic assessments", "5 MoRiLE outcomes", "6 Emerging issues", "7 Proposals",
                    "'Safeguarding' expanded to 'Safeguarding Vulnerable People'", "Political"):
        assert heading in text
    assert reader.metadata.title == f"{review.agreement.name}: Annual review 2017-18 (draft)"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_kcst_start_a_review_from_a_plain_page(agreement, kcst_2017):
    client = client_for(kcst_2017)
    page = client.get(reverse("annual_review:reviews", args=[agreement.slug]))
    assert "Start an annual review" in page.content.decode()
    cycle = agreement.cycles.get(label="2017-18")
    response = client.post(reverse("annual_review:reviews", args=[agreement.slug]), {"cycle": cycle.pk})
    review = AnnualReview.objects.get(agreement=agreement, cycle=cycle)
    assert response["Location"] == url(review, "review")
    assert review.edition.number == "0.2" and review.created_by == kcst_2017
    refused = client.post(reverse("annual_review:reviews", args=[agreement.slug]), {})
    assert refused.status_code == 400 and "Choose the assessment cycle to review" in refused.content.decode()


def test_a_proposal_form_names_the_wrong_shape_and_saves_nothing(review, kcst_2017):
    client = client_for(kcst_2017)
    before = review.proposals.count()
    response = client.post(url(review, "add_proposal"), {
        "revision": 0, "item": "priority", "action": "merge", "current": ["priority:road-safety"],
        "new_names": "Roads",
    })
    assert response.status_code == 400
    assert "Merge several into one takes two or more current item(s)." in response.content.decode()
    assert review.proposals.count() == before
    response = client.post(url(review, "add_proposal"), {
        "revision": 0, "item": "priority", "action": "rename", "current": ["priority:road-safety"],
        "new_names": "Road Danger Reduction", "reasoning_html": "<p onclick='x()'>Vision <strong>Zero</strong></p>",
        "cited": ["domestic-abuse"],
    })
    assert response.status_code == 302
    proposal = review.proposals.get(action=Proposal.Action.RENAME)
    assert proposal.current_keys == ["road-safety"] and proposal.cited_categories == ["domestic-abuse"]
    assert proposal.reasoning_html == "<p>Vision <strong>Zero</strong></p>"


def test_a_proposal_may_not_cover_an_item_another_already_covers(review, kcst_2017):
    response = client_for(kcst_2017).post(url(review, "add_proposal"), {
        "revision": 0, "item": "theme", "action": "drop", "current": ["theme:early-intervention"],
    })
    assert response.status_code == 400 and "Another proposal already covers early-intervention" in response.content.decode()


def test_a_review_in_review_cannot_be_edited_through_its_pages(review, kcst_2017):
    from annual_review import workflow

    workflow.send_for_review(review, kcst_2017)
    client = client_for(kcst_2017)
    proposal = review.proposals.first()
    response = client.post(url(review, "edit_proposal", proposal.pk), {
        "revision": proposal.revision, "item": "priority", "action": "retain",
        "current": ["priority:safeguarding-vulnerable-people"],
    })
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.action == Proposal.Action.EXPAND


def test_kcst_record_the_decision_on_a_page_and_it_is_printed(review, kcst_2017):
    from annual_review import workflow

    workflow.send_for_review(review, kcst_2017)
    client = client_for(kcst_2017)
    first, second = review.recommendations.all()
    refused = client.post(url(review, "record_decision"), {
        "meeting_date": "15/03/2017", "minute": "RESOLVED that the report be agreed.",
        f"answer_{first.pk}": "amended", f"answer_{second.pk}": "agreed",
    })
    assert refused.status_code == 400 and "Write the amendment to recommendation 6.1" in refused.content.decode()
    review.refresh_from_db()
    assert review.status == "in_review"
    client.post(url(review, "record_decision"), {
        "meeting_date": "15/03/2017", "minute": "RESOLVED that the report be agreed.",
        f"answer_{first.pk}": "amended", f"amendment_{first.pk}": "Subject to district sign-off.",
        f"answer_{second.pk}": "agreed",
    })
    page = client.get(url(review, "report")).content.decode()
    assert "KCSP decision: Agreed as amended</strong>: Subject to district sign-off." in page
    assert "RESOLVED that the report be agreed." in page and "Recorded by kcst-2017" in page


def test_applying_from_the_page_leads_to_the_drafts_review_with_the_changes(review, kcst_2017):
    decide(review, kcst_2017)
    client = client_for(kcst_2017)
    response = client.post(url(review, "apply"))
    assert response["Location"] == reverse("review", args=[review.agreement.slug, "1.0"])
    page = client.get(response["Location"]).content.decode()
    assert "Safeguarding Children &amp; Young People and Supporting Victims and Vulnerable Households / Individuals" in page
    assert "merged into" in page
    again = client.post(url(review, "apply"), follow=True)
    assert "already follows the decision: nothing was changed" in again.content.decode()


def test_the_working_group_comments_with_the_review_machinery_and_kcst_answer(review, cast, kcst_2017, mailoutbox):
    from annual_review import workflow

    member = cast["working group"]
    client = client_for(member)
    data = {"about": "section:review-proposals", "text": "Should Road Safety stay a priority?"}
    assert client.post(url(review, "comment"), data).status_code == 404  # not yet in review
    workflow.send_for_review(review, kcst_2017)
    refused = client.post(url(review, "comment"), {"about": "section:nowhere", "text": "x"})
    assert refused.status_code == 400 and "no longer exists" in refused.content.decode()
    response = client.post(url(review, "comment"), data)
    assert response.status_code == 302 and "#comment-" in response["Location"]
    assert "Should Road Safety stay a priority?" in client.get(url(review, "review")).content.decode()
    assert "New comment on Annual review 2017-18" in mailoutbox[0].subject
    for who in ("officer", "kcsp of another agreement", "kcst"):
        assert client_for(cast[who]).post(url(review, "comment"), data).status_code in (404,), who
    kcst = client_for(kcst_2017)
    listed = kcst.get(reverse("unresolved_comments")).content.decode()
    assert "Should Road Safety stay a priority?" in listed and url(review, "review") in listed
    from review.models import Comment

    comment = Comment.objects.get(text="Should Road Safety stay a priority?")
    kcst.post(reverse("answer_comment", args=[comment.pk]), {"reply": "Yes: see 4.1.", "resolve": "on"})
    assert "Yes: see 4.1." in client.get(url(review, "review")).content.decode()
    assert "Should Road Safety stay" not in kcst.get(reverse("review", args=[review.agreement.slug, "0.2"])).content.decode()
    for who in ("public", "officer"):
        assert "Should Road Safety stay" not in client_for(cast[who]).get(url(review, "review")).content.decode()


def test_a_member_changes_their_comment_while_the_review_is_in_review_only(review, cast, kcst_2017):
    from annual_review import workflow
    from review.models import Comment

    workflow.send_for_review(review, kcst_2017)
    client = client_for(cast["kcsp"])
    client.post(url(review, "comment"), {"about": "section:review-recommendations", "text": "First thoughts"})
    comment = Comment.objects.get(text="First thoughts")
    response = client.post(reverse("edit_comment", args=[comment.pk]), {"text": "Second thoughts"})
    assert response["Location"] == f"{url(review, 'review')}#comment-{comment.pk}"
    answers = {r.pk: ("agreed", "") for r in review.recommendations.all()}
    workflow.record_decision(review, kcst_2017, datetime.date(2017, 3, 15), "RESOLVED that it be agreed.", answers)
    assert client.post(reverse("edit_comment", args=[comment.pk]), {"text": "Third"}).status_code == 404
    comment.refresh_from_db()
    assert comment.text == "Second thoughts"


def test_the_review_page_reads_each_record_once_however_many_proposals(review, kcst_2017,
                                                                       django_assert_max_num_queries):
    """The page's queries do not grow with the proposals and recommendations (each is read once for
    KCST's panel and the document) nor with the tables built from the cycle's returns."""
    from assessments.models import AssessmentCycle

    this_year = review.cycle
    AssessmentCycle.objects.create(agreement=review.agreement, label="2016-17",
                                   opens_on=this_year.opens_on - datetime.timedelta(days=365),
                                   due_on=this_year.due_on - datetime.timedelta(days=365))
    client = client_for(kcst_2017)
    client.get(url(review, "review"))
    with django_assert_max_num_queries(20):
        assert client.get(url(review, "review")).status_code == 200
    for key in ("neighbourhood-crime-asb", "domestic-abuse", "substance-misuse"):
        Proposal.objects.create(review=review, item=Proposal.Item.PRIORITY, action=Proposal.Action.RETAIN,
                                current_keys=[key], reasoning_html="<p>Still high.</p>")
    for order in range(3, 6):
        review.recommendations.create(text=f"Recommendation {order}", order=order)
    with django_assert_max_num_queries(20):
        assert client.get(url(review, "review")).status_code == 200


def test_kcst_record_an_amended_proposal_and_applying_names_the_amendment_it_cannot_make(review, kcst_2017):
    from annual_review import workflow

    workflow.send_for_review(review, kcst_2017)
    client = client_for(kcst_2017)
    first, second = review.recommendations.all()
    proposal = review.proposals.get(action=Proposal.Action.EXPAND, item=Proposal.Item.PRIORITY)
    form = client.get(url(review, "record_decision")).content.decode()
    assert f'<label class="label" for="id_amended_names_{proposal.pk}">' in form
    client.post(url(review, "record_decision"), {
        "meeting_date": "15/03/2017", "minute": "RESOLVED that the report be agreed as amended.",
        f"answer_{first.pk}": "amended", f"amendment_{first.pk}": "Safeguarding and Vulnerability.",
        f"amended_names_{proposal.pk}": "Safeguarding and Vulnerability",
        f"answer_{second.pk}": "amended", f"amendment_{second.pk}": "Refreshed every two years.",
    })
    page = client.post(url(review, "apply"), follow=True).content.decode()
    assert "Safeguarding renamed Safeguarding and Vulnerability" in page
    assert ("Not applied: recommendation 6.2 was agreed as amended (&quot;Refreshed every two years.&quot;) in "
            "words only. Make these amendments in draft 1.0 by hand.") in page
