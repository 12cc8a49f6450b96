"""`manage.py render_edition kent 8.0 --out csa.pdf` writes the edition's PDF."""

import io

import pypdf
import pytest
from django.core.management import CommandError, call_command


def test_it_writes_a_valid_pdf(draft, tmp_path):
    out = tmp_path / "csa.pdf"
    stdout = io.StringIO()
    call_command("render_edition", "kent", "8.0", "--out", str(out), stdout=stdout)
    reader = pypdf.PdfReader(out)
    assert out.read_bytes().startswith(b"%PDF-1.7")
    assert reader.metadata.title == "Kent Community Safety Agreement 8.0, April 2024 (draft)"
    assert len(reader.pages) > 20
    assert f"to {out}" in stdout.getvalue()


def test_without_out_it_names_the_file_after_the_edition(kent, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("render_edition", "kent", "3.0", stdout=io.StringIO())  # a short historical record
    title = pypdf.PdfReader(tmp_path / "kent-csa-3.0.pdf").metadata.title
    assert title == "Kent Community Safety Agreement 3.0, April 2019"


def test_it_refuses_an_unknown_agreement(kent):
    with pytest.raises(CommandError, match="No agreement is called 'surrey'"):
        call_command("render_edition", "surrey", "8.0")


def test_it_refuses_an_unknown_version_and_lists_the_known_ones(kent):
    with pytest.raises(CommandError, match=r"no version 9.0 \(it has .*1.0.*8.0"):
        call_command("render_edition", "kent", "9.0")
