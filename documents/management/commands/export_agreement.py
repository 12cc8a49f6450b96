import json

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement, Version
from documents.backup import export_agreement


class Command(BaseCommand):
    help = "Writes an agreement as it stood at one version, as JSON, to standard output."

    def add_arguments(self, parser):
        parser.add_argument("agreement", help="the agreement's short name, e.g. kent")
        parser.add_argument("number", help="the version, e.g. 8.0")

    def handle(self, agreement: str, number: str, **options):
        try:
            version = Version.objects.get(agreement__slug=agreement, number=number)
        except Version.DoesNotExist:
            known = ", ".join(Agreement.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No version {number} of an agreement called {agreement!r} (agreements: {known}).")
        self.stdout.write(json.dumps(export_agreement(version.agreement, version), indent=1, ensure_ascii=False))
