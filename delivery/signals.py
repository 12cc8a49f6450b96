"""The refresh carries the open actions to the new draft (agreements sends, never imports, this)."""

from django.dispatch import receiver

from agreements.models import Version
from agreements.signals import draft_started

from .carry import carry_open_actions


@receiver(draft_started, sender=Version)
def carry_actions(sender, version: Version, **kwargs):
    if version.based_on_id:
        carry_open_actions(version.based_on, version)
