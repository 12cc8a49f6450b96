"""The March 2017 review, from the fixtures to the next draft (issue 14)."""

import json

import pytest

from documents.diff import compare
from agreements.refresh import start_next_refresh
from annual_review.applying import apply_decision
from annual_review.document import build_review

from .annual_review_cast import (
    CURRENT_PRIORITIES,
    CURRENT_THEMES,
    FOLDER,
    PROPOSED_PRIORITIES,
    PROPOSED_THEMES,
    RECOMMENDATIONS,
    agreement,  # noqa: F401 (fixtures)
    decide,
    kcst_2017,  # noqa: F401
    review,  # noqa: F401
)

pytestmark = pytest.mark.django_db

ONE_POINT_ZERO = json.loads((FOLDER.parent / "kent" / "1.0.json").read_text(encoding="utf-8"))


def test_the_report_lists_the_current_and_proposed_priorities_and_themes_as_003_did(review):
    document = build_review(review)
    assert document.current_priorities == CURRENT_PRIORITIES
    assert document.current_themes == CURRENT_THEMES
    assert document.proposed_priorities == PROPOSED_PRIORITIES
    assert document.proposed_themes == PROPOSED_THEMES
    assert [r.text for r in document.recommendations] == RECOMMENDATIONS
    assert [r.number for r in document.recommendations] == ["6.1", "6.2"]


def test_each_proposal_reads_as_a_sentence_with_its_cited_evidence(review):
    document = build_review(review)
    assert [p.sentence for p in document.proposals] == [
        "'Safeguarding' expanded to 'Safeguarding Vulnerable People'",
        "'Early intervention, prevention & education' retained",
        "'Reducing Re-Offending' expanded to 'Reducing re-offending and supporting victims'",
        "'Safeguarding Children & Young People' and 'Supporting Victims and Vulnerable Households / Individuals' "
        "merged into 'Improving quality of life and enhancing community resilience'",
    ]
    cited = document.proposals[0].cited
    assert [c.label for c in cited][0].startswith("Victims / Vulnerable People")
    assert all(c.csps > 0 for c in cited)


def test_the_evidence_is_assembled_from_the_returns_and_the_edition(review):
    evidence = build_review(review).evidence
    assert evidence.appendix_a.rows[0].label == "Domestic Abuse"
    assert evidence.appendix_a.matrix.rows
    assert evidence.top_issues[0].label == "Domestic Abuse"
    assert evidence.top_issues[0].total == evidence.appendix_a.rows[0].csps
    assert [c.label for c in evidence.horizon][0] == "Political"
    assert evidence.police_crime_plan.title


def test_the_decision_applied_gives_1_0s_priorities_and_themes(review, kcst_2017, agreement):
    decide(review, kcst_2017)
    draft, done = apply_decision(review, kcst_2017)
    assert draft.number == "1.0" and draft.is_draft
    assert sorted(draft.priorities.values_list("name", flat=True)) == sorted(p["name"] for p in ONE_POINT_ZERO["priorities"])
    assert list(draft.themes.values_list("name", flat=True)) == [t["name"] for t in ONE_POINT_ZERO["themes"]]
    diff = compare(review.edition, draft)
    described = {(c.what, c.kind, c.old, c.new) for c in diff.changes if c.what in ("priority", "theme")}
    assert described == {
        ("priority", "renamed", "Safeguarding", "Safeguarding Vulnerable People"),
        ("theme", "renamed", "Reducing Re-Offending", "Reducing re-offending and supporting victims"),
        ("theme", "merged", "Safeguarding Children & Young People and Supporting Victims and Vulnerable Households / "
                            "Individuals", "Improving quality of life and enhancing community resilience"),
    }
    assert draft.change_notes.filter(text__startswith="Ch.6 - priorities and cross-cutting themes updated").exists()


def test_applying_twice_changes_nothing_the_second_time(review, kcst_2017):
    decide(review, kcst_2017)
    draft, done = apply_decision(review, kcst_2017)
    assert done
    notes = list(draft.change_notes.values_list("text", flat=True))
    history = draft.priorities.model.history.filter(version=draft).count()
    again, done_again = apply_decision(review, kcst_2017)
    assert again == draft and done_again == []
    assert list(draft.change_notes.values_list("text", flat=True)) == notes
    assert draft.priorities.model.history.filter(version=draft).count() == history


