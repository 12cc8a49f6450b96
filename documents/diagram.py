"""The priorities diagram of chapter 6, drawn as SVG from the edition's data.

The CSA priorities sit in a grid with the cross-cutting themes as bars across all of them, in
one colour; the Police and Crime Plan priorities sit beside them in grey; a key explains the
colours. The SVG is an image to assistive technology, with a title and a description that list
every item (Appendix E repeats them as tables). Every piece of text is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDE = (640, 4)     # (width, columns) for the page on a wide screen and for the PDF
NARROW = (320, 2)   # for a phone: the same text size, two boxes a row
GAP = 10
FONT_SIZE = 13
LINE_HEIGHT = 16
PADDING = 9
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"

CSA_FILL = "#5c2d83"      # purple, as in the council's diagram; white text on it is 9.9:1
CSA_TEXT = "#ffffff"
POLICE_FILL = "#dedede"   # grey; black text on it is 15:1
POLICE_TEXT = "#0b0c0c"
POLICE_STROKE = "#6f777b"
LABEL_TEXT = "#0b0c0c"

# Rough advance widths of Arial, in ems, good enough to wrap words inside a box.
_NARROW = set("iIjl.,;:'|!()[]ft ")
_WIDE = set("mwMW@%")


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.3
        elif char in _WIDE:
            ems += 0.85
        elif char.isupper() or char.isdigit() or char == "&":
            ems += 0.68
        else:
            ems += 0.53
    return ems * size


def wrap(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """Greedy word wrap for a box `width` units wide."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and _text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines or [""]


@dataclass
class _Canvas:
    width: float
    parts: list[str]
    y: float = 0.0

    def label(self, text: str, size: float = FONT_SIZE, weight: str = "bold") -> None:
        for line in wrap(text, self.width, size):
            self.y += LINE_HEIGHT
            self.parts.append(
                f'<text x="0" y="{self.y - 4:.1f}" font-size="{size}" font-weight="{weight}" '
                f'fill="{LABEL_TEXT}">{escape(line)}</text>'
            )
        self.y += 4

    def boxes(self, texts: list[str], columns: int, fill: str, colour: str, stroke: str = "none") -> None:
        """A grid of boxes, rows as tall as their tallest box, a short last row centred."""
        width = (self.width - GAP * (columns - 1)) / columns
        for start in range(0, len(texts), columns):
            row = texts[start:start + columns]
            wrapped = [wrap(text, width - 2 * PADDING) for text in row]
            height = max(len(lines) for lines in wrapped) * LINE_HEIGHT + 2 * PADDING
            offset = (columns - len(row)) * (width + GAP) / 2
            for i, lines in enumerate(wrapped):
                x = offset + i * (width + GAP)
                self._box(x, width, height, lines, fill, colour, stroke)
            self.y += height + GAP

    def bars(self, texts: list[str], fill: str, colour: str) -> None:
        for text in texts:
            lines = wrap(text, self.width - 2 * PADDING)
            height = len(lines) * LINE_HEIGHT + PADDING
            self._box(0, self.width, height, lines, fill, colour, "none")
            self.y += height + GAP / 2
        self.y += GAP / 2

    def _box(self, x, width, height, lines, fill, colour, stroke) -> None:
        self.parts.append(
            f'<rect x="{x:.1f}" y="{self.y:.1f}" width="{width:.1f}" height="{height:.1f}" rx="6" '
            f'fill="{fill}" stroke="{stroke}"/>'
        )
        first = self.y + (height - len(lines) * LINE_HEIGHT) / 2 + LINE_HEIGHT - 4
        for n, line in enumerate(lines):
            self.parts.append(
                f'<text x="{x + width / 2:.1f}" y="{first + n * LINE_HEIGHT:.1f}" text-anchor="middle" '
                f'font-size="{FONT_SIZE}" fill="{colour}">{escape(line)}</text>'
            )

    def key(self, entries: list[tuple[str, str, str]]) -> None:
        self.y += GAP
        for text, fill, stroke in entries:
            lines = wrap(text, self.width - 30, FONT_SIZE)
            self.parts.append(
                f'<rect x="0" y="{self.y + 2:.1f}" width="18" height="12" fill="{fill}" stroke="{stroke}"/>'
            )
            for n, line in enumerate(lines):
                self.parts.append(
                    f'<text x="26" y="{self.y + 12 + n * LINE_HEIGHT:.1f}" font-size="{FONT_SIZE}" '
                    f'fill="{LABEL_TEXT}">{escape(line)}</text>'
                )
            self.y += len(lines) * LINE_HEIGHT + 4


def description(
    area: str, priorities: list[str], themes: list[str], police: list[str], police_heading: str
) -> str:
    parts = []
    if priorities:
        parts.append(f"{area} CSA priorities: " + "; ".join(priorities) + ".")
    if themes:
        parts.append("Cross-cutting themes, addressed within every priority: " + "; ".join(themes) + ".")
    if police:
        parts.append(f"{police_heading}: " + "; ".join(police) + ".")
    return " ".join(parts)


def priorities_diagram(
    *, area: str, priorities: list[str], themes: list[str], police: list[str], police_heading: str,
    layout: tuple[int, int] = WIDE, id_prefix: str = "priorities-diagram",
) -> SafeString:
    width, columns = layout
    canvas = _Canvas(width=width, parts=[])
    if priorities:
        canvas.label(f"{area} CSA priorities")
        canvas.boxes(priorities, columns, CSA_FILL, CSA_TEXT)
    if themes:
        canvas.label("Cross-cutting themes, addressed within every priority")
        canvas.bars(themes, CSA_FILL, CSA_TEXT)
    if police:
        canvas.label(police_heading)
        canvas.boxes(police, columns, POLICE_FILL, POLICE_TEXT, POLICE_STROKE)
    key = [(f"{area} CSA priorities and cross-cutting themes (purple)", CSA_FILL, "none")]
    if police:
        key.append((f"{police_heading} (grey)", POLICE_FILL, POLICE_STROKE))
    canvas.label("Key", weight="bold")
    canvas.key(key)
    height = canvas.y + 2
    title = (
        f"Diagram of the {area} Community Safety Agreement priorities and cross-cutting themes"
        + (f", beside the {police_heading}" if police else "")
    )
    desc = description(area, priorities, themes, police, police_heading)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="priorities-diagram" role="img" '
        f'viewBox="-1 -1 {width + 2} {height + 2:.0f}" width="{width + 2}" height="{height + 2:.0f}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="{FONT}">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>'
        + "".join(canvas.parts)
        + "</svg>"
    )
    return mark_safe(svg)
