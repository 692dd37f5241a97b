"""The output record as Arrow columns: one schema for Parquet files, Ray datasets and datatrove metadata.

The JSONL record (`CleanResult.to_dict`) is the reference; here every field is a column in the same order,
lists as `list<string>`, and `error` always present (null when the page was cleaned). `removed`, written
only with `--explain`, is a list of `{line, column, text, rule}` structs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cleaner.fields import LIST_FIELDS, RECORD_FIELDS

#: The record's fields: (name, is a list of strings). `removed` and `error` come after these.
COLUMNS: tuple[tuple[str, bool], ...] = tuple((name, name in LIST_FIELDS) for name in RECORD_FIELDS)


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise ImportError("Parquet and Arrow output need pyarrow: pip install 'cleaner[parquet]'") from None
    return pyarrow


def arrow_schema(explain: bool = False) -> Any:
    """The `pyarrow.Schema` of the records (`removed` included with `explain`)."""
    pa = _pyarrow()
    fields = [pa.field(name, pa.list_(pa.string()) if is_list else pa.string()) for name, is_list in COLUMNS]
    if explain:
        removal = pa.struct([("line", pa.int64()), ("column", pa.int64()), ("text", pa.string()),
                             ("rule", pa.string())])
        fields.append(pa.field("removed", pa.list_(removal)))
    fields.append(pa.field("error", pa.string()))
    return pa.schema(fields)


def record_columns(records: Iterable[Mapping[str, Any]], explain: bool = False) -> dict[str, list[Any]]:
    """Records as columns of the schema's fields (absent fields: null, or an empty list for list fields)."""
    names = [name for name, _ in COLUMNS] + (["removed"] if explain else []) + ["error"]
    lists = {name for name, is_list in COLUMNS if is_list} | {"removed"}
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for record in records:
        for name in names:
            value = record.get(name)
            columns[name].append(([] if value is None else value) if name in lists else value)
    return columns


def records_table(records: Iterable[Mapping[str, Any]], explain: bool = False) -> Any:
    """Records as a `pyarrow.Table` of `arrow_schema(explain)`."""
    return _pyarrow().Table.from_pydict(record_columns(records, explain), schema=arrow_schema(explain))