def test_a_merge_of_two_priorities_shows_as_one_merge_in_the_diff_and_the_change_note(agreement, kcst_2017):
    from annual_review.models import Proposal, Recommendation
    from annual_review.workflow import start_review

    review = start_review(agreement, agreement.cycles.get(label="2017-18"), kcst_2017)
    Proposal.objects.create(review=review, action=Proposal.Action.MERGE,
                            current_keys=["serious-violence-organised-crime", "road-safety"],
                            new_names="Serious Crime and Road Danger")
    Recommendation.objects.create(review=review, text="The KCSP is asked to agree the merger.").proposals.set(
        review.proposals.all())
    decide(review, kcst_2017)
    draft, _ = apply_decision(review, kcst_2017)
    priorities = [c for c in compare(review.edition, draft).changes if c.what == "priority"]
    assert [(c.kind, c.sentence) for c in priorities] == [
        ("merged", "Serious and Organised Crime and Road Safety merged into Serious Crime and Road Danger")]
    assert draft.change_notes.filter(
        text="Ch.6 - priorities and cross-cutting themes updated (Serious and Organised Crime and Road Safety "
             "merged into Serious Crime and Road Danger)").exists()
    assert draft.priorities.get(name="Serious Crime and Road Danger").lead.tbc


def test_a_recommendation_not_agreed_leaves_its_proposals_out(review, kcst_2017):
    first, second = review.recommendations.all()
    decide(review, kcst_2017, {first.pk: ("not_agreed", ""), second.pk: ("agreed", "")})
    draft, done = apply_decision(review, kcst_2017)
    assert list(draft.priorities.order_by("order").values_list("name", flat=True)) == CURRENT_PRIORITIES
    assert done == []


def test_applying_to_a_draft_kcst_already_edited_is_refused_with_the_conflicts_named(review, kcst_2017, agreement):
    from annual_review.workflow import ReviewRefused

    decide(review, kcst_2017)
    draft = start_next_refresh(agreement, by=kcst_2017)
    safeguarding = draft.priorities.get(key="safeguarding-vulnerable-people")
    safeguarding.name = "Safeguarding Adults"
    safeguarding.save()
    # Removing a theme the decision merges away agrees with it: that is no conflict.
    draft.themes.get(key="supporting-victims").delete()
    draft.themes.create(name="Hate Crime", order=9)
    with pytest.raises(ReviewRefused) as refusal:
        apply_decision(review, kcst_2017)
    message = str(refusal.value)
    assert "Priority 'Safeguarding' was changed in draft 1.0 (now 'Safeguarding Adults')" in message
    assert "Theme 'Hate Crime' was added to draft 1.0" in message
    assert "Supporting Victims" not in message
    assert draft.themes.count() == 4 and not draft.lineages.exists()


def test_a_review_is_frozen_once_sent_and_editable_again_when_sent_back(review, kcst_2017):
    from annual_review.models import Proposal, ReviewFrozen
    from annual_review.workflow import back_to_draft, send_for_review

    send_for_review(review, kcst_2017)
    review.refresh_from_db()
    proposal = review.proposals.first()
    proposal.new_names = "Something else"
    with pytest.raises(ReviewFrozen):
        proposal.save()
    with pytest.raises(ReviewFrozen):
        Proposal.objects.filter(review=review).update(new_names="Bulk")
    review.subject = "Changed"
    with pytest.raises(ReviewFrozen):
        review.save()
    review.refresh_from_db()
    back_to_draft(review, kcst_2017)
    proposal.refresh_from_db()
    proposal.new_names = "Safeguarding Everyone"
    proposal.save()


def test_the_decision_is_recorded_once_with_who_and_when_and_never_changes(review, kcst_2017):
    from annual_review.models import ReviewFrozen
    from annual_review.workflow import ReviewRefused, record_decision

    decision = decide(review, kcst_2017)
    assert decision.recorded_by == kcst_2017 and decision.recorded_at
    decision.minute = "RESOLVED otherwise"
    with pytest.raises(ReviewFrozen):
        decision.save()
    with pytest.raises(ReviewFrozen):
        decision.outcomes.first().delete()
    with pytest.raises(ReviewRefused):
        record_decision(review, kcst_2017, decision.meeting_date, "again", {})
    with pytest.raises(ReviewFrozen):
        review.recommendations.first().save()


