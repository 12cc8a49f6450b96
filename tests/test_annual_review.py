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
    decide,
    kcst_of,
    load_kent_2014_17,
    review_2017,
)

pytestmark = pytest.mark.django_db

ONE_POINT_ZERO = json.loads((FOLDER.parent / "kent" / "1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def agreement(kent):
    return load_kent_2014_17()


@pytest.fixture
def kcst_2017(agreement):
    return kcst_of(agreement)


@pytest.fixture
def review(agreement, kcst_2017):
    return review_2017(agreement, kcst_2017)


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
