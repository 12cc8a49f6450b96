"""send_update_reminders: leads whose open actions have no update this quarter, once a quarter."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from delivery.models import ActionUpdate, UpdateReminder

from .conftest import mark_published
from .delivery_cast import make_action, make_lead


@pytest.fixture
def edition(draft):
    return mark_published(draft)


def run(monkeypatch, today=datetime.date(2025, 2, 10)) -> str:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: today)
    out = io.StringIO()
    call_command("send_update_reminders", stdout=out)
    return out.getvalue()


def test_a_lead_without_an_update_this_quarter_is_reminded_once(monkeypatch, kent, edition):
    lead = make_lead(kent)
    make_action(edition, title="Refresh the strategy")
    make_action(edition, title="Already finished", status="complete")

    assert "Reminded 1 of 1" in run(monkeypatch)
    assert mail.outbox[0].to == [lead.email]
    assert "Refresh the strategy" in mail.outbox[0].body
    assert "Already finished" not in mail.outbox[0].body
    assert UpdateReminder.objects.get().quarter == datetime.date(2025, 1, 1)
    assert "Reminded 0 of 0" in run(monkeypatch)
    assert len(mail.outbox) == 1


def test_a_lead_who_updated_this_quarter_is_not_reminded(monkeypatch, kent, edition):
    make_lead(kent)
    make_lead(kent, "road-safety", username="lead-roads")
    action = make_action(edition)
    action.post_update(ActionUpdate(date=datetime.date(2025, 1, 5), progress="Done a lot", status="on_target"))
    make_action(edition, "road-safety", title="Crossing patrols")

    run(monkeypatch)

    assert [message.to for message in mail.outbox] == [["lead-roads@example.org"]]
