"""Parquet inputs: rows with a `text` or `html` column (and `id`, `url`, `title`) read a batch at a time, a row
group whose text would expand past the limit never decoded (pyarrow, the `parquet` extra)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaner.run.input_document import MAX_PAGE_BYTES, InputDocument
from cleaner.run.record_input import UniqueIds, value_document

#: Rows read from a Parquet file at a time: memory stays flat however large the file.
PARQUET_BATCH_ROWS = 256


def parquet_documents(path: Path, source: str) -> Iterator[InputDocument]:
    """A Parquet file's rows as records (its `text` or `html` column, `id`, `url`, `title`), read in batches."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield InputDocument(source, error=f"reading {source} needs pyarrow: pip install 'cleaner[parquet]'")
        return
    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow's errors for a damaged or foreign file have no common base
        yield InputDocument(source, error=f"{source} is not a readable Parquet file: {exc}")
        return
    wanted = [c for c in ("id", "url", "title", "text", "html") if c in handle.schema_arrow.names]
    unique = UniqueIds()
    number = 0
    for group in range(handle.num_row_groups):
        rows = handle.metadata.row_group(group).num_rows
        expanded = _row_group_page_bytes(handle, group)
        if expanded > MAX_PARQUET_GROUP_BYTES:  # a small file can expand to gigabytes: never decoded
            for _ in range(rows):
                number += 1
                yield InputDocument(f"{source}:{number}", error=f"row {number} of {source} is in a row group of "
                                    f"{expanded:,} bytes of text once expanded (over {MAX_PARQUET_GROUP_BYTES:,}); "
                                    "skipped")
            continue
        for batch in handle.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted, row_groups=[group]):
            for row in _parquet_rows(batch):
                number += 1
                where = f"row {number} of {source}"
                if isinstance(row, str):
                    yield InputDocument(f"{source}:{number}", error=f"{where} {row}; skipped")
                else:
                    yield unique.check(value_document(row, f"{source}:{number}", where))


#: Largest row group (its text and html columns, uncompressed) a Parquet input may hold: a few batches of
#: pages at `MAX_PAGE_BYTES`; a larger one gets an error record per row instead of being decoded.
MAX_PARQUET_GROUP_BYTES = 4 * MAX_PAGE_BYTES


def _row_group_page_bytes(handle: Any, group: int) -> int:
    """The uncompressed size of a row group's `text` and `html` columns, from the file's metadata."""
    meta = handle.metadata.row_group(group)
    total = 0
    for index in range(meta.num_columns):
        column = meta.column(index)
        if column.path_in_schema in ("text", "html"):
            total += column.total_uncompressed_size
    return int(total)


def _parquet_rows(batch: Any) -> Iterator[dict[str, Any] | str]:
    """A batch's rows as dicts, or, for a row that cannot be one, why: a page over `MAX_PAGE_BYTES` (its size
    read from the column's offsets, never made a string) or a value that is not valid UTF-8."""
    import pyarrow as pa
    import pyarrow.compute as pc

    oversized: set[int] = set()
    for name in ("text", "html"):
        if name in batch.schema.names:
            column = batch.column(name)
            if pa.types.is_string(column.type) or pa.types.is_binary(column.type) or pa.types.is_large_string(
                    column.type) or pa.types.is_large_binary(column.type):
                lengths = pc.binary_length(column).to_pylist()
                oversized.update(i for i, n in enumerate(lengths) if n is not None and n > MAX_PAGE_BYTES)
    if not oversized:
        try:
            yield from batch.to_pylist()
            return
        except UnicodeDecodeError:
            pass  # row by row below: only the damaged row fails
    columns = {name: batch.column(name) for name in batch.schema.names}
    for index in range(batch.num_rows):
        if index in oversized:
            yield f"is larger than {MAX_PAGE_BYTES:,} bytes"
            continue
        try:
            yield {name: column[index].as_py() for name, column in columns.items()}
        except UnicodeDecodeError as exc:
            yield f"holds a value that is not valid UTF-8 ({exc.reason} at byte {exc.start})"
