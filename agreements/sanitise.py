"""Formatted text keeps emphasis, links and lists; everything else is stripped on save."""

import nh3

ALLOWED_TAGS = {"em", "strong", "a", "ul", "ol", "li", "p", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
