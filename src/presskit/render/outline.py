"""The pages a PDF's bookmarks point to, read back from the file (pikepdf).

The kit document's Word contents give the page of each section and profile as the PDF
lays them out: its bookmarks are exactly those entries, in the same order.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any


def outline_pages(pdf: bytes) -> list[int | None]:
    """The page number (from 1) of each bookmark, depth first; None where a bookmark
    has no page destination."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        numbers = {page.objgen: index for index, page in enumerate(document.pages, start=1)}
        with document.open_outline() as outline:
            return [_page(item, numbers) for item in _walk(outline.root)]


def _walk(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(item.children)


def _page(item: Any, numbers: dict[Any, int]) -> int | None:
    import pikepdf

    destination = item.destination
    if isinstance(destination, pikepdf.Array) and len(destination) > 0:
        return numbers.get(destination[0].objgen)
    return None
