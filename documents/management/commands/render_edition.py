from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Version
from documents.pdf import pdf_filename, render_pdf


class Command(BaseCommand):
    help = "Writes an edition of an agreement as a PDF, e.g. render_edition kent 8.0 --out csa.pdf"

    def add_arguments(self, parser):
        parser.add_argument("agreement", help="The agreement's short name, e.g. kent.")
        parser.add_argument("number", help="The version number, e.g. 8.0.")
        parser.add_argument("--out", type=Path, help="Where to write the PDF (default: kent-csa-8.0.pdf).")

    def handle(self, agreement: str, number: str, out: Path | None, **options):
        version = self.find(agreement, number)
        out = out or Path(pdf_filename(version))
        pdf = render_pdf(version)
        out.write_bytes(pdf)
        self.stdout.write(f"Wrote {version} to {out} ({len(pdf) // 1024} KB)")

    def find(self, agreement: str, number: str) -> Version:
        try:
            return Version.objects.select_related("agreement").get(agreement__slug=agreement, number=number)
        except Version.DoesNotExist:
            known = ", ".join(
                Version.objects.filter(agreement__slug=agreement).values_list("number", flat=True)
            )
            if not known:
                raise CommandError(f"No agreement is called {agreement!r}.") from None
            raise CommandError(f"The {agreement} agreement has no version {number} (it has {known}).") from None
