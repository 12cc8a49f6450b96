from django.core.management.base import BaseCommand

from documents import public_pages
from documents.snapshot import store_editions


class Command(BaseCommand):
    help = ("Stores the PDF and snapshot of every published or historical edition that has none, "
            "so that no request renders one (for a database loaded before snapshots were kept), "
            "then makes every published edition's public page again from its snapshot (after a "
            "deploy that changed the layout or the static files).")

    def handle(self, **options):
        self.stdout.write(f"Stored {store_editions()} edition(s).")
        self.stdout.write(f"Made {public_pages.make_all()} public page(s).")
