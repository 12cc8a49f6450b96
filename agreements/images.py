"""Images an agreement owns (its crest, its partners' logos), checked by what their bytes are.

An upload is a PNG, a JPEG or an SVG by its content, whatever its file name says; it is refused
above MAX_BYTES or MAX_SIDE pixels a side, before any pixel is decoded. An SVG is sanitised by
svg-hush (Cloudflare's filter, through py-svg-hush): no script, event handler, foreignObject or
external reference is kept, and data: URLs only for PNG and JPEG pictures. What svg-hush leaves
of a reference outside the file (it makes `https://host/x.png` a relative `/x.png`) is removed
here, so the file never asks for anything but itself.

Files are stored under the SHA-256 of what is stored (`agreement-images/<sha256>.<ext>`), and a
name once stored is never written again or deleted: a page or PDF that printed an image keeps
finding the same bytes, whatever later happens to the record that chose it.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from lxml import etree
from PIL import Image, UnidentifiedImageError
from py_svg_hush import filter_svg

MAX_BYTES = 1024 * 1024
MAX_SIDE = 4000
FOLDER = "agreement-images"
# A stored image's name: what the URL fetcher and the image view accept, and nothing else.
STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(png|jpg|svg)$")

SVG = "{http://www.w3.org/2000/svg}svg"
RASTERS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg")}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}
# Pictures an SVG may carry inside itself; anything else in a data: URL is dropped.
EMBEDDED_PICTURES = {"image": ["png", "jpeg"]}
_OUTSIDE_REFERENCE = re.compile(r"url\(\s*['\"]?(?!#)", re.I)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    extension: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def store(self) -> str:
        """Stores the bytes under their hash, once; returns the stored name."""
        name = f"{FOLDER}/{self.sha256}.{self.extension}"
        if not default_storage.exists(name):
            stored = default_storage.save(name, ContentFile(self.content))
            if stored != name:  # another upload of the same bytes won the race: keep theirs
                default_storage.delete(stored)
        return name


def content_type_of(stored_name: str) -> str:
    return CONTENT_TYPES[stored_name.rsplit(".", 1)[-1]]


def refuse_if_too_big(size: int) -> None:
    """Checked on the upload's size first, so a huge file is never read into memory."""
    if size > MAX_BYTES:
        raise ValidationError(
            f"The file is {size // 1024} KB: an image may be at most {MAX_BYTES // 1024} KB.", code="too_big"
        )


def check_image(content: bytes) -> CheckedImage:
    """The upload as it will be stored, or a ValidationError saying what is wrong with it."""
    refuse_if_too_big(len(content))
    if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _checked_svg(content)
    return _checked_raster(content)


def _checked_raster(content: bytes) -> CheckedImage:
    try:
        with Image.open(io.BytesIO(content)) as image:  # reads the header, decodes no pixel
            kind, (width, height) = image.format, image.size
            if kind in RASTERS:
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        kind = None
    if kind not in RASTERS:
        raise ValidationError("The file is not a PNG, JPEG or SVG image.", code="not_an_image")
    _within_limits(width, height)
    return CheckedImage(content, RASTERS[kind][1], width, height)


def _checked_svg(content: bytes) -> CheckedImage:
    root = _parse_svg(content)
    if root is None or root.tag != SVG:
        raise ValidationError("The file is not a PNG, JPEG or SVG image.", code="not_an_image")
    if root.getroottree().docinfo.doctype:  # entities are never expanded: refused, not half-read
        raise ValidationError(
            "The SVG file could not be read: it must be plain SVG, without a DOCTYPE or entities.", code="doctype"
        )
    try:
        filtered = filter_svg(content, EMBEDDED_PICTURES)
    except ValueError:
        raise ValidationError("The SVG file could not be read.", code="not_an_image") from None
    root = _parse_svg(filtered)
    if root is None or root.tag != SVG:
        raise ValidationError("The SVG file could not be read.", code="not_an_image")
    _remove_outside_references(root)
    width, height = _svg_size(root)
    _within_limits(width, height)
    return CheckedImage(etree.tostring(root, xml_declaration=True, encoding="utf-8"), "svg", width, height)


def _parse_svg(content: bytes):
    # No DTD, no entities, no network: an entity bomb or an external entity is never expanded.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        return None


def _remove_outside_references(root) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in list(element.attrib.items()):
            local = etree.QName(name).localname
            if local == "href" and not (value.startswith("#") or value.startswith("data:image/")):
                del element.attrib[name]
            elif _OUTSIDE_REFERENCE.search(value):
                del element.attrib[name]
        if etree.QName(element).localname == "style" and _OUTSIDE_REFERENCE.search(element.text or ""):
            element.text = ""


def _svg_size(root) -> tuple[int, int]:
    """The SVG's size in pixels, from its width and height or else its viewBox."""
    width, height = (_length(root.get(side)) for side in ("width", "height"))
    if width and height:
        return round(width), round(height)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        return round(float(box[2])), round(float(box[3]))
    except (IndexError, ValueError):
        raise ValidationError(
            "The SVG file gives no size: it needs a viewBox, or a width and height in pixels.",
            code="no_size",
        ) from None


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) if match else None


def _within_limits(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width > MAX_SIDE or height > MAX_SIDE:
        raise ValidationError(
            f"The image is {width} by {height} pixels: each side may be at most {MAX_SIDE} pixels.",
            code="too_large",
        )
