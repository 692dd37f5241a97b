"""Ray Data on this machine: docs/s of `clean_dataset` with 1 and 2 actors, beside the local `clean_many`.

    .venv/bin/python -m bench.ray_scale [--documents 2000] [--repeat 2]

The corpus is `bench.corpus`'s (every distinct page at hand, text and HTML, cycled to `--documents`).
Each figure is the wall time of cleaning the whole dataset to materialised records, actors' start-up
(building their `Cleaner`) included, best of `--repeat`; the runs take turns (local, 1, 2, ...). Written to
`bench/ray_results.json`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from bench.corpus import _pages
from cleaner import Cleaner

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    import ray

    from cleaner.integrations.ray import clean_dataset

    pages = _pages()
    rows = [{"id": str(n), "text": page.get("text"), "html": page.get("html")}
            for n, page in zip(range(args.documents), itertools.cycle(pages), strict=False)]
    megabytes = sum(len(r["text"] or r["html"] or "") for r in rows) / 1e6
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ds = ray.data.from_items(rows).materialize()
    cleaner = Cleaner()
    cleaner.warm_up()
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        started = time.perf_counter()
        for _result in cleaner.clean_many(rows):
            pass
        best["local, 1 process"] = min(best.get("local, 1 process", 1e9), time.perf_counter() - started)
        for actors in (1, 2):
            started = time.perf_counter()
            clean_dataset(ds, concurrency=actors).materialize()
            name = f"ray, {actors} actor{'s' if actors > 1 else ''}"
            best[name] = min(best.get(name, 1e9), time.perf_counter() - started)
    ray.shutdown()
    figures = {name: {"seconds": round(s, 2), "docs_per_s": round(len(rows) / s, 1),
                      "mb_per_s": round(megabytes / s, 2)} for name, s in best.items()}
    ratio = round(best["ray, 1 actor"] / best["ray, 2 actors"], 2)
    report = {"documents": len(rows), "distinct_pages": len(pages), "megabytes": round(megabytes, 1),
              "figures": figures, "two_actors_over_one": ratio}
    (ROOT / "bench" / "ray_results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for name, figure in figures.items():
        print(f"{name:<20} {figure['seconds']:>7.2f} s  {figure['docs_per_s']:>7.1f} docs/s  "
              f"{figure['mb_per_s']:>6.2f} MB/s")
    print(f"2 actors / 1 actor: {ratio}x")


if __name__ == "__main__":
    main()
