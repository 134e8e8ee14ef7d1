"""PDF/UA-1 and PDF/A-2b in one file: what WeasyPrint leaves to finish.

WeasyPrint 70, asked for ``pdf/a-2b`` with tags, writes the structure tree, the
output intent, the trailer ID, DisplayDocTitle, tab order and tagged link
annotations. Two things keep the file from PDF/UA-1, and this module closes them
with pikepdf:

- the page header and footer (CSS margin boxes) are marked as tagged content whose
  structure elements are left out of the tree; they are page furniture, so their
  marked content becomes ``/Artifact`` and their entries leave the parent tree;
- the XMP metadata lacks the PDF/UA identification (``pdfuaid:part``), which PDF/A
  also wants declared in an extension schema.

It also gives each table header cell its scope and lists element IDs in an ID tree,
so that the data cells' ``/Headers`` references resolve.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf

_PDFUA_XMP = b"".join(
    line.strip().encode() + b"\n"
    for line in """
    <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
        pdfuaid:part="1"/>
    <rdf:Description rdf:about=""
        xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
        xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
    <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
    <pdfaProperty:name>part</pdfaProperty:name>
    <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
    <pdfaProperty:category>internal</pdfaProperty:category>
    <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed
    </pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
    </rdf:li></rdf:Bag></pdfaExtension:schemas>
    </rdf:Description>
    """.strip().splitlines()
)


def finish(pdf_bytes: bytes) -> bytes:
    """Return ``pdf_bytes`` made PDF/UA-1 as well as PDF/A-2b."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        mark_page_furniture_as_artifacts(pdf)
        complete_table_headers(pdf)
        declare_pdfua(pdf)
        out = io.BytesIO()
        # The trailer ID is derived from the content, so the same content gives the
        # same bytes (reproducible builds); no timestamps are added.
        pdf.save(
            out,
            deterministic_id=True,
            fix_metadata_version=False,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()


def declare_pdfua(pdf: pikepdf.Pdf) -> None:
    """Add ``pdfuaid:part=1`` and its PDF/A extension schema to the XMP packet."""
    xmp = pdf.Root.Metadata.read_bytes()
    if b"pdfuaid:part" not in xmp:
        end = xmp.rindex(b"</rdf:RDF>")
        pdf.Root.Metadata.write(xmp[:end] + _PDFUA_XMP + xmp[end:])


def mark_page_furniture_as_artifacts(pdf: pikepdf.Pdf) -> None:
    """Turn marked content whose structure element is outside the tree into artifacts."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return
    in_tree = _reachable(tree)
    parent_tree = _number_tree(tree.ParentTree)
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        if key is None or int(key) not in parent_tree:
            continue
        by_mcid = parent_tree[int(key)]
        orphans = {
            mcid
            for mcid, element in enumerate(by_mcid)
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in in_tree
        }
        if orphans:
            _rewrite_marks(pdf, page, orphans)
            for mcid in orphans:
                by_mcid[mcid] = None  # the artifact belongs to no structure element


def complete_table_headers(pdf: pikepdf.Pdf) -> None:
    """``/Scope`` on every TH; an ``/IDTree`` resolving the IDs data cells name in ``/Headers``."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is not None:
        _scope_headers(tree)
        _add_id_tree(pdf, tree)


def _scope_headers(tree: Any) -> None:
    """Each TH's ``/Scope``: column headers in a THead, row headers elsewhere."""
    for element, parents in _elements(tree.get("/K"), ()):
        if element.get("/S") == "/TH":
            _attributes(element).Scope = pikepdf.Name("/Column" if "/THead" in parents else "/Row")


def _attributes(element: Any) -> Any:
    """The element's attribute dictionary, a new table one if it has none."""
    if not isinstance(element.get("/A"), pikepdf.Dictionary):
        element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
    return element.A


def _add_id_tree(pdf: pikepdf.Pdf, tree: Any) -> None:
    """An ``/IDTree`` of the elements with an ``/ID``, if there are any."""
    if ids := _ids(tree):
        names = [item for key in sorted(ids) for item in (pikepdf.String(key), ids[key])]
        tree.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(names)))


def _ids(tree: Any) -> dict[str, Any]:
    """The structure elements with an ``/ID``, by that ID."""
    elements = (element for element, _ in _elements(tree.get("/K"), ()))
    return {
        bytes(element.ID).decode("latin-1"): element for element in elements if "/ID" in element
    }


def _elements(item: Any, parents: tuple[str, ...]) -> Any:
    """Every structure element under ``item`` with the types of its ancestors."""
    if isinstance(item, pikepdf.Array):
        for kid in item:
            yield from _elements(kid, parents)
    elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") not in ("/MCR", "/OBJR"):
        yield item, parents
        if "/K" in item:
            yield from _elements(item.K, (*parents, str(item.get("/S"))))


def _reachable(root: Any) -> set[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root.get("/K")]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") != "/MCR":
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
            if "/K" in item:
                stack.append(item.K)
    return seen


def _number_tree(node: Any) -> dict[int, Any]:
    nums = node.get("/Nums", [])
    entries = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    for kid in node.get("/Kids", []):
        entries |= _number_tree(kid)
    return entries


def _rewrite_marks(pdf: pikepdf.Pdf, page: pikepdf.Page, orphans: set[int]) -> None:
    """Replace ``/Tag <</MCID n>> BDC`` by ``/Artifact BMC`` for each orphan ``n``."""
    instructions = pikepdf.parse_content_stream(page)
    rewritten = [_as_artifact(instruction, orphans) for instruction in instructions]
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))


def _as_artifact(instruction: Any, orphans: set[int]) -> Any:
    """``instruction``, or ``/Artifact BMC`` if it opens an orphan's marked content."""
    if _opens_orphan(instruction, orphans):
        return [pikepdf.Name.Artifact], pikepdf.Operator("BMC")
    return instruction


def _opens_orphan(instruction: Any, orphans: set[int]) -> bool:
    """Whether ``instruction`` is ``/Tag <</MCID n>> BDC`` for an orphan ``n``."""
    if not isinstance(instruction, pikepdf.ContentStreamInstruction):
        return False
    operands = instruction.operands
    mark = operands[1] if str(instruction.operator) == "BDC" and len(operands) == 2 else None
    return isinstance(mark, pikepdf.Dictionary) and int(mark.get("/MCID", -1)) in orphans
