"""Turn CLI inputs (files, folders, JSONL, stdin) into a stream of documents, one at a time.

Nothing is read before it is needed and nothing is kept after it is yielded,
so memory stays flat however large the corpus. An input that cannot be read
still yields an `InputDocument` with `error` set: every input gives a record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import gzip
import io
import itertools
import os
import sys
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.run.input_document import MAX_PAGE_BYTES, InputDocument, display_path
from cleaner.run.parquet import parquet_documents
from cleaner.run.record_input import UniqueIds, loads, parse_line, record_document, value_document
from cleaner.run.warc import warc_documents

__all__ = ["MAX_PAGE_BYTES", "InputDocument", "UniqueIds", "count_documents", "display_path", "iter_documents",
           "page_files", "parse_line", "record_document"]

#: File endings read as plain-text pages when a folder is given.
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".arc")
PARQUET_SUFFIXES = (".parquet",)
def _bounded_lines(stream: BinaryIO, first: int = 1) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) per line; None for a line over `MAX_PAGE_BYTES`, which is read past, never held."""
    for number in itertools.count(first):
        line = stream.readline(MAX_PAGE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_PAGE_BYTES and not line.endswith(b"\n"):
            while True:
                chunk = stream.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield number, None
        else:
            yield number, line


def _jsonl_documents(
    stream: BinaryIO, source: str, parse: bool = True, first: bytes | None = None
) -> Iterator[InputDocument]:
    """A document per non-blank line; unparsed with `parse=False` (the caller parses and checks ids).

    `first` is a first line already read (standard input is recognised by it).
    """
    unique = UniqueIds()
    lines = _bounded_lines(stream, 2) if first is not None else _bounded_lines(stream)
    for number, raw in itertools.chain([(1, first)] if first is not None else [], lines):
        where = f"line {number} of {source}"
        if raw is None:
            yield InputDocument(f"{source}:{number}", error=f"{where} is larger than {MAX_PAGE_BYTES:,} bytes; "
                                                             "skipped", where=None)
        elif raw.strip():
            line = InputDocument(f"{source}:{number}", line=raw, where=where)
            yield unique.check(parse_line(line)) if parse else line


def _json_documents(payload: bytes, source: str) -> Iterator[InputDocument]:
    """A `.json` file: an array of records, or one record; anything else is one error record."""
    value, problem = loads(payload)
    if problem is not None:
        yield InputDocument(source, error=f"{source} is not valid JSON: {problem}")
        return
    if isinstance(value, dict | list):
        unique = UniqueIds()
        for number, item in enumerate([value] if isinstance(value, dict) else value, start=1):
            yield unique.check(value_document(item, f"{source}:{number}", f"record {number} of {source}"))
    else:
        yield InputDocument(source, error=f"{source} holds a JSON {type(value).__name__}, not a record or an "
                                          "array of records")


def _is_record_line(line: bytes) -> bool:
    """A first line that parses as a JSON object with `text` or `html`: standard input is then JSONL."""
    if not line.lstrip().startswith(b"{"):
        return False
    record, _problem = loads(line)
    return isinstance(record, dict) and ("text" in record or "html" in record)


def _stdin_documents(stdin: BinaryIO, parse: bool, jsonl: bool) -> Iterator[InputDocument]:
    """Standard input, gunzipped when it starts as gzip does: see `_plain_stdin_documents`."""
    buffered: Any = stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin)
    if buffered.peek(2)[:2] != b"\x1f\x8b":
        yield from _plain_stdin_documents(buffered, parse, jsonl)
        return
    try:
        with gzip.GzipFile(fileobj=buffered, mode="rb") as unpacked:
            yield from _plain_stdin_documents(unpacked, parse, jsonl)  # type: ignore[arg-type]
    except (OSError, EOFError, zlib.error) as exc:
        yield InputDocument("<stdin>", error=f"cannot read standard input (gzip): {exc}")


def _plain_stdin_documents(stdin: BinaryIO, parse: bool, jsonl: bool) -> Iterator[InputDocument]:
    """Standard input: JSONL when its first line is a record (read whole, however long), else one page."""
    if jsonl:
        yield from _jsonl_documents(stdin, "<stdin>", parse)
        return
    first = stdin.readline(MAX_PAGE_BYTES + 1)
    if len(first) <= MAX_PAGE_BYTES and _is_record_line(first):
        yield from _jsonl_documents(stdin, "<stdin>", parse, first=first)
        return
    payload = first + stdin.read(MAX_PAGE_BYTES + 1 - len(first))
    if len(payload) > MAX_PAGE_BYTES:
        while stdin.read(1 << 20):
            pass
        yield InputDocument("<stdin>", error=f"standard input is larger than {MAX_PAGE_BYTES:,} bytes; skipped")
        return
    yield InputDocument("<stdin>", payload)


def page_kind(path: Path) -> str:
    """What a file holds by its name: "text", "html", "jsonl", "json", "warc" or "parquet"."""
    return _kind(path)[0]


