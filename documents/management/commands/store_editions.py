from django.core.management.base import BaseCommand

from agreements.models import Agreement, Version
from agreements.workflow import keep_as_published


def store_editions(agreement: Agreement | None = None) -> int:
    """Stores the PDF and snapshot of every published edition that has none; returns how many."""
    published = Version.objects.filter(status=Version.Status.PUBLISHED).select_related("agreement")
    if agreement is not None:
        published = published.filter(agreement=agreement)
    return sum(keep_as_published(version) for version in published)


class Command(BaseCommand):
    help = ("Stores the PDF and snapshot of every published or historical edition that has none, "
            "so that no request renders one (for a database loaded before snapshots were kept).")

    def handle(self, **options):
        self.stdout.write(f"Stored {store_editions()} edition(s).")
