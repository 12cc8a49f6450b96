"""The PDF's structure tree, finished where WeasyPrint leaves it short of PDF/UA-1.

WeasyPrint (70) builds the tag tree page by page, so an element that crosses a page break
becomes one structure element per page (Kozea/WeasyPrint#2902, #2903); it tags the running
header and footer as content that no structure element holds, instead of as artifacts (#1836);
its header cells carry IDs but no /Scope and the file has no /IDTree for them (#2508); and a link
annotation's /Contents is the link's target ("chapter-foreword"), not its words.

`finish_tags(layout, pdf)` mends these in the written file with pikepdf. The layout (WeasyPrint's
pages) says which HTML elements carry on from one page to the next, and what each link reads.
"""

from __future__ import annotations

import io
import re

import pikepdf
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf.tags import _get_pdf_tag

ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"
MARKED_CONTENT = re.compile(rb"/(\w+)\s*<</MCID (\d+)>>\s*BDC")


def finish_tags(layout: weasyprint.Document, pdf_bytes: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        document = pdf.Root.StructTreeRoot.K[0]
        for page in range(len(layout.pages) - 1):
            join_across_break(pdf, document, page, carried_over(layout.pages[page], layout.pages[page + 1]))
        give_headers_scope(pdf)
        held = rebuild_parent_tree(pdf)
        mark_unheld_content_as_artifacts(pdf, held)
        describe_links(layout, pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


# Elements that cross a page break -----------------------------------------------------------

def _root(page) -> boxes.Box:
    """The page's html box (the page's other children are its margin boxes)."""
    return next(child for child in page._page_box.children if not isinstance(child, boxes.MarginBox))


def _children(box) -> list:
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if not isinstance(box, boxes.ParentBox):
        return []
    if getattr(box, "is_table_wrapper", False):
        table = box.get_wrapped_table()
        return [kid for child in box.children for kid in (child.children if child is table else [child])]
    return [kid for child in box.children for kid in (child.children if isinstance(child, boxes.LineBox) else [child])]


def carried_over(before, after) -> list[str]:
    """The PDF tags of the elements the page `after` continues from `before`, outermost first."""
    on_before = {id(box.element) for box in _root(before).descendants() if box.element is not None}
    chain, box, previous = [], _root(after), None
    while True:
        kids = [
            kid for kid in _children(box)
            if not getattr(kid, "is_header", False)  # a table's header repeated on the new page
        ]
        if not kids:
            return chain
        box = kids[0]
        if box.element is None or id(box.element) not in on_before:
            return chain
        if box.element is not previous and box.element_tag not in ("html", "body"):
            chain.append("/" + _get_pdf_tag(box.element_tag))
        previous = box.element


def _elements(node) -> list[pikepdf.Dictionary]:
    return [kid for kid in node.K if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem"]


def _page_of(pdf, element) -> int:
    return pdf.pages.index(pikepdf.Page(element.Pg))


def join_across_break(pdf, document, page: int, chain: list[str]) -> None:
    """Merges the structure elements split at the break after `page` into the first page's."""
    if not chain:
        return
    tops = _elements(document)
    after = next((e for e in tops if _page_of(pdf, e) == page + 1), None)
    if after is None:
        return
    index = [e.objgen for e in tops].index(after.objgen)
    if index == 0:
        return
    before = tops[index - 1]
    if before.S == after.S == chain[0]:
        _merge(before, after, chain)
        document.K = pikepdf.Array([k for k in document.K if k.objgen != after.objgen])


def _merge(first, second, chain: list[str]) -> None:
    """Moves `second`'s content into `first`, merging their touching children along `chain`."""
    kids = list(second.K)
    rest = chain[1:]
    if str(first.S) == "/Table":
        kids = _drop_repeated_header(first, kids)
    olds, news = _elements(first), [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem"]
    if olds and news:
        last, following = olds[-1], news[0]
        same_item = str(first.S) == "/LI" and last.S == following.S == "/LBody"
        if same_item or (rest and last.S == following.S == rest[0]):
            _merge(last, following, chain if same_item else rest)
            kids = [k for k in kids if k.objgen != following.objgen]
    for kid in kids:
        if isinstance(kid, int):  # a marked-content id on the second element's page
            kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=second.Pg, MCID=kid)
        elif kid.get("/Type") == "/StructElem":
            kid.P = first
        first.K.append(kid)


def _drop_repeated_header(table, kids: list) -> list:
    """A header repeated on a new page is drawn again but read once: it leaves the tree (its
    content becomes an artifact) and the cells beneath point to the first header's cells."""
    headers = [k for k in _elements(table) if k.S == "/THead"]
    repeated = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/THead"]
    if not headers or not repeated:
        return kids
    renamed = {
        str(again.ID): str(original.ID)
        for again, original in zip(_cells(repeated[0], "/TH"), _cells(headers[0], "/TH"))
        if "/ID" in again and "/ID" in original
    }
    for part in kids:
        if isinstance(part, pikepdf.Dictionary) and part.get("/S") == "/TBody":
            for cell in _cells(part, "/TD"):
                if "/A" in cell and "/Headers" in cell.A:
                    cell.A.Headers = pikepdf.Array([pikepdf.String(renamed.get(str(h), str(h))) for h in cell.A.Headers])
    return [k for k in kids if not (isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/THead")]


def _cells(group, tag: str) -> list:
    return [cell for row in _elements(group) for cell in _elements(row) if cell.S == tag]


# Table headers --------------------------------------------------------------------------------

def _walk(node):
    yield node
    for kid in _elements(node):
        yield from _walk(kid)


def give_headers_scope(pdf) -> None:
    """A header cell in the table's head names a column; one in its body names its row (the
    templates mark them scope="col" and scope="row"). Their IDs go in the /IDTree that /Headers needs."""
    ids = []
    for element in _walk(pdf.Root.StructTreeRoot.K[0]):
        if element.S == "/TH":
            group = element.P.P
            scope = pikepdf.Name.Column if group.S == "/THead" else pikepdf.Name.Row
            if "/A" not in element:
                element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
            element.A.Scope = scope
            if "/ID" in element:
                ids.append((str(element.ID), element))
    ids.sort(key=lambda pair: pair[0])
    names = pikepdf.Array()
    for key, element in ids:
        names.append(pikepdf.String(key))
        names.append(element)
    pdf.Root.StructTreeRoot.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))


# Marked content the tree does not hold ---------------------------------------------------------

def rebuild_parent_tree(pdf) -> dict[int, set[int]]:
    """The /ParentTree again from the tree as merged; returns the marked-content ids each page's
    structure holds."""
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    held: dict[int, dict[int, pikepdf.Object]] = {n: {} for n in range(len(pdf.pages))}
    annotations: dict[int, pikepdf.Object] = {}
    for element in _walk(pdf.Root.StructTreeRoot.K[0]):
        for kid in element.K:
            if isinstance(kid, int):
                held[pages[element.Pg.objgen]][int(kid)] = element
            elif kid.get("/Type") == "/MCR":
                held[pages[kid.Pg.objgen]][int(kid.MCID)] = element
            elif kid.get("/Type") == "/OBJR":
                annotations[int(kid.Obj.StructParent)] = element
    nums = pikepdf.Array()
    for number, page in enumerate(pdf.pages):
        mcids = held[number]
        top = max(mcids, default=-1)
        nums.append(int(page.obj.StructParents))
        nums.append(pikepdf.Array([mcids.get(mcid, None) for mcid in range(top + 1)]))
    for key in sorted(annotations):
        nums.append(key)
        nums.append(annotations[key])
    pdf.Root.StructTreeRoot.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
    return {number: set(mcids) for number, mcids in held.items()}


def mark_unheld_content_as_artifacts(pdf, held: dict[int, set[int]]) -> None:
    """The running header and footer, and a repeated table header, become pagination artifacts."""
    for number, page in enumerate(pdf.pages):
        keep = held[number]

        def artifact(match, keep=keep):
            return match.group(0) if int(match.group(2)) in keep else ARTIFACT

        streams = page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array) else [page.obj.Contents]
        for stream in streams:
            data = stream.read_bytes()
            changed = MARKED_CONTENT.sub(artifact, data)
            if changed != data:
                stream.write(changed)


# Links ------------------------------------------------------------------------------------------

def describe_links(layout: weasyprint.Document, pdf) -> None:
    """A link annotation's description is the text the link shows."""
    # WeasyPrint writes no annotation for a link to an anchor the document lacks (it logs it).
    anchors = {name for page in layout.pages for name in page.anchors}
    for page, pdf_page in zip(layout.pages, pdf.pages):
        annotations = [a for a in pdf_page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        links = [box for kind, target, _, box in page.links
                 if kind == "external" or (kind == "internal" and target in anchors)]
        for annotation, box in zip(annotations, links, strict=True):
            words = _description(box)
            if words:
                annotation.Contents = pikepdf.String(words)


def _description(box) -> str:
    named = box.element.get("data-description")
    if named:  # a cross-reference shows only the page number: say what is there
        shown = "".join(text.text for text in box.descendants() if isinstance(text, boxes.TextBox))
        return f"{named}, page {' '.join(shown.split())}"
    return " ".join("".join(box.element.itertext()).split())
