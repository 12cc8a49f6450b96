"""Starting the next refresh copies the last published edition into a new, independent draft."""

import pytest

from agreements.interchange import edition_to_dict
from agreements.models import EditionFrozen, Lineage, Paragraph, Version
from agreements.refresh import RefreshRefused, start_next_refresh

from .conftest import mark_published


def content(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("number", "effective", "status", "change_notes")}


def test_refresh_copies_every_part_of_the_published_edition(kent, draft, kcst):
    source = mark_published(draft)
    before = edition_to_dict(source)

    new = start_next_refresh(kent, by=kcst)

    assert (new.number, new.effective_label, new.status) == ("9.0", "April 2025", Version.Status.DRAFT)
    assert new.based_on == source
    assert content(edition_to_dict(new)) == content(before)
    assert [n.text for n in new.change_notes.all()] == [
        "Refreshed Kent Community Safety Agreement", "Effective date changed to April 2025"
    ]
    created = new.priorities.first().history.first()
    assert created.history_user == kcst


def test_the_new_draft_starts_with_no_merges_or_splits_of_its_own(kent, draft):
    """The source's merges and splits say how it differs from the edition before it: the new draft,
    a copy of the source, has not merged or split anything yet."""
    first, second, *_ = [p.key for p in draft.priorities.all()]
    Lineage.objects.create(version=draft, item=Lineage.Item.PRIORITY, kind=Lineage.Kind.MERGED,
                           old_keys=[first, second], new_keys=[first])
    source = mark_published(draft)
    new = start_next_refresh(kent)
    assert source.lineages.count() == 1
    assert not new.lineages.exists()


def test_editing_the_new_draft_leaves_the_published_edition_untouched(kent, draft):
    source = mark_published(draft)
    before = edition_to_dict(source)
    new = start_next_refresh(kent)

    paragraph = Paragraph.objects.filter(chapter__version=new).first()
    paragraph.html = "Rewritten for 2025."
    paragraph.save()
    lead = new.priorities.get(key="road-safety").lead
    lead.role = "Someone else"
    lead.save()
    new.priorities.get(key="vawg").delete()

    assert edition_to_dict(source) == before


def test_a_second_open_draft_is_refused(kent, draft):
    with pytest.raises(RefreshRefused, match="Version 8.0 .* is still open"):
        start_next_refresh(kent)
    assert kent.versions.count() == 8


def test_refresh_after_the_new_draft_is_refused_too(kent, draft):
    mark_published(draft)
    start_next_refresh(kent)
    with pytest.raises(RefreshRefused, match="Version 9.0"):
        start_next_refresh(kent)


def test_the_admin_action_reports_the_refusal(client, kcst, kent, draft):
    client.force_login(kcst)
    response = client.post(
        "/admin/agreements/agreement/",
        {"action": "start_next_refresh", "_selected_action": [kent.pk]},
        follow=True,
    )
    assert "Version 8.0 of the Kent Community Safety Agreement is still open" in response.content.decode()
    assert kent.versions.count() == 8


def test_the_admin_action_starts_the_refresh(client, kcst, kent, draft):
    mark_published(draft)
    client.force_login(kcst)
    response = client.post(
        "/admin/agreements/agreement/",
        {"action": "start_next_refresh", "_selected_action": [kent.pk]},
        follow=True,
    )
    assert "Started Kent Community Safety Agreement (kent) 9.0, April 2025: a draft copy of 8.0." in response.content.decode()


def test_a_published_edition_refuses_every_change(draft):
    mark_published(draft)
    paragraph = Paragraph.objects.filter(chapter__version=draft).first()
    paragraph.html = "changed"
    with pytest.raises(EditionFrozen):
        paragraph.save()
    with pytest.raises(EditionFrozen):
        Paragraph.objects.filter(chapter__version=draft).update(html="changed")
    with pytest.raises(EditionFrozen):
        draft.priorities.all().delete()
    with pytest.raises(EditionFrozen):
        draft.priorities.first().delete()
    draft.refresh_from_db()
    draft.number = "8.1"
    with pytest.raises(EditionFrozen):
        draft.save()
    assert not Paragraph.objects.filter(chapter__version=draft, html="changed").exists()
