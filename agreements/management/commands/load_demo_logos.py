from xml.sax.saxutils import escape

from django.core.management.base import BaseCommand
from django.db import transaction

from agreements.images import check_image
from agreements.models import Agreement, AgreementImage, EditionLogo

# The partners the April 2024 draft's back page names, then the one it names "In partnership with".
# The demo prints neutral placeholders, each a grey panel with the name in words: never a copy of a
# real organisation's logo.
COVER = "Kent Community Safety Partnership"
PARTNERS = ("Kent Fire & Rescue Service", "Kent Police")
IN_PARTNERSHIP = ("Probation Service",)


def placeholder(name: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 96">'
        '<rect x="1" y="1" width="318" height="94" rx="8" fill="#f3f2f1" stroke="#505a5f" stroke-width="2"/>'
        f'<text x="160" y="46" text-anchor="middle" font-family="Arial, sans-serif" font-size="20" fill="#0b0c0c">{escape(name)}</text>'
        '<text x="160" y="74" text-anchor="middle" font-family="Arial, sans-serif" font-size="14" fill="#505a5f">'
        'logo placeholder</text></svg>'
    ).encode()


class Command(BaseCommand):
    help = "Gives Kent neutral placeholder logos (demo set-up only) and prints them on its open draft."

    @transaction.atomic
    def handle(self, **options):
        kent = Agreement.objects.get(slug="kent")
        draft = kent.open_version()
        printed = [(COVER, EditionLogo.Place.COVER), *((p, EditionLogo.Place.BACK_PAGE) for p in PARTNERS),
                   *((p, EditionLogo.Place.IN_PARTNERSHIP) for p in IN_PARTNERSHIP)]
        for order, (name, place) in enumerate(printed):
            image = AgreementImage.objects.filter(agreement=kent, name=name).first()
            if image is None:
                image = AgreementImage(agreement=kent, name=name, alt=f"{name} (placeholder logo)")
                image.take(check_image(placeholder(name)))
                image.save()
            if draft is not None and draft.is_draft and not draft.logos.filter(image=image).exists():
                EditionLogo.objects.create(version=draft, image=image, place=place, order=order)
        self.stdout.write(f"Placeholder logos: {len(printed)}, printed on {draft or 'no open draft'}.")
