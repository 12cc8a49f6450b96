"""One plain-data shape for an edition: fixtures, backups and the next refresh all use it.

`edition_to_dict` reads a version out; `load_edition` writes one in, in one transaction, with a
history row for every record it creates. Starting a refresh is reading the last published edition
and loading it again under the next number, so the copy can never miss a part.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from simple_history.utils import bulk_create_with_history

from .models import (
    Achievement,
    Agreement,
    ChangeNote,
    Chapter,
    CrossCuttingTheme,
    EditionLogo,
    Footnote,
    HorizonItem,
    Lead,
    Lineage,
    Paragraph,
    PlanLink,
    PoliceCrimePlan,
    PoliceCrimePlanPriority,
    Priority,
    ResponsibleAuthority,
    Signatory,
    Version,
    new_key,
)
from .sanitise import sanitise_html


def edition_to_dict(version: Version) -> dict[str, Any]:
    version = (
        Version.objects.select_related("police_crime_plan")
        .prefetch_related(
            Prefetch("chapters", queryset=Chapter.objects.prefetch_related("paragraphs", "footnotes")),
            Prefetch("priorities", queryset=Priority.objects.select_related("lead")),
            "themes", "plan_links", "authorities", "signatories", "horizon_items", "achievements", "change_notes",
            "lineages", "police_crime_plan__priorities",
            Prefetch("logos", queryset=EditionLogo.objects.select_related("image")),
        )
        .get(pk=version.pk)
    )
    data: dict[str, Any] = {
        "number": version.number,
        "effective": {"month": version.effective_month, "year": version.effective_year},
        "status": version.status,
        "historical": version.historical,
        "sources": version.sources,
        "diagram_key": version.diagram_key,
        "horizon_heading_end": version.horizon_heading_end,
        "change_notes": [
            {"section": n.section, "text": n.text, "to_be_updated": n.to_be_updated}
            for n in version.change_notes.all()
        ],
        "chapters": [
            {
                "key": c.key, "kind": c.kind, "label": c.label, "title": c.title, "generated": c.generated,
                "block_after": c.block_after, "block_heading": c.block_heading,
                "paragraphs": [
                    {"key": p.key, "style": p.style, "html": p.html, "to_be_updated": p.to_be_updated,
                     "printed": p.printed}
                    for p in c.paragraphs.all()
                ],
                "notes": [{"key": n.key, "html": n.html} for n in c.footnotes.all()],
            }
            for c in version.chapters.all()
        ],
        "priorities": [_priority_to_dict(p) for p in version.priorities.all()],
        "themes": [
            {"key": t.key, "name": t.name, "includes": t.includes_list, "includes_name": t.includes_name}
            for t in version.themes.all()
        ],
        "plans": [item.text for item in version.plan_links.all()],
        "authorities": [item.text for item in version.authorities.all()],
        "signatories": [item.text for item in version.signatories.all()],
        "horizon": [
            {"category": h.category, "group": h.group, "text": h.text, "note": h.note}
            for h in version.horizon_items.all()
        ],
        "achievements": [{"title": a.title, "html": a.html} for a in version.achievements.all()],
        # The agreement's images by name: a refresh prints the same ones, and an export carries them.
        "logos": [{"place": logo.place, "image": logo.image.name} for logo in version.logos.all()],
        "lineages": [
            {"item": line.item, "kind": line.kind, "old_keys": line.old_keys, "new_keys": line.new_keys}
            for line in version.lineages.all()
        ],
    }
    plan = getattr(version, "police_crime_plan", None)
    if plan is not None:
        data["police_crime_plan"] = {
            "title": plan.title, "period": plan.period, "intro_html": plan.intro_html,
            "tables_heading": plan.tables_heading,
            "priorities": [
                {"group": p.group, "text": p.text, "in_diagram": p.in_diagram, "tables_text": p.tables_text}
                for p in plan.priorities.all()
            ],
        }
    return data


def _priority_to_dict(priority: Priority) -> dict[str, Any]:
    data = {
        "key": priority.key, "name": priority.name, "gloss": priority.gloss,
        "includes": priority.includes_list, "includes_note": priority.includes_note,
        "includes_name": priority.includes_name, "leads_name": priority.leads_name,
    }
    lead = getattr(priority, "lead", None)
    if lead is not None:
        data["lead"] = {"role": lead.role, "organisation": lead.organisation, "tbc": lead.tbc}
    return data


@transaction.atomic
def load_edition(
    agreement: Agreement,
    data: dict[str, Any],
    *,
    number: str | None = None,
    effective_year: int | None = None,
    based_on: Version | None = None,
    status: str | None = None,
    user=None,
) -> Version:
    """Create a version and all its parts from `data`, as a draft unless told otherwise."""
    version = Version.objects.create(
        agreement=agreement,
        number=number or data["number"],
        effective_month=data["effective"]["month"],
        effective_year=effective_year or data["effective"]["year"],
        historical=data.get("historical", False),
        sources=data.get("sources", ""),
        diagram_key=data.get("diagram_key", ""),
        horizon_heading_end=data.get("horizon_heading_end", ""),
        based_on=based_on,
        status=Version.Status.DRAFT,
    )
    load_content(version, data, user=user)
    final_status = status or data.get("status", Version.Status.DRAFT)
    if final_status != Version.Status.DRAFT:
        from .workflow import record_past_status

        record_past_status(version, final_status, data.get("sources") or "Loaded from the source documents.")
    return version


def load_content(version: Version, data: dict[str, Any], *, user=None) -> None:
    """Create every part of an edition from `data` in an existing version."""

    def create(model, objs):
        return bulk_create_with_history(objs, model, default_user=user)

    create(ChangeNote, [
        ChangeNote(version=version, order=i, section=n.get("section", ""), text=n["text"],
                   to_be_updated=n.get("to_be_updated", False))
        for i, n in enumerate(data.get("change_notes", []))
    ])
    chapters_data = data.get("chapters", [])
    chapters = create(Chapter, [
        Chapter(version=version, order=i, key=c["key"], kind=c.get("kind", ""), label=c.get("label", ""),
                title=c["title"],
                generated=c.get("generated", ""), block_after=c.get("block_after", ""),
                block_heading=c.get("block_heading", ""))
        for i, c in enumerate(chapters_data)
    ])
    create(Paragraph, [
        Paragraph(chapter=chapter, order=j, key=p.get("key") or f"{chapter.key}-{j + 1}",
                  style=p.get("style", Paragraph.Style.NUMBERED), html=sanitise_html(p["html"]),
                  to_be_updated=p.get("to_be_updated", False),
                  printed=p.get("printed", Paragraph.Printed.ALWAYS))
        for chapter, c in zip(chapters, chapters_data)
        for j, p in enumerate(c.get("paragraphs", []))
    ])
    create(Footnote, [
        Footnote(chapter=chapter, order=j, key=n.get("key") or new_key("note"), html=sanitise_html(n["html"]))
        for chapter, c in zip(chapters, chapters_data)
        for j, n in enumerate(c.get("notes", []))
    ])
    priorities_data = data.get("priorities", [])
    priorities = create(Priority, [
        Priority(version=version, order=i, key=p["key"], name=p["name"], gloss=p.get("gloss", ""),
                 includes="\n".join(p.get("includes", [])), includes_note=p.get("includes_note", ""),
                 includes_name=p.get("includes_name", ""), leads_name=p.get("leads_name", ""))
        for i, p in enumerate(priorities_data)
    ])
    create(Lead, [
        Lead(priority=priority, role=p["lead"].get("role", ""), organisation=p["lead"].get("organisation", ""),
             tbc=p["lead"].get("tbc", False))
        for priority, p in zip(priorities, priorities_data)
        if p.get("lead")
    ])
    create(CrossCuttingTheme, [
        CrossCuttingTheme(version=version, order=i, key=t["key"], name=t["name"],
                          includes="\n".join(t.get("includes", [])), includes_name=t.get("includes_name", ""))
        for i, t in enumerate(data.get("themes", []))
    ])
    create(PlanLink, [PlanLink(version=version, order=i, text=t) for i, t in enumerate(data.get("plans", []))])
    create(ResponsibleAuthority, [
        ResponsibleAuthority(version=version, order=i, text=t) for i, t in enumerate(data.get("authorities", []))
    ])
    create(Signatory, [
        Signatory(version=version, order=i, text=t) for i, t in enumerate(data.get("signatories", []))
    ])
    create(HorizonItem, [
        HorizonItem(version=version, order=i, category=h["category"], group=h.get("group", ""), text=h["text"],
                    note=h.get("note", ""))
        for i, h in enumerate(data.get("horizon", []))
    ])
    create(Achievement, [
        Achievement(version=version, order=i, title=a["title"], html=sanitise_html(a["html"]))
        for i, a in enumerate(data.get("achievements", []))
    ])
    images = {image.name: image for image in version.agreement.images.all()}
    create(EditionLogo, [
        EditionLogo(version=version, order=i, place=logo["place"], image=images[logo["image"]])
        for i, logo in enumerate(data.get("logos", []))
    ])
    create(Lineage, [
        Lineage(version=version, item=line["item"], kind=line["kind"], old_keys=line["old_keys"],
                new_keys=line["new_keys"])
        for line in data.get("lineages", [])
    ])
    plan_data = data.get("police_crime_plan")
    if plan_data:
        plan = create(PoliceCrimePlan, [
            PoliceCrimePlan(version=version, title=plan_data["title"], period=plan_data["period"],
                            intro_html=sanitise_html(plan_data.get("intro_html", "")),
                            tables_heading=plan_data.get("tables_heading", ""))
        ])[0]
        create(PoliceCrimePlanPriority, [
            PoliceCrimePlanPriority(plan=plan, order=i, group=p["group"], text=p["text"],
                                    in_diagram=p.get("in_diagram", False), tables_text=p.get("tables_text", ""))
            for i, p in enumerate(plan_data.get("priorities", []))
        ])
