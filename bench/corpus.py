"""The CLI on a corpus: docs/s with --jobs 1 and --jobs N, and start-up time, each as a user runs it.

    .venv/bin/python -m bench.corpus [--documents 2000] [--jobs 2] [--repeat 2]

The corpus is a JSONL file of every distinct page at hand (the fixtures; with `../shared` also the dev
pages as text, their scraped renders, and the dev, fundus and AEB pages as HTML), cycled to `--documents`
records. Every figure is the wall time of a real `python -m cleaner clean` subprocess; the runs take turns
(1, N, 1, N, ...) so a busy machine slows both alike, and the best of `--repeat` counts.
Start-up is a one-page run, with the cache warm and with an empty cache folder (a first run).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _pages() -> list[dict[str, str]]:
    """Records of every distinct page at hand: the fixtures, and the shared sets (text and HTML) when present."""
    texts = sorted((ROOT / "fixtures").rglob("*.txt"))
    htmls: list[Path] = []
    if SHARED.is_dir():
        texts += sorted((SHARED / "dev" / "text").glob("*.txt")) + sorted((SHARED / "dev" / "scraped").glob("*.txt"))
        htmls += sorted((SHARED / "dev").glob("*.html")) + sorted((SHARED / "fundus").glob("*.html.gz"))
        htmls += sorted((SHARED / "aeb" / "html").glob("*.html.gz"))
    records = [{"text": p.read_text(encoding="utf-8")} for p in texts]
    for path in htmls:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        records.append({"html": data.decode("utf-8", errors="replace")})
    return records


def _run(args: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cleaner", "clean", *args], check=True, env={**os.environ, **(env or {})},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _before_first_document(env: dict[str, str] | None = None) -> float:
    """Seconds from process start until a `Cleaner` is ready: imports plus loading the rules."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import cleaner.cli; cleaner.cli.Cleaner()"], check=True,
                   env={**os.environ, **(env or {})})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    pages = _pages()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for n in range(args.documents):
                out.write(json.dumps({"id": str(n), **pages[n % len(pages)]}, ensure_ascii=False) + "\n")
        size = corpus.stat().st_size
        one_page = Path(folder) / "page.txt"
        one_page.write_text(pages[0]["text"], encoding="utf-8")
        _run([str(one_page), "-o", str(Path(folder) / "warm.jsonl")])  # fills the cache
        times: dict[int, list[float]] = {1: [], args.jobs: []}
        for _ in range(args.repeat):
            for jobs in times:
                times[jobs].append(_run([str(corpus), "-o", str(Path(folder) / f"out{jobs}.jsonl"), "--jobs",
                                         str(jobs)]))
        same = (Path(folder) / "out1.jsonl").read_bytes() == (Path(folder) / f"out{args.jobs}.jsonl").read_bytes()
        warm = min(_run([str(one_page), "-o", str(Path(folder) / "one.jsonl")]) for _ in range(3))
        ready = min(_before_first_document() for _ in range(3))
        cold, cold_ready = [], []
        for n in range(2):
            empty = {"CLEANER_CACHE_DIR": str(Path(folder) / f"cache{n}")}
            cold_ready.append(_before_first_document(empty))
            empty = {"CLEANER_CACHE_DIR": str(Path(folder) / f"cold{n}")}
            cold.append(_run([str(one_page), "-o", str(Path(folder) / "one.jsonl")], empty))
    best = {jobs: min(seconds) for jobs, seconds in times.items()}
    html = sum("html" in page for page in pages)
    print(f"corpus: {args.documents} documents cycling over {len(pages)} distinct pages ({len(pages) - html} text, "
          f"{html} HTML), {size / 1e6:.1f} MB of JSONL")
    for jobs, seconds in best.items():
        rate = args.documents / seconds
        print(f"  --jobs {jobs}: {seconds:.2f} s, {rate:.0f} docs/s, {size / 1e6 / seconds:.2f} MB/s")
    print(f"  --jobs {args.jobs} vs --jobs 1: {best[1] / best[args.jobs]:.2f}x; same output bytes: {same}")
    print(f"start-up: {ready:.2f} s before the first document with the cache warm ({min(cold_ready):.2f} s cold); "
          f"a one-page run {warm:.2f} s in all ({min(cold):.2f} s on a first run)")


if __name__ == "__main__":
    main()
