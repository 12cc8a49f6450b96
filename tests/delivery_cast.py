"""The action plan's cast: a lead for domestic abuse, actions under two priorities of the 8.0 edition."""

import datetime

from delivery.models import Action, LeadAssignment

from .conftest import make_user

TODAY = datetime.date(2025, 1, 15)


def make_lead(agreement, priority_key: str = "domestic-abuse", username: str = "lead-domestic-abuse"):
    user = make_user(username)
    LeadAssignment.objects.create(user=user, agreement=agreement, priority_key=priority_key)
    return user


def make_action(version, priority_key: str = "domestic-abuse", **fields) -> Action:
    values = {
        "title": "Refresh the domestic abuse strategy", "owner_organisation": "Kent County Council",
        "responsible_lead": "Head of community safety", "start_date": datetime.date(2024, 4, 1),
        "due_date": datetime.date(2025, 3, 31), "status": Action.Status.ON_TARGET,
    } | fields
    action = Action(edition=version, priority=version.priorities.get(key=priority_key), **values)
    action.full_clean()
    action.save()
    return action
