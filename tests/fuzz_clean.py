"""Coverage-guided fuzzing of the text entry point with atheris (not collected by pytest).

    pip install atheris
    mkdir -p /tmp/fuzz && cp fixtures/seeds/*.txt /tmp/fuzz   # libFuzzer adds what it finds to this folder
    python tests/fuzz_clean.py -max_total_time=600 -rss_limit_mb=4096 /tmp/fuzz

Each input is cleaned as bytes and as text (surrogates included); nothing may raise but a
`CleanerError`, and every result must be writable as a JSONL record.
"""

from __future__ import annotations

import json
import sys

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports(include=["cleaner"]):
    from cleaner import Cleaner
    from cleaner.errors import CleanerError

CLEANER = Cleaner()


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(len(data)) if data[:1] == b"\x00" else provider.ConsumeUnicode(len(data))
    for page in (data, text):
        try:
            result = CLEANER.clean(page, timeout=None)
        except CleanerError:
            continue
        json.dumps(result.to_dict(explain=True), ensure_ascii=False).encode("utf-8")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
