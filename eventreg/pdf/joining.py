"""Joining tagged PDFs (WeasyPrint's PDF/UA output) into one that stays tagged.

pypdf copies pages but not the structure tree: its `append` drops each page's
/StructParents, and the joined file loses the tags screen readers follow. Here the first
file is kept whole (catalog, /MarkInfo, /Lang, metadata) and each next file's pages and
structure elements are added to it, its parent-tree keys moved past the ones in use.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

ParentKeys = dict[int, int]


def join_tagged(pdfs: Sequence[bytes]) -> bytes:
    """One PDF holding the pages of `pdfs` in order, with one structure tree for them all.

    The files must be tagged (each catalog with a /StructTreeRoot whose /K is one
    /Document element and whose /ParentTree is a flat /Nums array, as WeasyPrint writes
    them); raises ValueError otherwise.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdfs[0])))
    tree: Any = writer.root_object["/StructTreeRoot"].get_object()
    document = _document_element(tree)
    nums: Any = tree["/ParentTree"].get_object()["/Nums"]
    for data in pdfs[1:]:
        reader = PdfReader(io.BytesIO(data))
        their_tree: Any = reader.root_object["/StructTreeRoot"].get_object()
        their_document = _document_element(their_tree)
        offset = _next_key(nums)
        for page in reader.pages:
            key = page.get("/StructParents")
            added = writer.add_page(page)  # a copy; pypdf leaves out /StructParents
            if key is not None:
                added[NameObject("/StructParents")] = NumberObject(int(key) + offset)
            for annotation in added.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    moved = int(annotation["/StructParent"]) + offset
                    annotation[NameObject("/StructParent")] = NumberObject(moved)
        # The elements under their /Document go under ours; copies of the pages added above
        # are found by pypdf (it maps each source object to one copy), so /Pg stays right.
        for child in their_document["/K"]:
            copied = child.clone(writer)
            element: Any = copied.get_object()
            if hasattr(element, "keys") and "/P" in element:
                element[NameObject("/P")] = document.indirect_reference
            document["/K"].append(copied)
        their_nums = their_tree["/ParentTree"].get_object()["/Nums"]
        for index in range(0, len(their_nums), 2):
            key, value = int(their_nums[index]), their_nums[index + 1]
            nums.append(NumberObject(key + offset))
            if isinstance(value, ArrayObject):  # the elements of one page's marked content
                nums.append(ArrayObject(item.clone(writer) for item in value))
            else:  # an annotation's element
                nums.append(value.clone(writer))
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _document_element(tree: Any) -> Any:
    kids = tree["/K"]
    kids = kids.get_object() if hasattr(kids, "get_object") else kids
    element = kids[0].get_object() if isinstance(kids, list) else kids
    if len(kids if isinstance(kids, list) else [kids]) != 1 or element.get("/S") != "/Document":
        raise ValueError("Not a tagged PDF with one /Document element.")
    return element


def _next_key(nums: Any) -> int:
    keys = [int(nums[index]) for index in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1
