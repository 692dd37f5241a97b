"""Throughput of the text pipeline, overall and per stage.

    .venv/bin/python -m bench.throughput [PAGES...] [--repeat N]

Default pages: the bundled fixtures. Prints MB/s and pages/s for `Cleaner.clean` and the share of
time each stage takes, so a slow rule or stage shows up at once.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from cleaner import Cleaner
from cleaner.document import Document

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    paths = args.pages or sorted((ROOT / "fixtures").rglob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    cleaner = Cleaner()
    for text in texts:  # warm up: dateparser's language data, regex caches
        cleaner.clean(text)
    size = sum(len(t.encode()) for t in texts) * args.repeat
    started = time.perf_counter()
    for _ in range(args.repeat):
        for text in texts:
            cleaner.clean(text)
    seconds = time.perf_counter() - started
    pages = len(texts) * args.repeat
    print(f"{pages} pages, {size / 1e6:.2f} MB in {seconds:.2f} s: "
          f"{size / 1e6 / seconds:.2f} MB/s, {pages / seconds:.0f} pages/s")
    per_stage: dict[str, float] = defaultdict(float)
    for _ in range(max(1, args.repeat // 5)):
        for text in texts:
            doc = Document(id="", text=text)
            for name, stage in cleaner.stages:
                t0 = time.perf_counter()
                doc = stage(doc)
                per_stage[name] += time.perf_counter() - t0
    total = sum(per_stage.values())
    for name, spent in per_stage.items():
        print(f"  {name:<17} {100 * spent / total:5.1f}%")


if __name__ == "__main__":
    main()
