"""Digests of every record the cleaner writes for the pages at hand: what "output identical" is checked against.

    .venv/bin/python -m tests.snapshot            # compare with tests/snapshots/records.json, list what changed
    .venv/bin/python -m tests.snapshot --write    # record the current output (only for an intended change)

Each page's full record (`--explain`'s, removals included) is hashed; the fixtures are always there, the
shared sets (`../shared`: seeds, dev HTML and text, scraped renders, fundus, AEB) where the checkout has them.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNAPSHOT = ROOT / "tests" / "snapshots" / "records.json"

#: Page sets: name -> (folder, glob patterns). Fixtures' URLs come from their expected results.
SETS: dict[str, tuple[Path, tuple[str, ...]]] = {
    "fixtures": (ROOT / "fixtures", ("**/*.txt", "**/*.html")),
    "shared/dev": (SHARED / "dev", ("*.html", "*.txt", "text/*.txt", "scraped/*.txt", "scraped/real/*.txt")),
    "shared/fundus": (SHARED / "fundus", ("*.html.gz",)),
    "shared/aeb": (SHARED / "aeb" / "html", ("*",)),
}


def pages(name: str) -> Iterator[tuple[str, bytes, str | None]]:
    """(key, page bytes, URL) of every page of a set, in a stable order."""
    folder, patterns = SETS[name]
    for path in sorted({p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        expected = path.with_name(path.name.split(".")[0] + ".expected.json")
        url = json.loads(expected.read_text(encoding="utf-8")).get("url") if expected.is_file() else None
        yield str(path.relative_to(folder)), data, url


def digests(cleaner: Cleaner, name: str) -> dict[str, str]:
    out = {}
    for key, page, url in pages(name):
        record = cleaner.clean_or_error(page, url=url, id=key).to_dict(explain=True)
        written = json.dumps(record, ensure_ascii=False)  # as written: the order of the keys counts too
        out[key] = hashlib.sha256(written.encode()).hexdigest()[:16]
    return out


def available() -> list[str]:
    return [name for name, (folder, _) in SETS.items() if folder.is_dir()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record the current output as the snapshot")
    args = parser.parse_args()
    cleaner = Cleaner()
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.is_file() else {}
    changed = 0
    for name in available():
        now = digests(cleaner, name)
        if args.write:
            stored[name] = now
            continue
        before = stored.get(name, {})
        differ = sorted(k for k in now.keys() | before.keys() if now.get(k) != before.get(k))
        changed += len(differ)
        print(f"{name}: {len(now)} pages, {len(differ)} changed" + "".join(f"\n  {k}" for k in differ[:20]))
    if args.write:
        SNAPSHOT.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {SNAPSHOT}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
