"""The layers import one way (README, "Architecture"): `agreements` knows nothing of returns,
`assessments` knows editions only as what a cycle feeds, and `documents`, which builds and renders
editions from both, sits above them. The apps above (review, delivery ...) may import all three.

Read from the source with ast, migrations included, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each may import the ones before it, never one after it, nor any app above the three.
LAYERS = ("agreements", "assessments", "documents")
# The site's own plumbing (settings, URLs, response headers), which every layer may use.
SITE = "csa_site"


def project_apps() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/apps.py")}


def imported_apps(source: str, apps: set[str]) -> list[tuple[int, str]]:
    """The project apps a module imports, with the line of each import."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in apps]
    return found


def upward_imports(layer: str, path: str, source: str, apps: set[str]) -> list[str]:
    allowed = {SITE, *LAYERS[: LAYERS.index(layer) + 1]}
    return [f"{path}:{line} imports {app}" for line, app in imported_apps(source, apps) if app not in allowed]


def test_no_import_runs_back_up_the_layers():
    apps = project_apps()
    assert set(LAYERS) <= apps
    found = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            found += upward_imports(layer, str(path.relative_to(ROOT)), path.read_text(), apps)
    assert found == []


@pytest.mark.parametrize("layer, source, app", [
    ("agreements", "from assessments.models import AssessmentReturn\n", "assessments"),
    ("agreements", "def later():\n    from documents.data import build_document\n", "documents"),
    ("assessments", "import documents.pdf\n", "documents"),
    ("agreements", "from review.models import Comment\n", "review"),
    ("documents", "from delivery.models import Action\n", "delivery"),
])
def test_an_upward_import_is_found(layer, source, app):
    [found] = upward_imports(layer, f"{layer}/x.py", source, project_apps())
    assert found.startswith(f"{layer}/x.py:") and found.endswith(f" imports {app}")


@pytest.mark.parametrize("layer, source", [
    ("assessments", "from agreements.models import Version\n"),
    ("documents", "from assessments.aggregation import appendix_a\nfrom agreements.models import Version\n"),
    ("agreements", "from .models import Version\nfrom django.db import models\n"),
])
def test_a_downward_import_is_allowed(layer, source):
    assert upward_imports(layer, f"{layer}/x.py", source, project_apps()) == []
