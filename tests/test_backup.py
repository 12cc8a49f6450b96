"""export_agreement and import_agreement: a round trip into an empty database renders the same text."""

import io
import json
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import strip_tags

from documents.backup import ImportRefused, import_agreement
from agreements.models import Agreement, Version
from documents.pdf import document_html

from .test_settings import clean_env

def rendered_text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def empty_installation(tmp_path):
    """manage.py against a new, migrated SQLite database: another installation, with no data."""
    env = clean_env(SQLITE_PATH=str(tmp_path / "empty.sqlite3"))

    def manage(*args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    return manage


def export_to(tmp_path, slug: str, number: str):
    """The export_agreement file of the agreement at that version, and its data."""
    out = io.StringIO()
    call_command("export_agreement", slug, number, stdout=out)
    path = tmp_path / f"{slug}-{number}.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, json.loads(out.getvalue())


def rendered_in(manage, slug: str, number: str) -> str:
    """The edition's text as the other installation renders it."""
    return rendered_text(manage(
        "shell", "--no-imports", "-c",
        "from agreements.models import Version; from documents.pdf import document_html; "
        f"print(document_html(Version.objects.get(agreement__slug={slug!r}, number={number!r})))",
    ))


def test_round_trip_into_an_empty_database_renders_the_same_text(draft, tmp_path):
    export, data = export_to(tmp_path, "kent", "8.0")
    assert [e["number"] for e in data["editions"]] == [f"{n}.0" for n in range(1, 9)]

    manage = empty_installation(tmp_path)
    assert "Imported Kent Community Safety Agreement (kent) with 8 versions." in manage("import_agreement", str(export))

    original = rendered_text(document_html(draft))
    assert re.search(r"Anti-Social Behaviour \(ASB\) / Environmental\s*12", original)
    assert rendered_in(manage, "kent", "8.0") == original


def test_import_refuses_an_agreement_that_already_exists(draft):
    out = io.StringIO()
    call_command("export_agreement", "kent", "8.0", stdout=out)
    count = Version.objects.count()
    try:
        import_agreement(json.loads(out.getvalue()))
    except ImportRefused as refusal:
        assert "already exists here" in str(refusal)
    else:
        raise AssertionError("the import was not refused")
    assert Version.objects.count() == count


def test_a_broken_export_imports_nothing(db, tmp_path):
    out = io.StringIO()
    call_command("export_agreement", "kent", "8.0", stdout=out)
    data = json.loads(out.getvalue())
    data["agreement"]["slug"] = "kent-copy"
    for part in (*data["partnerships"], *data["districts"]):
        part["slug"] += "-copy"
    del data["editions"][-1]["chapters"][3]["title"]  # damaged in transit
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError, match="is not a complete export .* nothing was imported"):
        call_command("import_agreement", str(path), stdout=io.StringIO())
    assert not Agreement.objects.filter(slug="kent-copy").exists()


def test_unknown_version_is_named(db):
    with pytest.raises(CommandError, match=re.escape("No version 9.9 of an agreement called 'kent'")):
        call_command("export_agreement", "kent", "9.9", stdout=io.StringIO())


def test_merges_and_splits_of_an_edition_survive_the_round_trip(draft):
    from agreements.models import Lineage

    first, second, *_ = [p.key for p in draft.priorities.all()]
    Lineage.objects.create(version=draft, item=Lineage.Item.PRIORITY, kind=Lineage.Kind.MERGED,
                           old_keys=[first, second], new_keys=[first])
    out = io.StringIO()
    call_command("export_agreement", "kent", "8.0", stdout=out)
    data = json.loads(out.getvalue())
    data["agreement"]["slug"] = "kent-restored"  # here, beside the original
    copy = import_agreement(data).versions.get(number="8.0")
    assert [(line.item, line.kind, line.old_keys, line.new_keys) for line in copy.lineages.all()] == [
        ("priority", "merged", [first, second], [first])
    ]
