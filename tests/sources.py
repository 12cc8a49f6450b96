"""Reads tables straight out of the source documents, so fixtures are checked against them."""

import re

from django.conf import settings

SOURCES = settings.BASE_DIR / "fixtures" / "sources"


def draft_2024() -> str:
    return (SOURCES / "kent-csa-2024-draft.txt").read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def words(text: str) -> list[str]:
    """The words of a passage, ignoring markup, list bullets, asterisks and the kind of dash."""
    return re.findall(r"[\w.&/()']+", re.sub(r"<[^>]+>", " ", text).replace("*", " "))


def version_control_rows() -> dict[str, list[str]]:
    table = between(draft_2024(), "Version\tDate\tChanges", "\nContents")
    rows = re.split(r"\n(?:- )?(?=\d\.0\s+April \d{4})", "\n" + table)
    parsed = {}
    for row in filter(str.strip, rows):
        number, rest = row.split(None, 1)
        month_year, changes = re.match(r"(April \d{4})\s+(.*)", rest, re.S).groups()
        parsed[number] = [month_year, *words(changes)]
    return parsed


def leads_table() -> dict[str, str]:
    table = between(draft_2024(), "Priority\tLead\n", "\n8. Links to Plans")
    return dict(line.split("\t") for line in table.strip().splitlines())


def appendix_e() -> dict[str, list[str]]:
    section = between(draft_2024(), "Appendix E: Kent CSA Priorities and Cross-Cutting Themes\n\nAs highlighted", "Kent Fire & Rescue")
    blocks = {}
    for block in section.split("\n\n")[1:]:
        heading, *lines = block.strip().splitlines() or [""]
        if lines:
            blocks[heading.rstrip(":")] = lines
    return blocks


def appendix_a() -> list[tuple[str, int]]:
    table = between(draft_2024(), "Priority\tNo. of CSPs\n", "\n\nOther focus")
    return [(name, int(count)) for name, count in (line.split("\t") for line in table.strip().splitlines())]
