"""The agreement's crests and logos: uploaded by KCST in the admin with alt text, checked by their
content, SVG sanitised, chosen per edition while it is a draft, printed on the cover and back page
(with /Alt in the PDF) and shown on the web page; a published edition keeps what it printed."""

import io
import os

import pikepdf
import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from agreements import images, roles
from agreements.models import AgreementImage, EditionFrozen, EditionLogo, Version
from agreements.interchange import load_edition
from agreements.refresh import start_next_refresh
from documents import pdf
from documents.backup import export_agreement, import_agreement
from documents.data import build_document

from .admin_forms import add_rows, change_page_data, form_values
from .annual_review_cast import load_kent_2014_17, read
from .conftest import assert_accessible, make_user, mark_published, sign_in
from .pdf_structure import struct_elements
from .test_published_final import publish

ADD = "admin:agreements_agreementimage_add"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def raster(kind: str = "PNG", size=(120, 60), colour="navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def svg(text: str, extra: str = "") -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 80"{extra}>'
            f'<rect width="240" height="80" fill="#fff" stroke="#0b0c0c"/>'
            f'<text x="12" y="48" font-size="24">{text}</text></svg>').encode()


HOSTILE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 80" '
    b'onload="alert(1)"><script>alert(1)</script>'
    b'<foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">form</p></foreignObject>'
    b'<image href="https://tracker.example/pixel.png" width="5" height="5"/>'
    b'<image xlink:href="data:text/html;base64,PHNjcmlwdD4=" width="5" height="5"/>'
    b'<rect width="10" height="10" style="fill:url(https://tracker.example/paint)"/>'
    b'<a href="javascript:alert(1)"><text x="10" y="40" onclick="alert(2)">Partner</text></a></svg>'
)


def upload(client, agreement, content: bytes, filename: str, name="Kent Police", alt="Kent Police logo"):
    return client.post(reverse(ADD), {
        "agreement": agreement.pk, "name": name, "alt": alt,
        "upload": SimpleUploadedFile(filename, content),
    })


def field_errors(response, field: str) -> list[str]:
    return response.context["adminform"].form.errors.get(field, [])


def add_image(agreement, name: str, content: bytes, alt: str = "") -> AgreementImage:
    image = AgreementImage(agreement=agreement, name=name, alt=alt or f"{name} logo")
    image.take(images.check_image(content))
    image.save()
    return image


def choose(version, image, place=EditionLogo.Place.BACK_PAGE, order=0) -> EditionLogo:
    logo = EditionLogo(version=version, image=image, place=place, order=order)
    logo.full_clean()
    logo.save()
    return logo


def served(client, image: AgreementImage):
    return client.get(reverse("agreement_image", args=[image.stored_name]))


# Upload in the admin

@pytest.mark.parametrize("content, filename, extension", [
    (raster("PNG"), "police.png", "png"),
    (raster("JPEG"), "police.jpeg", "jpg"),
    (svg("Kent Police"), "police.svg", "svg"),
    (raster("PNG"), "police.svg", "png"),  # the content decides, not the name
])
def test_kcst_uploads_a_logo_with_alt_text_and_it_is_stored_under_its_hash(
        client, kent, kcst, content, filename, extension):
    client.force_login(kcst)
    response = upload(client, kent, content, filename)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    image = AgreementImage.objects.get(agreement=kent, name="Kent Police")
    assert image.alt == "Kent Police logo"
    assert image.file.name == f"agreement-images/{image.sha256}.{extension}"
    fetched = served(client, image)
    assert fetched["Content-Type"] == images.content_type_of(image.stored_name)
    assert fetched["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(fetched.streaming_content) == image.content()


@pytest.mark.parametrize("content, filename, message", [
    (b"%PDF-1.7 not an image", "logo.png", "not a PNG, JPEG or SVG"),
    (raster("GIF"), "logo.gif", "not a PNG, JPEG or SVG"),
    (b"<html><body>Kent Police</body></html>", "logo.svg", "not a PNG, JPEG or SVG"),
    (raster("PNG", size=(4001, 10)), "wide.png", "4001 by 10 pixels"),
    (svg("Kent Police").replace(b'viewBox="0 0 240 80"', b'width="5000" height="80"'), "wide.svg",
     "5000 by 80 pixels"),
    (svg("Kent Police").replace(b' viewBox="0 0 240 80"', b""), "unsized.svg", "gives no size"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><text>&a;&a;</text></svg>', "bomb.svg",
     "without a DOCTYPE or entities"),
])
def test_an_upload_that_is_not_a_small_png_jpeg_or_svg_is_refused_naming_the_field(
        client, kent, kcst, content, filename, message):
    client.force_login(kcst)
    response = upload(client, kent, content, filename)
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, "upload")), field_errors(response, "upload")
    assert not AgreementImage.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, kent, kcst):
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))  # random pixels do not compress
    out = io.BytesIO()
    noise.save(out, "PNG")
    client.force_login(kcst)
    response = upload(client, kent, out.getvalue(), "big.png")
    assert len(out.getvalue()) > images.MAX_BYTES
    assert any("an image may be at most 1024 KB" in e for e in field_errors(response, "upload"))
    assert not AgreementImage.objects.exists()


