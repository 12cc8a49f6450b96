import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.interchange import load_edition
from agreements.models import Agreement, Version
from assessments.loading import load_cycle, load_partnerships
from assessments.models import AssessmentCycle
from documents.snapshot import store_editions


class Command(BaseCommand):
    help = "Loads an agreement, its editions, districts, partnerships and returns from a fixtures folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="e.g. fixtures/kent")

    def handle(self, folder: Path, **options):
        if not (folder / "agreement.json").exists():
            raise CommandError(f"{folder} has no agreement.json")
        with transaction.atomic():
            meta = self.read(folder / "agreement.json")
            agreement = self.load_agreement(meta["agreement"])
            load_partnerships(agreement, meta)
            for data in self.editions(folder):
                self.load_version(agreement, data)
            for path in sorted(folder.glob("returns-*.json")):
                self.load_returns(agreement, self.read(path), meta.get("partnership_aliases", {}))
            # After the returns, which the editions' Appendix A is built from.
            stored = store_editions(agreement)
            self.stdout.write(f"  stored {stored} published edition(s) as they will be served")

    def read(self, path: Path) -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise CommandError(f"{path}: not valid JSON ({error})") from None

    def editions(self, folder: Path) -> list[dict]:
        editions = [self.read(path) for path in folder.glob("[0-9]*.json")]
        history = folder / "history.json"
        if history.exists():
            editions += self.read(history)["versions"]
        return sorted(editions, key=lambda e: (e["effective"]["year"], e["effective"]["month"]))

    def load_agreement(self, data: dict) -> Agreement:
        agreement, created = Agreement.objects.get_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "area": data["area"], "contact_html": data.get("contact_html", ""),
                      "paragraph_numbers": data.get("paragraph_numbers", Agreement.ParagraphNumbers.PLAIN),
                      **{name: data.get(name) for name in Agreement.PERIOD_FIELDS}},
        )
        self.stdout.write(f"{'Loaded' if created else 'Already loaded'}: {agreement}")
        return agreement

    def load_version(self, agreement: Agreement, data: dict) -> None:
        if Version.objects.filter(agreement=agreement, number=data["number"]).exists():
            self.stdout.write(f"  version {data['number']}: already loaded")
            return
        load_edition(agreement, data)
        self.stdout.write(f"  version {data['number']}: loaded")

    def load_returns(self, agreement: Agreement, data: dict, aliases: dict) -> None:
        if AssessmentCycle.objects.filter(agreement=agreement, label=data["cycle"]).exists():
            self.stdout.write(f"  cycle {data['cycle']}: already loaded")
            return
        cycle = load_cycle(agreement, data, aliases)
        self.stdout.write(f"  cycle {data['cycle']}: loaded {cycle.returns.count()} returns")
