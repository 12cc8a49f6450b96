from django.core.management.base import BaseCommand

from agreements.models import Snapshot
from documents import public_pages
from documents.snapshot import store_editions


def make_public_pages() -> int:
    """Lays every snapshot's body into the layout as it is now: after a deploy that changed the
    layout or the static files' names. Returns how many pages were made."""
    made = 0
    for snapshot in Snapshot.objects.defer("document_json").iterator(chunk_size=50):
        public_pages.make(snapshot)
        made += 1
    return made


class Command(BaseCommand):
    help = ("Stores the PDF and snapshot of every published or historical edition that has none, "
            "so that no request renders one (for a database loaded before snapshots were kept), "
            "then makes every published edition's public page again from its snapshot (after a "
            "deploy that changed the layout or the static files).")

    def handle(self, **options):
        self.stdout.write(f"Stored {store_editions()} edition(s).")
        self.stdout.write(f"Made {make_public_pages()} public page(s).")