def test_missing_alt_text_is_refused_with_a_message_naming_it(client, kent, kcst):
    client.force_login(kcst)
    response = upload(client, kent, raster(), "police.png", alt="")
    assert field_errors(response, "alt") == ["Enter the alt text: what a screen reader says in place of the image."]
    assert not AgreementImage.objects.exists()


def test_a_hostile_svg_is_stored_without_script_handlers_foreign_objects_or_outside_references(client, kent, kcst):
    client.force_login(kcst)
    assert upload(client, kent, HOSTILE_SVG, "partner.svg").status_code == 302
    stored = AgreementImage.objects.get().content().decode()
    assert "Partner" in stored
    for hostile in ("script", "alert", "onload", "onclick", "foreignObject", "tracker.example", "pixel",
                    "text/html", "javascript"):
        assert hostile not in stored, hostile
    fetched = served(client, AgreementImage.objects.get())
    assert "default-src 'none'" in fetched["Content-Security-Policy"]


def test_only_kcst_of_the_agreement_upload_or_change_its_images(client, kent, kcsp_member, other_agreement):
    police = add_image(kent, "Kent Police", raster())
    kcsp_member.is_staff = True
    kcsp_member.save()
    client.force_login(kcsp_member)
    assert upload(client, kent, raster(), "p.png", name="Another").status_code == 403
    change = reverse("admin:agreements_agreementimage_change", args=[police.pk])
    assert client.post(change, {"name": "Renamed", "alt": "x"}).status_code == 403
    kcst_other = make_user("kcst-other", "KCST staff", other_agreement, is_staff=True)
    client.force_login(kcst_other)
    response = upload(client, kent, raster(), "p.png", name="Another")
    assert field_errors(response, "agreement")  # Kent is not among its choices
    assert client.get(change).status_code == 404
    delete = reverse("admin:agreements_agreementimage_delete", args=[police.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    roles.grant(kcst_other, roles.KCSP_MEMBER, kent)  # reads Kent's records, changes none
    assert client.post(change, {"name": "Renamed", "alt": "x"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    police.refresh_from_db()
    assert police.name == "Kent Police"
    assert list(AgreementImage.objects.filter(agreement=kent)) == [police]


# Chosen per edition

def test_kcst_chooses_the_drafts_crest_and_partner_logos_in_order_on_the_versions_page(client, kent, draft, kcst):
    crest = add_image(kent, "Kent County Council", svg("Kent County Council"))
    police = add_image(kent, "Kent Police", raster())
    fire = add_image(kent, "Kent Fire and Rescue Service", raster("JPEG"))
    client.force_login(kcst)
    url = reverse("admin:agreements_version_change", args=[draft.pk])
    data = change_page_data(client.get(url))
    add_rows(data, "logos", [
        {"place": "cover", "order": 0, "image": crest.pk},
        {"place": "back_page", "order": 2, "image": police.pk},
        {"place": "back_page", "order": 1, "image": fire.pk},
    ])
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [f.errors for f in response.context["inline_admin_formsets"]]
    document = build_document(draft)
    assert [logo.alt for logo in document.cover_logos] == ["Kent County Council logo"]
    assert [logo.alt for logo in document.back_page_logos] == ["Kent Fire and Rescue Service logo", "Kent Police logo"]


def test_an_edition_cannot_print_another_agreements_image(kent, draft, other_agreement):
    theirs = add_image(other_agreement, "Their crest", raster())
    with pytest.raises(ValidationError, match="this edition's own agreement"):
        choose(draft, theirs)


def test_the_choice_is_frozen_once_the_edition_leaves_draft(kent, kcst):
    published = kent.versions.get(number="1.0")
    police = add_image(kent, "Kent Police", raster())
    with pytest.raises(EditionFrozen):
        EditionLogo(version=published, image=police).save()


# Printed and shown

def figures_with_alt(content: bytes) -> dict[int, list[str]]:
    """The /Alt of each /Figure, by the number of the page it is on."""
    found: dict[int, list[str]] = {}
    with pikepdf.open(io.BytesIO(content)) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages)}
        for element in struct_elements(document):
            if element.S != "/Figure" or "/Alt" not in element:
                continue
            kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
            page = next((kid.Pg for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/Pg" in kid), None)
            page = element.Pg if page is None else page
            found.setdefault(pages[page.objgen], []).append(str(element.Alt))
        last = len(document.pages) - 1
    return {"cover": found.get(0, []), "back page": found.get(last, [])}


def test_the_pdf_carries_the_crest_on_its_cover_and_the_partners_on_its_back_page_with_alt_text(kent, draft):
    choose(draft, add_image(kent, "Kent County Council", svg("Kent County Council")), EditionLogo.Place.COVER)
    choose(draft, add_image(kent, "Kent Police", raster()), order=0)
    choose(draft, add_image(kent, "Probation Service", raster("JPEG")), order=1)
    content = pdf.render_pdf(draft)
    assert figures_with_alt(content) == {
        "cover": ["Kent County Council logo"],
        "back page": ["Kent Police logo", "Probation Service logo"],
    }


def test_the_back_page_prints_those_the_agreement_is_made_in_partnership_with_under_that_heading(
        client, kent, draft, kcst):
    choose(draft, add_image(kent, "Kent Fire and Rescue Service", raster()), order=0)
    choose(draft, add_image(kent, "Kent Police", raster()), order=1)
    choose(draft, add_image(kent, "Probation Service", raster("JPEG")), EditionLogo.Place.IN_PARTNERSHIP)
    content = pdf.render_pdf(draft)
    assert figures_with_alt(content)["back page"] == [
        "Kent Fire and Rescue Service logo", "Kent Police logo", "Probation Service logo"]
    assert "In partnership with" in pypdf.PdfReader(io.BytesIO(content)).pages[-1].extract_text()
    client.force_login(kcst)
    page = client.get(reverse("edition", args=["kent", draft.number])).content.decode()
    back = page.split('class="partner-logos"', 1)[1]
    assert back.index('alt="Kent Police logo"') < back.index("In partnership with") < back.index(
        'alt="Probation Service logo"')


def test_the_web_page_shows_the_logos_with_their_alt_text(client, kent, draft, kcst):
    police = add_image(kent, "Kent Police", raster())
    choose(draft, add_image(kent, "Kent County Council", svg("KCC")), EditionLogo.Place.COVER)
    choose(draft, police)
    client.force_login(kcst)
    page = client.get(reverse("edition", args=["kent", draft.number])).content.decode()
    cover, back = page.split('class="cover-title"')[0], page.split('class="partner-logos"')[1]
    assert 'alt="Kent County Council logo"' in cover
    assert f'src="/images/{police.stored_name}" alt="Kent Police logo"' in back
    assert served(client, police).status_code == 200


def test_the_cover_shows_the_agreements_period_when_it_has_one(kent, draft):
    assert build_document(draft).period == ""  # Kent's agreement is rolling
    kent.period_start_month, kent.period_start_year, kent.period_end_month, kent.period_end_year = 4, 2011, 3, 2014
    kent.full_clean()
    kent.save()
    html = pdf.document_html(draft)
    assert '<p class="cover-period">April 2011 to March 2014</p>' in html
    assert '<p class="cover-date">April 2024</p>' in html and "Version 8.0" in html


@pytest.mark.parametrize("ends, message", [
    ((4, 2011, None, None), "first and last month and year"),
    ((4, 2014, 3, 2014), "must end after it starts"),
])
def test_a_half_given_or_backward_period_is_refused(kent, ends, message):
    kent.period_start_month, kent.period_start_year, kent.period_end_month, kent.period_end_year = ends
    with pytest.raises(ValidationError, match=message):
        kent.full_clean()


def test_the_2014_17_agreement_prints_its_period_and_its_partners_above_its_contact_details(db):
    agreement = load_kent_2014_17()
    edition = load_edition(agreement, read("0.2.json"), number="0.3", status=Version.Status.DRAFT)
    assert build_document(edition).period == "April 2014 to March 2017"
    choose(edition, add_image(agreement, "Kent Police", raster()))
    contact = pdf.document_html(edition).split('id="contact"')[1]
    assert contact.index('alt="Kent Police logo"') < contact.index("For further information")
    agreement.contact_html = ""  # no contact details at all: the partners still get their page
    agreement.save()
    assert 'alt="Kent Police logo"' in pdf.document_html(edition).split('id="partners"')[1]


@pytest.mark.parametrize("url", [
    "https://csa-document.invalid/images/../../settings.py",
    "https://csa-document.invalid/images/" + "a" * 64 + ".gif",
    "https://logos.example/kent-police.png",
    "file:///etc/passwd",
])
def test_the_pdf_reads_only_stored_images_and_never_over_the_network(db, url):
    with pytest.raises(ValueError):
        pdf.StaticFileFetcher().fetch(url)


def test_the_next_refresh_prints_the_same_logos_and_an_export_carries_them(kent, draft, kcst):
    choose(draft, add_image(kent, "Kent County Council", svg("KCC")), EditionLogo.Place.COVER)
    choose(draft, add_image(kent, "Kent Police", raster()))
    next_draft = start_next_refresh(mark_published(draft).agreement, by=kcst)
    assert [(logo.place, logo.image.name) for logo in next_draft.logos.all()] == [
        ("back_page", "Kent Police"), ("cover", "Kent County Council")]

    data = export_agreement(kent, draft)
    data["agreement"]["slug"] = "kent-copy"
    copy = import_agreement(data)
    copied = copy.versions.get(number="8.0")
    assert [(logo.image.agreement, logo.image.name, logo.image.content()) for logo in copied.logos.all()] == [
        (copy, logo.image.name, logo.image.content()) for logo in draft.logos.all()]


def test_the_demo_prints_neutral_placeholders_named_in_words_on_the_draft(kent, draft):
    call_command("load_demo_logos", stdout=io.StringIO())
    call_command("load_demo_logos", stdout=io.StringIO())  # a second run adds nothing
    document = build_document(draft)
    assert [logo.alt for logo in document.cover_logos] == ["Kent Community Safety Partnership (placeholder logo)"]
    assert [logo.alt for logo in document.back_page_logos] == [
        f"{name} (placeholder logo)" for name in ("Kent Fire & Rescue Service", "Kent Police")
    ]
    # As the April 2024 agreement prints it: "In partnership with" the Probation Service.
    assert [logo.alt for logo in document.in_partnership_logos] == ["Probation Service (placeholder logo)"]
    for image in AgreementImage.objects.filter(agreement=kent):
        drawn = image.content().decode()
        assert image.name.replace("&", "&amp;") in drawn and "logo placeholder" in drawn


# Published means final

def test_a_published_edition_keeps_the_logo_it_printed_when_the_logo_is_replaced_and_refuses_its_deletion(
        client, kent, draft, kcst):
    police = add_image(kent, "Kent Police", raster(colour="navy"))
    choose(draft, police)
    published = publish(draft, kcst)
    printed = police.stored_name
    snapshot = published.snapshot
    anonymous_page = client.get(reverse("edition", args=["kent", "8.0"])).content.decode()
    assert f'src="/images/{printed}" alt="Kent Police logo"' in anonymous_page

    client.force_login(kcst)
    change = reverse("admin:agreements_agreementimage_change", args=[police.pk])
    data = form_values(client.get(change).context["adminform"].form)
    data["upload"] = SimpleUploadedFile("new-police.png", raster(colour="darkred"))
    assert client.post(change, data).status_code == 302
    police.refresh_from_db()
    assert police.stored_name != printed

    client.logout()
    assert client.get(reverse("edition", args=["kent", "8.0"])).content.decode() == anonymous_page
    published.refresh_from_db()
    assert published.snapshot.page_sha256 == snapshot.page_sha256
    assert published.snapshot.document_sha256 == snapshot.document_sha256
    old = client.get(reverse("agreement_image", args=[printed]))
    assert old.status_code == 200 and b"".join(old.streaming_content) == raster(colour="navy")
    with published.pdf.open("rb") as stored:
        assert figures_with_alt(stored.read())["back page"] == ["Kent Police logo"]

    client.force_login(kcst)
    refusal = client.post(reverse("admin:agreements_agreementimage_delete", args=[police.pk]), {"post": "yes"})
    assert "Kent Police on the back page of version 8.0 (Published)" in refusal.content.decode()
    assert AgreementImage.objects.filter(pk=police.pk).exists()


# In a browser

@pytest.mark.django_db(transaction=True)
def test_kcst_uploads_a_logo_and_the_draft_shows_it_accessibly(page, live_kent, tmp_path):
    kcst = make_user("kcst-browser", "KCST staff", is_staff=True)
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}{reverse(ADD)}")
    page.get_by_label("Agreement").select_option(label="Kent Community Safety Agreement (kent)")
    page.get_by_label("Name").fill("Kent Police")
    page.get_by_label("Alt text").fill("Kent Police logo")
    (tmp_path / "police.svg").write_bytes(svg("Kent Police"))
    page.get_by_label("Image file").set_input_files(tmp_path / "police.svg")
    assert_accessible(page, preload=False)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Kent Police” was added successfully")

    draft = Version.objects.get(agreement__slug="kent", number="8.0")
    choose(draft, AgreementImage.objects.get(name="Kent Police"))
    choose(draft, add_image(draft.agreement, "Kent County Council", raster()), EditionLogo.Place.COVER)
    page.goto(f"{live_kent.url}/kent/8.0/")
    for alt in ("Kent County Council logo", "Kent Police logo"):
        logo = page.get_by_role("img", name=alt)
        assert logo.is_visible()
        assert logo.evaluate("image => image.complete && image.naturalWidth > 0")  # served, and allowed by the CSP
    assert_accessible(page)
