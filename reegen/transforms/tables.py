"""Split tables too wide to read on a page into bands of columns, each repeating the first."""

from __future__ import annotations

from dataclasses import replace

from ..model import Block, BulletList, Document, ListItem, Quote, Table, Text

#: more columns than this do not fit a portrait page legibly
MAX_COLUMNS = 8


def fit_tables(document: Document, context: object = None, *, max_columns: int = MAX_COLUMNS) -> Document:
    """Return `document` with every table wider than `max_columns` split into column bands (`context` is not needed)."""
    return replace(document, blocks=tuple(_fit(document.blocks, max_columns)))


def _fit(blocks, limit: int) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and len(block.header) > limit:
            out.extend(_bands(block, limit))
        elif isinstance(block, BulletList):
            out.append(replace(block, items=tuple(replace(i, blocks=tuple(_fit(i.blocks, limit))) for i in block.items)))
        elif isinstance(block, (Quote, ListItem)):
            out.append(replace(block, blocks=tuple(_fit(block.blocks, limit))))
        else:
            out.append(block)
    return out


def _bands(table: Table, limit: int) -> list[Table]:
    """Return `table` as several tables: the first column, then up to `limit - 1` further columns each."""
    total = len(table.header)
    step = limit - 1
    bands = []
    for start in range(1, total, step):
        cols = [0, *range(start, min(start + step, total))]
        note = Text(f" (columns {start + 1}–{cols[-1] + 1} of {total})")
        caption = (*table.caption, note) if table.caption else (Text(f"Columns {start + 1}–{cols[-1] + 1} of {total}"),)
        bands.append(Table(
            header=tuple(table.header[c] for c in cols),
            rows=tuple(tuple(row[c] if c < len(row) else () for c in cols) for row in table.rows),
            caption=caption,
            widths=tuple(table.widths[c] for c in cols) if len(table.widths) == total else (),
        ))
    return bands
