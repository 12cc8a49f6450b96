"""An indicator's values as a bar chart drawn server-side in SVG, and the table printed beside it.

Both come from one list of points, so the chart and its table carry the same numbers. The SVG is
an image with a title and a description; the table is what a screen reader and the PDF read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 16, 40, 24
BAR_FILL = "#5c2d83"
TEXT = "#0b0c0c"
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal

    @property
    def shown(self) -> str:
        return f"{self.value.normalize():f}"


@dataclass(frozen=True)
class Chart:
    indicator: object
    points: list[Point]
    svg: SafeString


def points_of(indicator) -> list[Point]:
    return [Point(value.period_label, value.value) for value in indicator.values.all()]


def chart(indicator) -> Chart:
    points = points_of(indicator)
    return Chart(indicator, points, draw(indicator, points))


def draw(indicator, points: list[Point]) -> SafeString:
    ident = f"indicator-{indicator.pk}"
    description = "; ".join(f"{point.label}: {point.shown}" for point in points) or "No values yet."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}" font-size="12">',
        f'<title id="{ident}-title">{escape(indicator.name)} ({escape(indicator.unit)})</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    if points:
        top = max(max(point.value for point in points), Decimal(0)) or Decimal(1)
        plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
        slot = (WIDTH - MARGIN_LEFT) / len(points)
        bar = slot * 0.6
        for index, point in enumerate(points):
            height = float(max(point.value, Decimal(0)) / top) * plot_height
            x = MARGIN_LEFT + index * slot + (slot - bar) / 2
            y = HEIGHT - MARGIN_BOTTOM - height
            centre = x + bar / 2
            parts += [
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{BAR_FILL}"/>',
                f'<text class="value" x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" fill="{TEXT}">'
                f'{escape(point.shown)}</text>',
                f'<text class="period" x="{centre:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle" '
                f'fill="{TEXT}">{escape(point.label)}</text>',
            ]
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{HEIGHT - MARGIN_BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - MARGIN_BOTTOM}" '
        f'stroke="{TEXT}"/></svg>'
    )
    return mark_safe("".join(parts))
