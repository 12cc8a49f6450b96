import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.models import AssessmentCycle, AssessmentReturn
from assessments.notify import send_reminder


class Command(BaseCommand):
    help = "E-mails the officers of every partnership whose return is not submitted N days before it is due."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True, help="How many days before the due date")

    def handle(self, days: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        due_on = timezone.localdate() + datetime.timedelta(days=days)
        returns = self.returns_due(due_on)
        sent = 0
        for assessment_return in returns:
            count = send_reminder(assessment_return, days)
            sent += bool(count)
            if not count:
                self.stderr.write(f"No address to remind: {assessment_return.partnership.name}")
        self.stdout.write(f"Reminded {sent} of {len(returns)} partnership(s) with a return due on {due_on}.")

    def returns_due(self, due_on: datetime.date) -> list[AssessmentReturn]:
        return list(
            AssessmentReturn.objects.awaiting_submission()
            .filter(cycle__in=AssessmentCycle.objects.open(), cycle__due_on=due_on, cycle__recorded_history=False)
            .select_related("cycle", "partnership")
        )
