"""make bench's PDF step still runs: our pipeline, tags' post-processing included, against WeasyPrint alone."""

import importlib.util
import json

import django
import pytest
from django.conf import settings

from agreements.models import Version


@pytest.mark.django_db
def test_the_bench_measures_the_pipeline_against_weasyprint_alone(capsys, monkeypatch):
    # Django is set up already: set up again, its logging would write to this test's captured
    # output after the test has closed it.
    monkeypatch.setattr(django, "setup", lambda: None)
    spec = importlib.util.spec_from_file_location("bench_steps", settings.BASE_DIR / "bench" / "steps.py")
    steps = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(steps)
    version = Version.objects.get(agreement__slug="kent", number="1.0")
    steps.pdf(str(version.pk), "1")
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["version"] == str(version) and result["bytes"] > 10_000
    assert result["pipeline_s"] > 0 and result["weasyprint_s"] > 0
