"""What PDF/UA-1 asks of a PDF's structure, checked with pikepdf (veraPDF, the reference validator,
is a Java program that no package registry on this machine offers)."""

from __future__ import annotations

import io

import pikepdf
import pypdf


def struct_elements(pdf: pikepdf.Pdf):
    """Every structure element, in reading order."""
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type", pikepdf.Name.StructElem) == "/StructElem" and "/S" in node:
            yield node
            if "/K" in node:
                stack.append(node.K)


def marked_content_held(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """(page number, marked-content id) of everything the structure tree holds."""
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    held = set()
    for element in struct_elements(pdf):
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        for kid in kids:
            if isinstance(kid, int):
                held.add((pages[element.Pg.objgen], int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                held.add((pages[(kid.Pg if "/Pg" in kid else element.Pg).objgen], int(kid.MCID)))
    return held


def unheld_marked_content(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """Marked content that is neither an artifact nor held by the structure tree."""
    held, loose = marked_content_held(pdf), []
    for number, page in enumerate(pdf.pages):
        for operands, operator in pikepdf.parse_content_stream(page, "BDC BMC"):
            tag = str(operands[0])
            if tag == "/Artifact":
                continue
            mcid = operands[1].get("/MCID") if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary) else None
            if mcid is None or (number, int(mcid)) not in held:
                loose.append((number + 1, tag))
    return loose


def header_cell_faults(pdf: pikepdf.Pdf) -> list[str]:
    """Header cells with neither /Scope nor an ID the /IDTree resolves; /Headers that do not resolve."""
    root = pdf.Root.StructTreeRoot
    ids = pikepdf.NameTree(root.IDTree) if "/IDTree" in root else {}
    faults = []
    for element in struct_elements(pdf):
        attributes = element.get("/A", pikepdf.Dictionary())
        if element.S == "/TH" and "/Scope" not in attributes and not ("/ID" in element and str(element.ID) in ids):
            faults.append(f"TH without /Scope or /IDTree entry: {element.get('/ID')}")
        for header in attributes.get("/Headers", []):
            if str(header) not in ids:
                faults.append(f"/Headers {header} not in the /IDTree")
    return faults


def link_descriptions(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    return [
        (number + 1, str(annotation.get("/Contents", "")))
        for number, page in enumerate(pdf.pages)
        for annotation in page.obj.get("/Annots", [])
        if annotation.get("/Subtype") == "/Link"
    ]


def assert_tagged_for_pdf_ua(content: bytes, page_texts: list[str]) -> None:
    """The checks every PDF the application writes passes. `page_texts` is each page's text as
    pypdf extracts it, whitespace flattened: a link's description is words the page shows."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert header_cell_faults(pdf) == []
        assert unheld_marked_content(pdf) == []
        for page, description in link_descriptions(pdf):
            # A cross-reference, which shows a page number, is described as "<its target>, page <n>".
            shown = description.rsplit(", page ", 1)[-1]
            assert description and shown in page_texts[page - 1], (page, description)


SHOWS = {"Tj", "TJ", "'", '"', "Do"}  # the operators that put text or an image on the page


def without(content: bytes, tags: tuple[str, ...]) -> pypdf.PdfReader:
    """The PDF with nothing drawn inside marked content of these tags (e.g. "/Artifact")."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            kept, hidden = [], []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    hidden.append(str(operands[0]) in tags)
                elif name == "EMC":
                    hidden.pop()
                elif name in SHOWS and any(hidden):
                    continue
                kept.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        out = io.BytesIO()
        pdf.save(out)
    return pypdf.PdfReader(out)


def reading_text(content: bytes) -> list[str]:
    """Each page's text as the structure tree reads it: without artifacts (running header and
    footer, watermark, repeated table headers) and without the text drawn inside figures (the
    diagram, read through its alternative text). Whitespace flattened."""
    return [" ".join(page.extract_text().split()) for page in without(content, ("/Artifact", "/Figure")).pages]
