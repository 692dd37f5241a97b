"""Stage 1: bytes to text. UTF-8 first; otherwise charset-normalizer, with a warning on the record."""

from __future__ import annotations

import codecs
import dataclasses
import re

import charset_normalizer

from cleaner.document import Document
from cleaner.errors import DocumentError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Control bytes that never occur in text files; a share above this marks a binary file.
_CONTROL_BYTES = bytes((*range(0, 8), 11, 14, 15, *range(16, 27), *range(28, 32)))
_BINARY_SHARE = 0.01


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one pass, not one per byte value
    return controls > _BINARY_SHARE * len(sample)


def bom_encoding(raw: bytes) -> str | None:
    """The encoding the bytes' byte-order mark names, or None."""
    return next((encoding for bom, encoding in _BOMS if raw.startswith(bom)), None)


#: The escape sequences that switch a 7-bit stateful encoding into its double-byte sets, and the codec that
#: reads them (Python has no ISO-2022-CN codec: such a page stays with the usual detection).
_STATEFUL = (
    (re.compile(rb"\x1b\$\)C"), "iso2022_kr"),
    (re.compile(rb"\x1b(?:\$[@B]|\$\(D|\(J|\(I|\$A|\$\(C|\.A|\.F)"), "iso2022_jp_2"),
)


def decode_stateful(raw: bytes) -> tuple[str, str] | None:
    """A 7-bit stateful encoding (ISO-2022-JP, ISO-2022-KR) told by its escape sequences: the text and a warning.

    Such bytes are valid ASCII, so UTF-8 reads them without complaint and garbles every Japanese or Korean
    character into escape codes and ASCII letters; they must be recognised before UTF-8 is tried.
    """
    if b"\x1b" not in raw or not raw.isascii():
        return None
    for sequence, codec in _STATEFUL:
        if sequence.search(raw):
            try:
                return raw.decode(codec), f"decoded as {codec.replace('_', '-')} (a 7-bit stateful encoding)"
            except UnicodeDecodeError:
                continue
    return None


def decode_bytes(raw: bytes) -> tuple[str, str | None]:
    """Decode a page; returns the text and a warning when it was not plain UTF-8."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                message = f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc}"
                raise DocumentError(message) from None
            return text, (None if encoding == "utf-8-sig" else f"decoded as {encoding} (byte-order mark)")
    stateful = decode_stateful(raw)  # before the binary check: ISO-2022-KR shifts with control bytes
    if stateful is not None:
        return stateful
    if _looks_binary(raw):
        raise DocumentError("binary data, not text (it contains NUL or other control bytes); skipped")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        first_error = exc
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise DocumentError(f"not valid UTF-8 ({first_error.reason} at byte {first_error.start}) "
                            "and no other text encoding fits")
    return str(best), (f"not valid UTF-8 (byte {first_error.start}); decoded as {best.encoding} "
                       "(detected by charset-normalizer)")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(text: str) -> tuple[str, int]:
    """`text` with each lone surrogate (JSON's `"\\ud800"`: not Unicode, cannot be written) as U+FFFD, and how many."""
    return (text, 0) if text.isascii() else _SURROGATE.subn("\ufffd", text)


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate as U+FFFD (see `_replace_surrogates`)."""
    return _replace_surrogates(text)[0]


def decode(doc: Document) -> Document:
    """Fill `text` from `raw` when the input came as bytes; a str with lone surrogates gets U+FFFD for them."""
    if doc.raw is None:
        repaired, count = _replace_surrogates(doc.text)
        if not count:
            return doc
        replaced = f"replaced {count} lone surrogate(s) (not Unicode text) with U+FFFD"
        return dataclasses.replace(doc, text=repaired, warnings=(*doc.warnings, replaced))
    text, warning = decode_bytes(doc.raw)
    warnings = doc.warnings + ((warning,) if warning else ())
    return dataclasses.replace(doc, text=text, raw=None, warnings=warnings)
