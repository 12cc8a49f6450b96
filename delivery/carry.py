"""Open actions go on with the next edition; complete and withdrawn ones stay with the old one."""

from __future__ import annotations

from agreements.models import Version

from .models import Action


def carry_open_actions(source: Version, target: Version) -> list[Action]:
    """Copies each open action of `source` to `target`, under the priority or theme of the same key.

    An action whose priority or theme the new edition no longer has stays behind for KCST to place.
    """
    priorities = {priority.key: priority for priority in target.priorities.all()}
    themes = {theme.key: theme for theme in target.themes.all()}
    carried = []
    for action in source.actions.open().select_related("priority", "theme"):
        priority = priorities.get(action.priority.key) if action.priority else None
        theme = themes.get(action.theme.key) if action.theme else None
        if priority is None and theme is None:
            continue
        copy = Action(
            edition=target, priority=priority, theme=theme, key=action.key, carried_from=action,
            title=action.title, description=action.description, owner_organisation=action.owner_organisation,
            responsible_lead=action.responsible_lead, start_date=action.start_date, due_date=action.due_date,
            status=action.status, status_reason=action.status_reason,
        )
        copy.save()
        carried.append(copy)
    return carried
