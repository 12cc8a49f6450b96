"""The demo's illustrative action plan: every 8.0 priority has actions, updates in four quarters, a lead."""

import io
import json

from django.core.management import call_command

from delivery.models import Action, ActionUpdate, Indicator, LeadAssignment
from delivery.management.commands.load_demo_delivery import DEMO_PLAN


def test_the_demo_plan_covers_every_priority_and_says_it_is_illustrative(draft):
    out = io.StringIO()
    call_command("load_demo_delivery", stdout=out)
    call_command("load_demo_delivery", stdout=io.StringIO())  # a second run adds nothing

    assert json.loads(DEMO_PLAN.read_text())["note"].startswith("Illustrative data")
    for priority in draft.priorities.all():
        assert 2 <= Action.objects.filter(priority=priority).count() <= 3, priority.name
    indicators = Indicator.objects.all()
    assert indicators.count() == 3 and all(indicator.values.count() == 4 for indicator in indicators)
    quarters = {(d.year, (d.month - 1) // 3) for d in ActionUpdate.objects.values_list("date", flat=True)}
    assert len(quarters) == 4
    assert LeadAssignment.objects.get().user.username == "lead-domestic-abuse"
    assert "lead-domestic-abuse" in out.getvalue() and "Priority lead" in out.getvalue()
