"""Word-level differences between two texts, shared by the editions' comparison and the returns' review.

Text is escaped before it is marked up, so nothing a person typed is ever rendered as HTML.
"""

from __future__ import annotations

import difflib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def mark_words(old: str, new: str) -> SafeString:
    """Word-level differences, readable without colour: each change is labelled in words."""
    old_words, new_words = old.split(), new.split()
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(
                '<del><span class="visually-hidden">[removed: </span>'
                f'{escape(" ".join(old_words[a1:a2]))}<span class="visually-hidden">]</span></del>'
            )
        if op in ("insert", "replace"):
            out.append(
                '<ins><span class="visually-hidden">[added: </span>'
                f'{escape(" ".join(new_words[b1:b2]))}<span class="visually-hidden">]</span></ins>'
            )
    return mark_safe(" ".join(out))
