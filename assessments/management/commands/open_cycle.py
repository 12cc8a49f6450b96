import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agreements.models import Agreement, Version
from assessments.cycles import CycleRefused, Previous, open_cycle


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2025-01-31") from None


class Command(BaseCommand):
    help = "Opens an assessment cycle with a draft return for every partnership of its year; does nothing if it is open."

    def add_arguments(self, parser):
        parser.add_argument("agreement", help="The agreement's slug, e.g. kent")
        parser.add_argument("label", help="e.g. 2024-25")
        due = parser.add_mutually_exclusive_group(required=True)
        due.add_argument("--due", type=iso_date, help="The due date, e.g. 2025-01-31")
        due.add_argument("--due-in-days", type=int, help="The due date as days from today (for the demo)")
        parser.add_argument("--opens", type=iso_date, help="The opening date; today if not given")
        parser.add_argument("--feeds", dest="version_number", help="The agreement version it feeds, e.g. 9.0")
        parser.add_argument(
            "--categories-from", metavar="LABEL",
            help="The cycle whose category list the new one starts from, or 'none' for an empty list; "
                 "the cycle opened before it if not given",
        )

    def handle(self, agreement, label, due, due_in_days, opens, version_number, categories_from, **options):
        try:
            agreement = Agreement.objects.get(slug=agreement)
        except Agreement.DoesNotExist:
            raise CommandError(f"There is no agreement {agreement!r}") from None
        version = None
        if version_number:
            version = Version.objects.filter(agreement=agreement, number=version_number).first()
            if version is None:
                raise CommandError(f"The {agreement.name} has no version {version_number}")
        source = Previous
        if categories_from == "none":
            source = None
        elif categories_from:
            source = agreement.cycles.filter(label=categories_from).first()
            if source is None:
                raise CommandError(f"The {agreement.name} has no {categories_from} cycle to take categories from")
        if due is None:
            due = timezone.localdate() + datetime.timedelta(days=due_in_days)
        if agreement.cycles.filter(label=label).exists():
            # Not an error, so the demo set-up can run it every time.
            self.stdout.write(f"The {label} cycle of the {agreement.name} is already open: nothing was changed.")
            return
        try:
            cycle = open_cycle(agreement, label, due, opens_on=opens, version=version, categories_from=source)
        except CycleRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            f"Opened {cycle.label}, due by {cycle.due_on:%-d %B %Y}: {cycle.returns.count()} draft returns, "
            f"{cycle.categories.count()} categories."
        )
