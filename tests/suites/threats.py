"""What the threat suites share: a sentence of prose, the command line as a subprocess, and JSONL inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli
from tests.conftest import write_jsonl as jsonl

SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini di Jakarta."
run = run_cli


def numbered_jsonl(path: Path, count: int, start: int = 0) -> Path:
    """A JSONL file of `count` records of prose, ids `d<start>`, `d<start + 1>`, ..."""
    rows = [{"id": f"d{n}", "text": f"{SENTENCE} Nomor {n} dibahas panjang lebar oleh para menteri."}
            for n in range(start, start + count)]
    return jsonl(path, rows)


def big_run(tmp_path: Path, records: int, repeat: int, **popen: object) -> tuple[Path, Path, subprocess.Popen[bytes]]:
    """A JSONL input of `records` long pages and a 2-worker run on it, started: (input, output, process)."""
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": str(n), "text": SENTENCE * repeat}) + "\n" for n in range(records)),
                      encoding="utf-8")
    out = tmp_path / "o.jsonl"
    command = [sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "-j", "2", "-q"]
    return source, out, subprocess.Popen(command, **popen)  # type: ignore[call-overload]
