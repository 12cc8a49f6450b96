"""The parts of an edition a member can comment on, in document order."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from agreements.models import Chapter, Paragraph, Version, number_paragraphs
from documents.diff import plain_text

from .models import Comment


@dataclass(frozen=True)
class Target:
    label: str
    target: str
    key: str
    chapter_key: str
    anchor: str = ""  # where the part is on the review page, for a paragraph

    @property
    def value(self) -> str:
        return f"{self.target}:{self.key}"


def comment_targets(version: Version) -> list[Target]:
    chapters = Chapter.objects.filter(version=version).prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("order", "pk"))
    )
    priorities = list(version.priorities.all())
    targets = []
    for chapter in chapters:
        targets.append(Target(chapter.heading, Comment.Target.CHAPTER, chapter.key, chapter.key))
        for paragraph in number_paragraphs(chapter, chapter.paragraphs.all()):
            if paragraph.number:
                targets.append(Target(f"Paragraph {paragraph.number}", Comment.Target.PARAGRAPH, paragraph.key,
                                      chapter.key, f"paragraph-{paragraph.number.replace('.', '-')}"))
        if chapter.generated == Chapter.Generated.PRIORITIES_DIAGRAM:
            targets += [Target(f"Priority: {p.name}", Comment.Target.PRIORITY, p.key, chapter.key) for p in priorities]
        if chapter.generated == Chapter.Generated.LEADS:
            targets += [Target(f"Lead for {p.name}", Comment.Target.LEAD, p.key, chapter.key) for p in priorities]
    return targets


def quoted(version: Version, target: Target) -> str:
    """The words of the part a comment is about, as the comment form quotes them."""
    if target.target != Comment.Target.PARAGRAPH:
        return ""
    paragraph = Paragraph.objects.filter(chapter__version=version, key=target.key).first()
    return plain_text(paragraph.html) if paragraph else ""


def paragraph_anchor(version: Version, key: str) -> str:
    """Where the paragraph is on the review page now (it may have moved since it was commented on)."""
    return next((t.anchor for t in comment_targets(version) if t.target == "paragraph" and t.key == key), "")