def test_an_amendment_must_be_written_and_is_printed(review, kcst_2017):
    from annual_review.workflow import ReviewRefused

    first, second = review.recommendations.all()
    with pytest.raises(ReviewRefused, match="amendment .* recommendation 1"):
        decide(review, kcst_2017, {first.pk: ("amended", " "), second.pk: ("agreed", "")})
    review.refresh_from_db()
    assert not hasattr(review, "decision") or review.status == "in_review"


def test_only_kcst_of_the_agreement_may_start_decide_or_apply(review, agreement, kcst):
    from annual_review.workflow import ReviewRefused, send_for_review, start_review

    with pytest.raises(ReviewRefused):
        start_review(agreement, agreement.cycles.get(label="2017-18"), kcst)
    with pytest.raises(ReviewRefused):
        send_for_review(review, kcst)
    with pytest.raises(ReviewRefused):
        apply_decision(review, kcst)


def amend_first_recommendation(review, kcst_2017, amendment: str, amended=None):
    """Recommendation 6.1 (every proposal) agreed as amended, 6.2 agreed."""
    from annual_review.workflow import record_decision, send_for_review

    send_for_review(review, kcst_2017)
    first, second = review.recommendations.all()
    record_decision(review, kcst_2017, review.cycle.opens_on, "RESOLVED that the report be agreed as amended.",
                    {first.pk: ("amended", amendment), second.pk: ("agreed", "")}, amended)
    review.refresh_from_db()


def expanded_safeguarding(review):
    from annual_review.models import Proposal

    return review.proposals.get(action=Proposal.Action.EXPAND, item=Proposal.Item.PRIORITY)


def test_an_amendment_that_changes_a_proposal_is_what_applying_applies(review, kcst_2017):
    from annual_review.workflow import amended_in_words_only

    proposal = expanded_safeguarding(review)
    amend_first_recommendation(review, kcst_2017, "Safeguarding to be called Safeguarding and Vulnerability.",
                               {proposal.pk: ("Safeguarding and Vulnerability", "Adults at risk\nMental health")})
    draft, done = apply_decision(review, kcst_2017)
    safeguarding = draft.priorities.get(key="safeguarding-vulnerable-people")
    assert (safeguarding.name, safeguarding.includes_list) == (
        "Safeguarding and Vulnerability", ["Adults at risk", "Mental health"])
    assert not draft.priorities.filter(name="Safeguarding Vulnerable People").exists()
    assert "Safeguarding renamed Safeguarding and Vulnerability" in done
    assert amended_in_words_only(review) == []
    proposal.refresh_from_db()
    assert proposal.new_names == "Safeguarding Vulnerable People"  # the proposal as sent is kept as it was


def test_an_amendment_in_words_only_is_named_as_not_applied(review, kcst_2017):
    from annual_review.workflow import amended_in_words_only

    amend_first_recommendation(review, kcst_2017, "Subject to district sign-off.")
    draft, _ = apply_decision(review, kcst_2017)
    assert draft.priorities.filter(name="Safeguarding Vulnerable People").exists()
    assert amended_in_words_only(review) == [
        'recommendation 6.1 was agreed as amended ("Subject to district sign-off.") in words only'
    ]


@pytest.mark.parametrize("answer, names, refusal", [
    ("agreed", "Safeguarding and Vulnerability", "is not in a recommendation agreed as amended"),
    ("amended", "Safeguarding\nVulnerability", "takes exactly one new name"),
])
def test_an_amended_proposal_that_cannot_be_is_refused_and_nothing_is_recorded(review, kcst_2017, answer, names,
                                                                                 refusal):
    from annual_review.workflow import ReviewRefused, record_decision, send_for_review

    send_for_review(review, kcst_2017)
    first, second = review.recommendations.all()
    proposal = expanded_safeguarding(review)
    with pytest.raises(ReviewRefused, match=refusal) as refused:
        record_decision(review, kcst_2017, review.cycle.opens_on, "RESOLVED.",
                        {first.pk: (answer, "Renamed." if answer == "amended" else ""), second.pk: ("agreed", "")},
                        {proposal.pk: (names, "")})
    assert "Safeguarding" in str(refused.value)  # the proposal is named
    review.refresh_from_db()
    assert review.status == "in_review" and not hasattr(review, "decision")
