"""WARC files as documents: every HTML response record, with its URL, whatever damage the file holds.

Records are framed here, bounded, and only then parsed by warcio, one record at a time:
- a gzipped WARC is read a gzip member at a time (each record is its own member): a member cut in half or
  corrupted costs only its record, and reading starts again at the next member's header;
- a record's header block is read up to `MAX_HEADER_BYTES` (a gigabyte "header line" is never held), its
  content up to `MAX_PAGE_BYTES` (a larger record is skipped by seeking past it);
- a record whose Content-Length does not match its content (no blank line where it says it ends) is an
  error record, and reading starts again at the next `WARC/1.` line; bytes of junk after a record that is
  whole are skipped and counted, and never blamed on that record.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.run.input_document import MAX_PAGE_BYTES, InputDocument, display_path

#: Largest WARC header block (the record's own headers, not the HTTP ones inside its content).
MAX_HEADER_BYTES = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b\x08"
_JUNK = "junk"


def warc_documents(path: Path) -> Iterator[InputDocument]:
    """The documents of a WARC file (plain or gzipped); other records and junk are skipped and counted."""
    name = display_path(path)
    try:
        from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        yield InputDocument(name, error="reading WARC files needs warcio: pip install 'cleaner[warc]'")
        return
    counter = iter(range(1, 1 << 62))
    try:
        with path.open("rb") as handle:
            gzipped = handle.read(2) == _GZIP_MAGIC[:2]
            handle.seek(0)
            if gzipped:
                for offset, member in _gzip_members(handle):
                    if member is _JUNK:
                        yield InputDocument(f"{name}:{offset}", skipped="junk between WARC records")
                    elif isinstance(member, str):
                        yield InputDocument(f"{name}:{offset}", error=f"gzip member at byte {offset:,} of {name} "
                                                                      f"{member}; skipped")
                    else:
                        yield from _framed_records(io.BytesIO(member), name, counter, base=offset)
            else:
                yield from _framed_records(handle, name, counter)
    except OSError as exc:
        yield InputDocument(name, error=f"cannot read {name}: {exc.strerror or exc}")


def _gzip_members(handle: BinaryIO) -> Iterator[tuple[int, bytes | str]]:
    """(offset, data) per gzip member, or (offset, why) for one that is damaged or too large; a damaged
    member is left at the next gzip header after its start."""
    offset = 0
    cap = MAX_PAGE_BYTES + MAX_HEADER_BYTES * 2
    while True:
        handle.seek(offset)
        magic = handle.read(3)
        if not magic:
            return
        if magic != _GZIP_MAGIC:
            yield offset, _JUNK
            following = _find(handle, _GZIP_MAGIC, offset + 1)
            if following is None:
                return
            offset = following
            continue
        handle.seek(offset)
        decoder = zlib.decompressobj(wbits=31)
        parts: list[bytes] = []
        size = consumed = 0
        problem: str | None = None
        while not decoder.eof:
            chunk = decoder.unconsumed_tail or handle.read(1 << 16)
            if not chunk:
                problem = "is cut off"
                break
            if not decoder.unconsumed_tail:
                consumed += len(chunk)
            try:
                data = decoder.decompress(chunk, max(cap + 1 - size, 1))
            except zlib.error as exc:
                problem = f"is damaged ({exc})"
                break
            size += len(data)
            if size > cap:
                problem = f"holds more than {cap:,} bytes"
                break
            parts.append(data)
        if problem is None:
            yield offset, b"".join(parts)
            offset += consumed - len(decoder.unused_data)
            continue
        yield offset, problem
        following = _find(handle, _GZIP_MAGIC, offset + 1)
        if following is None:
            return
        offset = following


def _find(handle: BinaryIO, needle: bytes, after: int) -> int | None:
    """The offset of the next `needle` at or after `after`, read in chunks (None: none)."""
    position, carry = after, b""
    handle.seek(after)
    while True:
        chunk = handle.read(1 << 20)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(needle)
        if found != -1:
            return position - len(carry) + found
        carry = data[-(len(needle) - 1):] if len(needle) > 1 else b""
        position += len(chunk)


def _headers(block: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in block.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        fields[key.strip().lower().decode("latin-1")] = value.strip().decode("utf-8", "replace")
    return fields


def _framed_records(handle: BinaryIO, name: str, counter: Iterator[int], base: int = 0
                    ) -> Iterator[InputDocument]:
    """The records of a plain WARC stream, each checked against its own Content-Length, then parsed."""
    offset = 0
    while True:
        handle.seek(offset)
        head = handle.read(MAX_HEADER_BYTES)
        if not head.strip():
            return
        where = base + offset
        if not head.startswith(b"WARC/"):
            following = _find(handle, b"\nWARC/1.", offset)
            yield InputDocument(f"{name}:{where}", skipped="junk between WARC records")
            if following is None:
                return
            offset = following + 1
            continue
        end = head.find(b"\r\n\r\n")
        fields = _headers(head[:end]) if end != -1 else {}
        number = next(counter)
        ident = fields.get("warc-record-id") or f"{name}:{number}"
        url = fields.get("warc-target-uri")
        try:
            length = int(fields.get("content-length", ""))
        except ValueError:
            length = -1
        if end == -1 or length < 0:
            why = (f"its header block is longer than {MAX_HEADER_BYTES:,} bytes" if end == -1
                   else "it has no valid Content-Length")
            yield InputDocument(ident, url=url, error=f"WARC record at byte {where:,} of {name} is damaged ({why}); "
                                                      "skipped")
        else:
            content_start = offset + end + 4
            handle.seek(content_start + length)
            if handle.read(4) != b"\r\n\r\n":  # its content does not end where its Content-Length says
                yield InputDocument(ident, url=url, error=f"WARC record at byte {where:,} of {name} is damaged "
                                    "(its Content-Length does not match its content); skipped")
            else:
                if length > MAX_PAGE_BYTES:
                    yield InputDocument(ident, url=url, error=f"record larger than {MAX_PAGE_BYTES:,} bytes; skipped")
                else:
                    handle.seek(offset)
                    yield _parsed(handle.read(end + 4 + length + 4), name, number)
                offset = content_start + length + 4
                continue
        following = _find(handle, b"\nWARC/1.", offset + 1)
        if following is None:
            return
        offset = following + 1


def _parsed(record_bytes: bytes, name: str, number: int) -> InputDocument:
    """One framed record, parsed by warcio."""
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(io.BytesIO(record_bytes))
    records.INC_RECORD = ""  # warcio would print its own warning on standard error
    for record in records:
        return warc_record_document(record, name, number)
    return InputDocument(f"{name}:{number}", error=f"WARC record {number} of {name} could not be parsed")


def warc_record_document(record: Any, name: str, number: int) -> InputDocument:
    """One WARC record as a document, or as a skipped item when it is not an HTML response."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    ident = record.rec_headers.get_header("WARC-Record-ID") or f"{name}:{number}"
    if record.rec_type != "response":
        return InputDocument(ident, url=url, skipped=f"WARC {record.rec_type} record")
    content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
    if "html" not in content_type.lower():
        return InputDocument(ident, url=url, skipped="WARC response that is not HTML")
    payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(payload) > MAX_PAGE_BYTES:
        return InputDocument(ident, url=url, error=f"record larger than {MAX_PAGE_BYTES:,} bytes; skipped")
    return InputDocument(ident, payload, url, format="html")
