"""MoRiLE (Management of Risk in Law Enforcement) scores ranked through one configurable function.

MoRiLE's published scales and formula are not reliably public, so each dimension is stored as
scored and the figure that orders the issues comes from the function named by the
MORILE_RANK_FUNCTION setting (a dotted path), the product of the three dimensions by default.
A partnership using another scheme version changes that one setting, nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_RANK_FUNCTION = "assessments.morile.product"


class Scored(Protocol):
    harm: Decimal
    likelihood: Decimal
    organisational_position: Decimal
    confidence: str


def product(score: Scored) -> Decimal:
    """Harm times likelihood is the risk; the organisational position weighs how far partners can act."""
    return score.harm * score.likelihood * score.organisational_position


def total(score: Scored) -> Decimal:
    return score.harm + score.likelihood + score.organisational_position


def rank_score(score: Scored) -> Decimal:
    return import_string(getattr(settings, "MORILE_RANK_FUNCTION", DEFAULT_RANK_FUNCTION))(score)


def ranked(scores) -> list[tuple[int, Scored]]:
    """Highest score first; equal scores share a rank (1, 2, 2, 4), in the order given."""
    by_score = sorted(scores, key=rank_score, reverse=True)
    result: list[tuple[int, Scored]] = []
    for position, score in enumerate(by_score, start=1):
        tied = result and rank_score(result[-1][1]) == rank_score(score)
        result.append((result[-1][0] if tied else position, score))
    return result
