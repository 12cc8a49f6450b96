from django.core.management.base import BaseCommand
from django.utils import timezone

from delivery.reminders import leads_to_remind, remind


class Command(BaseCommand):
    help = "E-mails each priority lead whose open actions have no update in the current quarter (once a quarter)."

    def handle(self, **options):
        today = timezone.localdate()
        waiting = leads_to_remind(today)
        sent = sum(remind(user, actions, today) for user, actions in waiting.items())
        self.stdout.write(f"Reminded {sent} of {len(waiting)} priority lead(s) with actions awaiting an update.")
