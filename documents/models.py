from django.db import models

from agreements.models import Snapshot


class PublicPage(models.Model):
    """A published edition's web page whole, as every anonymous visitor gets it, gzipped: its
    snapshot's page body inside the site's layout, made when the snapshot is taken.

    The page is served as stored, by a look-up that builds nothing (documents/public_pages.py): a
    published page must cost little more than the stack's constant page (make bench). It presents
    the snapshot and is not part of it: `store_editions` makes it again after a deploy changes the
    layout or the static files' names, and the body inside is the snapshot's, byte for byte.
    """

    snapshot = models.OneToOneField(Snapshot, on_delete=models.CASCADE, related_name="public_page")
    gzipped = models.BinaryField()
    made_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Public page of {self.snapshot.title}"