def _kind(path: Path) -> tuple[str, bool]:
    """What a file holds by its name ("text", "jsonl", "json", "html", "warc") and whether it is gzipped."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    last = suffixes[-2] if gzipped and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    kinds = (("jsonl", JSONL_SUFFIXES), ("json", JSON_SUFFIXES), ("html", HTML_SUFFIXES), ("warc", WARC_SUFFIXES),
             ("parquet", PARQUET_SUFFIXES))
    for kind, endings in kinds:
        if last in endings:
            return kind, gzipped
    return "text", gzipped


def _file_document(path: Path, parse: bool, jsonl: bool = False) -> Iterator[InputDocument]:
    kind, gzipped = _kind(path)
    kind = "jsonl" if jsonl else kind
    name = display_path(path)
    try:
        if kind == "warc":
            yield from warc_documents(path)
            return
        if kind == "parquet":
            yield from parquet_documents(path, name)
            return
        with path.open("rb") as raw_handle, contextlib.ExitStack() as stack:
            handle: BinaryIO = raw_handle
            if gzipped:
                handle = stack.enter_context(gzip.open(raw_handle, "rb"))  # type: ignore[assignment]
            if kind == "jsonl":
                yield from _jsonl_documents(handle, name, parse)
                return
            payload = handle.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        yield InputDocument(name, error=f"cannot read {name}: {reason}")
        return
    if len(payload) > MAX_PAGE_BYTES:
        yield InputDocument(name, error=f"{name} is larger than {MAX_PAGE_BYTES:,} bytes once unpacked; skipped")
        return
    if kind == "json":
        yield from _json_documents(payload, name)
        return
    yield InputDocument(name, payload, format="html" if kind == "html" else "auto")


#: What a folder run reads; other files are skipped and counted by extension in the summary.
FOLDER_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + JSON_SUFFIXES + HTML_SUFFIXES + WARC_SUFFIXES + PARQUET_SUFFIXES


def _wanted(path: Path, endings: tuple[str, ...]) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(endings)


@dataclass(frozen=True)
class FileSelection:
    """Which files of a folder input are read (`--include GLOB`, `--exclude GLOB`, each repeatable): a file is
    read when it matches an include glob (if any is given) and no exclude glob. A glob is matched against the
    file's path below the folder (`2024/*.json`) and against its name (`*.expected.json`)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)

    def admits(self, file: Path, folder: Path) -> bool:
        below = file.relative_to(folder).as_posix()

        def matches(glob: str) -> bool:
            return fnmatch.fnmatchcase(below, glob) or fnmatch.fnmatchcase(file.name, glob)

        return (not self.include or any(map(matches, self.include))) and not any(map(matches, self.exclude))


#: Every file of a folder is read (no `--include` or `--exclude`).
EVERY_FILE = FileSelection()


def page_files(folder: Path, selection: FileSelection = EVERY_FILE) -> list[Path]:
    """The files a folder input reads (by their names and `selection`), sorted; the others are counted and
    skipped."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and _wanted(p, FOLDER_SUFFIXES)
                  and (not selection or selection.admits(p, folder)))


def iter_documents(
    inputs: Iterable[str],
    stdin: BinaryIO | None = None,
    *,
    parse_lines: bool = True,
    jsonl: bool = False,
    exclude: Collection[Path] = frozenset(),
    selection: FileSelection = EVERY_FILE,
) -> Iterator[InputDocument]:
    """Every document of every input, in order: files as given, folders recursively (sorted, the files
    `selection` admits; the others are counted as skipped).

    With `parse_lines=False` JSONL lines come unparsed (`InputDocument.line`): a worker parses them with
    `parse_line`, and the reader checks unique ids on the results with `UniqueIds`, so the process that
    reads the input does not spend its time decoding JSON the workers could decode.
    """
    for item in inputs:
        for document in _input_documents(item, stdin, parse_lines, jsonl, exclude, selection):
            yield dataclasses.replace(document, source=display_path(item))


def _input_documents(item: str, stdin: BinaryIO | None, parse_lines: bool, jsonl: bool, exclude: Collection[Path],
                     selection: FileSelection) -> Iterator[InputDocument]:
    """The documents of one input (see `iter_documents`)."""
    if item == "-":
        yield from _stdin_documents(stdin or sys.stdin.buffer, parse_lines, jsonl)
        return
    path = Path(item)
    name = display_path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        excluded_names = {p.name for p in exclude}  # resolving every file of a large folder costs stat calls
        if not any(_wanted(file, FOLDER_SUFFIXES) for file in files):
            yield InputDocument(name, error=f"folder {name} holds no {', '.join(FOLDER_SUFFIXES)} files")
        for file in files:
            if file.name in excluded_names and Path(os.path.realpath(file)) in exclude:
                yield InputDocument(display_path(file), skipped="the run's own output")
            elif selection and not selection.admits(file, path):
                yield InputDocument(display_path(file), skipped="left out by --include/--exclude")
            elif _wanted(file, FOLDER_SUFFIXES):
                yield from _file_document(file, parse_lines, jsonl)
            else:
                kind = display_path(file.suffix.lower()) or "no extension"
                yield InputDocument(display_path(file), skipped=f"{kind} file")
    elif path.exists():
        yield from _file_document(path, parse_lines, jsonl)
    else:
        yield InputDocument(name, error=f"{name} does not exist")


def count_documents(inputs: Iterable[str], selection: FileSelection = EVERY_FILE) -> int | None:
    """How many documents `iter_documents` will yield, when that is cheap to know (for a progress bar).

    A page file is one; a plain JSONL file is counted by its non-blank lines (a byte scan, no parsing);
    standard input, WARC, Parquet, gzipped JSONL and `.json` files make the total unknown (None).
    """
    total = 0
    for item in inputs:
        if item == "-":
            return None
        path = Path(item)
        files = page_files(path, selection) if path.is_dir() else [path]
        for file in files:
            if not file.is_file():  # a FIFO or a device: counting would consume what the run must read
                return None
            kind, gzipped = _kind(file)
            if kind in ("warc", "json", "parquet") or (kind == "jsonl" and gzipped):
                return None
            if kind != "jsonl":
                total += 1
                continue
            try:
                with file.open("rb") as handle:
                    total += sum(1 for line in handle if not line.isspace())
            except OSError:
                total += 1  # it yields one error record
    return total
