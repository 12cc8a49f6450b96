"""Chapter 5 drafted from delivery: proposals from completed actions, accepted, edited or discarded."""

import pytest
from django.urls import reverse

from agreements.refresh import start_next_refresh
from delivery.models import ActionUpdate

from .conftest import mark_published
from .delivery_cast import make_action


@pytest.fixture
def year(draft):
    return mark_published(draft)


def proposed(client, version) -> str:
    return client.get(reverse("delivery:achievements", args=["kent", version.number])).content.decode()


def test_proposals_come_from_completed_actions_only(client, kent, year, kcst):
    done = make_action(year, title="Strategy published")
    done.post_update(ActionUpdate(progress="The strategy was published in March.", status="complete"))
    make_action(year, title="Still running")
    make_action(year, title="Dropped", status="withdrawn")
    new = start_next_refresh(kent)
    client.force_login(kcst)

    page = proposed(client, new)

    assert "Strategy published" in page and "The strategy was published in March." in page
    assert "Still running" not in page and "Dropped" not in page


def test_a_notable_update_of_an_open_action_is_proposed_too(client, kent, year, kcst):
    running = make_action(year, title="Training programme")
    running.post_update(ActionUpdate(progress="400 staff trained.", status="on_target", notable=True))
    new = start_next_refresh(kent)
    client.force_login(kcst)
    assert "400 staff trained." in proposed(client, new)


def test_kcst_accepts_an_edited_proposal_into_chapter_5(client, kent, year, kcst):
    make_action(year, title="Strategy published", status="complete", description="Published.")
    new = start_next_refresh(kent)
    before = new.achievements.count()
    client.force_login(kcst)

    client.post(reverse("delivery:accept-achievement", args=["kent", new.number]),
                {"source": "action:x", "title": "Domestic abuse strategy", "text": "Published <b>in March</b>."})

    added = new.achievements.order_by("order").last()
    assert new.achievements.count() == before + 1
    assert (added.title, added.html) == ("Domestic abuse strategy", "<p>Published &lt;b&gt;in March&lt;/b&gt;.</p>")


def test_a_discarded_proposal_is_not_proposed_again(client, kent, year, kcst):
    action = make_action(year, title="Strategy published", status="complete", description="Published.")
    new = start_next_refresh(kent)
    client.force_login(kcst)
    assert 'value="Strategy published"' in proposed(client, new)
    client.post(reverse("delivery:discard-achievement", args=["kent", new.number]),
                {"source": f"action:{action.key}", "title": "Strategy published", "text": "Published."})
    assert 'value="Strategy published"' not in proposed(client, new)
