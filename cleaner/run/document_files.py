"""`--output-format txt|md`: one file per document in a folder, as trafilatura's CLI writes them.

The body with its title as first line (txt), or the title as a heading under YAML front matter with the
metadata (md). Each file is written whole through a temporary file renamed into place; a folder that holds
files already is refused unless `--overwrite` (which replaces only the files this run writes).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from cleaner.files import OutputError, write_side_file
from cleaner.run.output import Sink

#: The formats written one file per document, and their file name suffix.
DOCUMENT_FORMATS = {"txt": ".txt", "md": ".md"}
#: The metadata fields written into Markdown front matter, in this order.
FRONT_MATTER = ("title", "url", "outlet", "authors", "editors", "published", "dateline", "category", "tags",
                "language", "id")
#: What a file name keeps of an id: letters, digits and a few marks; the rest becomes "_".
_UNSAFE = regex.compile(r"[^\p{L}\p{N}._-]+")
#: Longest file name stem taken from an id, in characters and in UTF-8 bytes.
_STEM_CHARS = 120
_STEM_BYTES = 150  # the temporary file it is written through has a longer name
_PAGE_SUFFIXES = (".gz", ".txt", ".text", ".html", ".htm", ".jsonl", ".json", ".warc", ".parquet")


def document_text(record: dict[str, object], fmt: str) -> str:
    """A record as the file of its document: txt, the title then the body; md, front matter, `# title`, body."""
    title = str(record.get("title") or "").strip()
    body = str(record.get("text") or "")
    if fmt == "txt":
        return (f"{title}\n\n{body}" if title else body).rstrip("\n") + "\n"
    lines = ["---"]
    for name in FRONT_MATTER:
        value = record.get(name)
        if value in (None, "", []):
            continue
        lines.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")  # JSON is YAML: every value quoted
    lines.append("---")
    heading = [f"# {title}", ""] if title else []
    return "\n".join([*lines, "", *heading, body]).rstrip("\n") + "\n"


def _stem(record_id: str, inputs: Sequence[str], keep_dirs: bool) -> str:
    """A file's name without suffix, from the record's id: an input file's name (with `keep_dirs`, its path
    below the folder given as input), else the id (a JSONL or WARC record's) made safe."""
    path = Path(record_id)
    parts: list[str] = [record_id]
    try:
        an_input_file = path.is_file()
    except (OSError, ValueError):  # an id no file system takes as a name (too long, a NUL)
        an_input_file = False
    if an_input_file:
        parts = [path.name]
        for item in inputs:
            folder = Path(item)
            if keep_dirs and folder.is_dir() and path.is_relative_to(folder):
                parts = list(path.relative_to(folder).parts)
                break
        name = parts[-1]
        for suffix in _PAGE_SUFFIXES:
            if name.lower().endswith(suffix):
                name = name[: -len(suffix)]
        parts[-1] = name
    safe = [_fits((_UNSAFE.sub("_", part).strip("._") or "_")[:_STEM_CHARS]) for part in parts]
    return "/".join(safe)


def _fits(name: str) -> str:
    """A name short enough in bytes for any file system (255) with a number, a suffix and the temporary name
    it is written through."""
    while len(name.encode("utf-8")) > _STEM_BYTES:
        name = name[:-1]
    return name


@dataclass
class DocumentFilesSink(Sink):
    """Records written as one file each into a folder (see the module's docstring)."""

    folder: Path = Path()
    fmt: str = "txt"
    inputs: tuple[str, ...] = ()
    keep_dirs: bool = False
    used: set[str] = field(default_factory=set)

    def write(self, line: str) -> None:
        record = json.loads(line)
        if record.get("error") is None:
            stem = _stem(str(record.get("id") or self.safe), self.inputs, self.keep_dirs)
            name, count = stem, 1
            while name in self.used:  # two documents with one name: the later gets a number
                count += 1
                name = f"{stem}-{count}"
            self.used.add(name)
            target = self.folder / (name + DOCUMENT_FORMATS[self.fmt])
            target.parent.mkdir(parents=True, exist_ok=True)
            write_side_file(str(target), document_text(record, self.fmt))
        self.safe += 1

    def finish(self) -> None:
        """Every file is in place as it is written: nothing to rename."""

    def close(self) -> None:
        """No handle to close."""


def open_document_files_sink(output: str | None, fmt: str, *, resume: bool, overwrite: bool,
                             inputs: Sequence[str], keep_dirs: bool) -> DocumentFilesSink:
    """The sink for `--output-format txt|md -o DIR`; raises `OutputError` for exit 2."""
    if output is None or output == "-":
        raise OutputError(f"--output-format {fmt} writes one file per document: give -o DIR, a folder")
    if resume:
        raise OutputError(f"--output-format {fmt} writes each file whole: there is nothing to --resume; run "
                          "again with --overwrite, or into a new folder")
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"-o {output}: --output-format {fmt} writes into a folder, and this is a file")
    if folder.is_dir() and any(folder.iterdir()) and not overwrite:
        raise OutputError(f"-o {output} holds files already: choose an empty or new folder, or --overwrite "
                          "(which replaces only the files this run writes)")
    if not folder.parent.is_dir():
        raise OutputError(f"-o {output}: the folder {folder.parent} does not exist")
    folder.mkdir(exist_ok=True)
    resolved = {os.path.realpath(item) for item in inputs if item != "-"}
    if os.path.realpath(folder) in resolved:
        raise OutputError(f"-o {output} is an input folder: write the documents' files elsewhere")
    return DocumentFilesSink(str(folder), io.StringIO(), folder=folder, fmt=fmt, inputs=tuple(inputs),
                             keep_dirs=keep_dirs)
