"""The favicon: linked from every page, found at the site's root, never logged as refused access."""

import logging
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_every_page_links_the_favicon_and_the_file_is_an_icon(client, db):
    assert f'<link rel="icon" href="{static("favicon.ico")}"' in client.get("/").content.decode()
    assert Path(finders.find("favicon.ico")).read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_the_root_favicon_leads_to_the_file_and_is_not_a_refusal(client, kcsp_member, caplog):
    client.force_login(kcsp_member)
    with caplog.at_level(logging.INFO, logger="csa.security"):
        response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.ico")
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("Refused access")] == []
