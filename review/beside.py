"""Each paragraph's comments, and the link to comment on it, put beside it on the review page.

The marked edition is cached for every reader; it holds a marker after each numbered paragraph, and
this fills the markers for one reader: the comments are everyone's, the link only a commenter's.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .marked import MarkedEdition
from .models import Comment

MARKER = re.compile(r"<!--review:([\w-]+)-->")


def place_comments(marked: MarkedEdition, version, comments: list[Comment], commenting: bool) -> SafeString:
    by_paragraph = defaultdict(list)
    for comment in comments:
        if comment.target == Comment.Target.PARAGRAPH:
            by_paragraph[comment.target_key].append(comment)
    form_url = reverse("comment_on", args=[version.agreement.slug, version.number])

    def beside(match) -> str:
        target = marked.paragraphs.get(match.group(1))
        if target is None:
            return ""
        html = ""
        if by_paragraph[target.key]:
            html = render_to_string("review/includes/paragraph_comments.html",
                                    {"comments": by_paragraph[target.key], "target": target})
        if commenting:
            html += format_html(
                '<p class="comment-link screen-only"><a href="{}?about={}">Comment on this paragraph'
                '<span class="visually-hidden"> ({})</span></a></p>',
                form_url, target.value, target.label,
            )
        return html

    return mark_safe(MARKER.sub(beside, marked.document_html))
