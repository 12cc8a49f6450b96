from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.imports import ImportRefused, import_returns

from ._cycles import find_cycle


class Command(BaseCommand):
    help = "Imports a cycle's returns from a CSV of the export's shape; one bad row and nothing is imported."

    def add_arguments(self, parser):
        parser.add_argument("label", help="The cycle, e.g. 2024-25")
        parser.add_argument("file", type=Path, help="The CSV file")
        parser.add_argument("--agreement", help="The agreement's slug, if two agreements have this cycle")

    def handle(self, label, file, agreement, **options):
        cycle = find_cycle(label, agreement)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            imported = import_returns(cycle, data, by=None)
        except ImportRefused as refusal:
            raise CommandError("Nothing was imported.\n" + "\n".join(refusal.errors)) from None
        for assessment_return in imported:
            self.stdout.write(f"Imported {assessment_return.partnership.name}: {assessment_return.items.count()} issue(s)")
