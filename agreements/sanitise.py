"""Formatted text keeps emphasis, links, lists, superscript and subscript and simple tables;
everything else (style attributes, scripts, images, headings) is stripped on save."""

import nh3

ALLOWED_TAGS = {
    "em", "strong", "a", "ul", "ol", "li", "p", "br", "sup", "sub",
    "table", "thead", "tbody", "tr", "th", "td",
}
# Cells may span: the editor writes colspan and rowspan on every cell, and merged cells use them.
CELL_ATTRIBUTES = {"colspan", "rowspan"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": CELL_ATTRIBUTES | {"scope"}, "td": CELL_ATTRIBUTES}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
