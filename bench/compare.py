"""cleaner against bare trafilatura: extraction quality and speed on the same pages, in one table.

    .venv/bin/python -m bench.compare [--shared ../shared] [--json bench/results.json] [--limit N]

- AEB: scrapinghub's article-extraction-benchmark (181 English pages, `SHARED/aeb`), scored the way that
  benchmark scores (4-token shingles, precision and recall averaged over pages, F1 of the means);
- dev: the annotated Indonesian pages (`SHARED/dev/*.html` and the one saved as text) scored with
  `SHARED/eval/score.py`;
- fundus: 127 pages in 16 languages with the bodies, titles and authors of fundus's hand-written parsers
  (`SHARED/fundus`), scored the same way (meta there = title and authors; only the contenders that read
  metadata can score on it);
- throughput (pages/s, MB/s of HTML) of each contender on the AEB pages.
Contenders: cleaner; trafilatura with default settings; trafilatura with favor_precision (both with
include_comments=False, as the benchmark's own trafilatura runs); and trafilatura with favor_precision and
its metadata extraction, the speed reference for a run that also wants authors, dates and tags.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import regex
import trafilatura

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parents[1]
_TOKEN = regex.compile(r"\w+")


def shingles(text: str) -> collections.Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < 4:
        return collections.Counter([tuple(tokens)]) if tokens else collections.Counter()
    return collections.Counter(tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3))


def aeb_score(predicted: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """The benchmark's scoring: per-page shingle TP/FP/FN, precision and recall averaged over pages."""
    precisions, recalls, exact = [], [], 0
    for key, reference in truth.items():
        got, want = shingles(predicted.get(key, "")), shingles(reference)
        tp = sum((got & want).values())
        fp, fn = sum(got.values()) - tp, sum(want.values()) - tp
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
        else:
            if tp + fp > 0:
                precisions.append(tp / (tp + fp))
            if tp + fn > 0:
                recalls.append(tp / (tp + fn))
        exact += _TOKEN.findall(predicted.get(key, "")) == _TOKEN.findall(reference)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4),
            "accuracy": round(exact / len(truth), 4)}


Record = dict[str, object]


def contenders() -> dict[str, Callable[[bytes, str | None], Record]]:
    """Each contender as a page -> record function: `text`, and `title` and `authors` where it reads them."""
    cleaner = Cleaner()
    cleaner.warm_up()

    def run_cleaner(page: bytes, url: str | None) -> Record:
        is_html = b"<html" in page[:65536].lower() or b"<body" in page[:65536].lower()  # the dev set has a text page
        return cleaner.clean_or_error(page, url, format="html" if is_html else "auto").to_dict()

    def trafilatura_default(html: bytes, url: str | None) -> Record:
        return {"text": trafilatura.extract(html, url=url, include_comments=False) or ""}

    def trafilatura_precision(html: bytes, url: str | None) -> Record:
        return {"text": trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""}

    def trafilatura_with_metadata(html: bytes, url: str | None) -> Record:
        found = trafilatura.bare_extraction(html, url=url, include_comments=False, favor_precision=True,
                                            with_metadata=True)
        author = getattr(found, "author", None) or ""
        return {"text": getattr(found, "text", None) or "", "title": getattr(found, "title", None),
                "authors": [a.strip() for a in author.split(";") if a.strip()]}

    return {"cleaner": run_cleaner, "trafilatura": trafilatura_default,
            "trafilatura favor_precision": trafilatura_precision,
            "trafilatura precision+metadata": trafilatura_with_metadata}


def run_aeb(shared: Path, limit: int | None) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    truth_all = json.loads((shared / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth_all)[:limit]
    pages = {k: gzip.decompress((shared / "aeb" / "html" / f"{k}.html.gz").read_bytes()) for k in keys}
    truth = {k: truth_all[k]["articleBody"] for k in keys}
    size = sum(len(p) for p in pages.values())
    runners = contenders()
    predicted: dict[str, dict[str, str]] = {name: {} for name in runners}
    seconds = dict.fromkeys(runners, 0.0)
    for k in keys:  # contenders take turns page by page, so a machine slowing down mid-run slows all alike
        for name, extract in runners.items():
            started = time.perf_counter()
            predicted[name][k] = str(extract(pages[k], truth_all[k].get("url")).get("text") or "")
            seconds[name] += time.perf_counter() - started
    quality = {name: aeb_score(predicted[name], truth) for name in runners}
    speed = {name: {"pages_per_s": round(len(keys) / spent, 1), "mb_per_s": round(size / 1e6 / spent, 2)}
             for name, spent in seconds.items()}
    return quality, speed


def run_scored(shared: Path, pages: list[Path], gold: Path) -> dict[str, dict[str, float]]:
    """Annotated pages through each contender, scored by `SHARED/eval/score.py` against `gold`."""
    scores = {}
    for name, extract in contenders().items():
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
            for page in pages:
                raw = page.read_bytes()
                record = extract(gzip.decompress(raw) if page.suffix == ".gz" else raw, None)
                out.write(json.dumps({**record, "id": page.name}, ensure_ascii=False) + "\n")
        done = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), out.name, str(gold), "--json"],
                              capture_output=True, text=True, check=False)
        Path(out.name).unlink()
        try:
            result = json.loads(done.stdout.strip().splitlines()[-1])
        except (json.JSONDecodeError, IndexError):
            result = {"error": done.stderr.strip()[-200:]}
        scores[name] = {k: result[k] for k in ("token_f1", "leak", "para_exact", "meta") if k in result}
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--limit", type=int, help="only the first N AEB pages (a quick look)")
    args = parser.parse_args()
    aeb, speed = run_aeb(args.shared, args.limit)
    dev_dir, fundus_dir = args.shared / "dev", args.shared / "fundus"
    dev = run_scored(args.shared, sorted(dev_dir.glob("*.html")) + sorted(dev_dir.glob("*.txt")), dev_dir) \
        if dev_dir.is_dir() else {}
    fundus = run_scored(args.shared, sorted(fundus_dir.glob("*.html.gz")), fundus_dir) if fundus_dir.is_dir() else {}
    table = {name: {"aeb": aeb[name], "dev_html": dev.get(name, {}), "fundus": fundus.get(name, {}),
                    "speed": speed[name]} for name in aeb}
    header = ("", "AEB F1", "P", "R", "dev F1", "leak", "meta", "fundus F1", "meta", "pages/s", "MB/s")
    print("{:31} {:>7} {:>6} {:>6} | {:>7} {:>6} {:>6} | {:>9} {:>6} | {:>8} {:>6}".format(*header))
    for name, row in table.items():
        a, d, f, sp = row["aeb"], row["dev_html"], row["fundus"], row["speed"]
        print(f"{name:31} {a['f1']:>7} {a['precision']:>6} {a['recall']:>6} | {d.get('token_f1', '-'):>7} "
              f"{d.get('leak', '-'):>6} {d.get('meta', '-'):>6} | {f.get('token_f1', '-'):>9} {f.get('meta', '-'):>6} "
              f"| {sp['pages_per_s']:>8} {sp['mb_per_s']:>6}")
    args.json.write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
