"""Wide tables are split into readable column bands that keep the first column."""

from reegen.model import Document, Meta, Table, Text, plain_text
from reegen.transforms.tables import fit_tables


def table(columns, rows=3):
    return Table(
        header=tuple((Text(f"H{c}"),) for c in range(columns)),
        rows=tuple(tuple((Text(f"r{r}c{c}"),) for c in range(columns)) for r in range(rows)),
        caption=(Text("Data"),),
    )


def test_a_table_that_fits_is_left_alone():
    doc = Document(Meta("T"), (table(8),))
    assert fit_tables(doc).blocks == doc.blocks


def test_a_wide_table_becomes_bands_repeating_the_first_column_and_losing_no_cell():
    bands = fit_tables(Document(Meta("T"), (table(40),))).blocks
    assert len(bands) == 6  # 39 further columns, 7 per band
    assert all(plain_text(b.header[0]) == "H0" for b in bands)
    seen = {plain_text(cell) for b in bands for row in b.rows for cell in row}
    assert seen == {f"r{r}c{c}" for r in range(3) for c in range(40)}
    assert plain_text(bands[0].caption) == "Data (columns 2–8 of 40)"
    assert plain_text(bands[-1].caption) == "Data (columns 37–40 of 40)"
