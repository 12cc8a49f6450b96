import json
import sys

from django.core.management.base import BaseCommand, CommandError

from documents.backup import ImportRefused, import_agreement


class Command(BaseCommand):
    help = "Loads an agreement written by export_agreement; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file, or - for standard input")

    def handle(self, file: str, **options):
        try:
            text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()
            data = json.loads(text)
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            agreement = import_agreement(data)
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        except (KeyError, TypeError, ValueError) as error:
            raise CommandError(f"{file} is not a complete export ({error!r}); nothing was imported.") from None
        self.stdout.write(f"Imported {agreement} with {agreement.versions.count()} versions.")
