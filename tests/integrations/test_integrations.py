"""Parquet output, Ray Data and datatrove: the same records as the local run, one per input, errors included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.cli import main
from tests.conftest import FIXTURES, ROOT

pa = pytest.importorskip("pyarrow")  # in the dev extra: CI always has it
pq = pytest.importorskip("pyarrow.parquet")

SEEDS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt"))
DEV = ROOT.parent / "shared" / "dev"


def _local(tmp_path: Path, *inputs: str) -> list[dict]:
    out = tmp_path / "local.jsonl"
    assert main(["clean", "-q", "--jobs", "1", *inputs, "-o", str(out)]) in (0, 1)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _same(got: list[dict], want: list[dict]) -> None:
    assert len(got) == len(want)
    for record, expected in zip(got, want, strict=True):
        for name in set(record) | set(expected):
            assert record.get(name) == expected.get(name), (expected["id"], name)


def _bad_jsonl(tmp_path: Path) -> str:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Pemerintah Kota Bogor memperpanjang pembatasan kegiatan masyarakat."}\n'
                   '{"id": "no-page"}\nnot json\n', encoding="utf-8")
    return str(bad)


# -- Parquet from the plain CLI ------------------------------------------------------------------------------------


def test_parquet_output_holds_the_jsonl_records(tmp_path: Path) -> None:
    inputs = [*SEEDS, _bad_jsonl(tmp_path)]
    out = tmp_path / "out.parquet"
    assert main(["clean", "-q", *inputs, "-o", str(out)]) == 1  # the bad lines fail, as in JSONL
    assert not (tmp_path / "out.parquet.partial").exists()
    table = pq.read_table(out)
    assert table.schema.field("authors").type == pa.list_(pa.string())
    _same(table.to_pylist(), _local(tmp_path, *inputs))


def test_parquet_output_needs_a_file_and_no_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", "-q", SEEDS[0], "--output-format", "parquet"]) == 2
    assert "needs -o OUT.parquet" in capsys.readouterr().err
    assert main(["clean", "-q", SEEDS[0], "-o", str(tmp_path / "x.parquet"), "--resume"]) == 2
    assert "JSONL output only" in capsys.readouterr().err


def _pages_parquet(tmp_path: Path) -> tuple[str, str]:
    """The seeds and an HTML page as rows of a Parquet file and as lines of a JSONL file."""
    rows = [{"id": Path(p).name, "text": Path(p).read_text(encoding="utf-8"), "html": None, "url": None}
            for p in SEEDS]
    rows.append({"id": "page", "text": None, "html": (FIXTURES / "html" / "english_byline.html").read_text("utf-8"),
                 "url": "https://example.com/a"})
    rows.append({"id": "nothing", "text": None, "html": None, "url": None})
    parquet, jsonl = tmp_path / "pages.parquet", tmp_path / "pages.jsonl"
    pq.write_table(pa.Table.from_pylist(rows), parquet)
    jsonl.write_text("".join(json.dumps({k: v for k, v in r.items() if v is not None}) + "\n" for r in rows),
                     encoding="utf-8")
    return str(parquet), str(jsonl)


def test_a_parquet_input_is_read_as_its_rows_like_jsonl_lines(tmp_path: Path) -> None:
    parquet, jsonl = _pages_parquet(tmp_path)
    from_parquet, from_jsonl = _local(tmp_path, parquet), _local(tmp_path, jsonl)
    assert [r["id"] for r in from_parquet] == [r["id"] for r in from_jsonl]
    for record, expected in zip(from_parquet, from_jsonl, strict=True):
        if record.get("error"):
            assert expected.get("error") and "no 'text' or 'html'" in record["error"]
        else:
            assert record == expected


# -- Ray Data ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ray_cluster():  # type: ignore[no-untyped-def]
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


def test_clean_dataset_gives_the_local_records_row_for_row(ray_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cleaner.integrations.ray import clean_dataset

    texts = SEEDS + (sorted(str(p) for p in (DEV / "text").glob("*.txt")) if DEV.is_dir() else [])
    rows = [{"id": Path(p).name, "text": Path(p).read_text(encoding="utf-8"), "url": None} for p in texts]
    html = FIXTURES / "html" / "english_byline.html"
    rows.append({"id": "page.html", "text": None, "html": html.read_text(encoding="utf-8"), "url": None})
    rows.append({"id": "empty", "text": None, "html": None, "url": None})  # neither: an error row
    ds = ray_cluster.data.from_items(rows)
    got = clean_dataset(ds, batch_size=2, concurrency=2).take_all()
    cleaner = Cleaner()
    want = []
    for row in rows:
        page = row.get("html") or row["text"]
        result = cleaner.clean_or_error(page, id=row["id"]) if page else None
        want.append(result.to_dict() if result else {"id": "empty"})
    # One record per row; Ray keeps no order across actors unless the caller's DataContext asks it to.
    by_id = {r["id"]: r for r in got}
    assert len(got) == len(rows) and sorted(by_id) == sorted(r["id"] for r in rows)
    for expected in want[:-1]:
        record = by_id[expected["id"]]
        assert {k: record[k] for k in expected} == expected
    assert by_id["empty"]["error"] and "no 'text' or 'html'" in by_id["empty"]["error"]


def test_clean_dataset_holds_the_time_limit_from_outside_the_actor(ray_cluster) -> None:  # type: ignore[no-untyped-def]
    from cleaner.integrations.ray import clean_dataset

    slow = Path(SEEDS[0]).read_text(encoding="utf-8") * 1600  # about 2 s of work; a page takes milliseconds
    rows = [{"text": slow}, {"text": Path(SEEDS[1]).read_text(encoding="utf-8")}]
    got = clean_dataset(ray_cluster.data.from_items(rows), timeout=0.5).take_all()  # an actor's tasks: no alarm
    assert "longer than" in got[0]["error"] and got[1]["error"] is None and got[1]["text"]
    assert got[0]["id"] is None and got[1]["id"] is None  # rows without an id keep none


@pytest.mark.parametrize("output_format", ["jsonl", "parquet"])
def test_the_cli_on_ray_writes_the_local_records(ray_cluster, tmp_path: Path, output_format: str) -> None:  # type: ignore[no-untyped-def]
    inputs = [*SEEDS, str(FIXTURES / "html"), _bad_jsonl(tmp_path), _pages_parquet(tmp_path)[0]]
    if DEV.is_dir():  # the dev pages, where this checkout has them
        inputs += sorted(str(p) for p in DEV.glob("*.html")) + sorted(str(p) for p in (DEV / "text").glob("*.txt"))
    out = tmp_path / "shards"
    assert main(["clean", "-q", "--engine", "ray", "--output-format", output_format, *inputs, "-o", str(out)]) == 1
    shards = sorted(out.iterdir())
    if output_format == "parquet":
        got = [row for shard in shards for row in pq.read_table(shard).to_pylist()]
    else:
        got = [json.loads(line) for shard in shards for line in shard.read_text(encoding="utf-8").splitlines()]
    local = _local(tmp_path, *inputs)
    _same(got, local)
    assert sum(r.get("error") is not None for r in got) == 3  # the bad JSONL lines, the empty row, as locally


def test_the_cli_on_ray_refuses_a_bad_rule_file_before_starting(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 rules_dir) -> None:  # type: ignore[no-untyped-def]
    folder = rules_dir(sites={"x.yaml": "id: x\ndomains: [x.example]\nrules:\n  - {id: a, action: drop_line}\n"})
    assert main(["clean", "--engine", "ray", "--rules", str(folder), SEEDS[0], "-o", str(tmp_path / "o")]) == 2
    assert "needs 'pattern' or 'text'" in capsys.readouterr().err and not (tmp_path / "o").exists()


# -- datatrove -----------------------------------------------------------------------------------------------------


def test_a_datatrove_pipeline_cleans_with_the_step_and_counts(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerStep

    source = tmp_path / "in"
    source.mkdir()
    pages = [{"id": Path(p).stem, "text": Path(p).read_text(encoding="utf-8")} for p in SEEDS]
    pages.append({"id": "menu", "text": "Home\nNews\nSport"})  # no article body: dropped, counted as empty
    (source / "pages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pages), encoding="utf-8")
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(source)), CleanerStep(), JsonlWriter(str(tmp_path / "out"), compression=None)],
        tasks=1, logging_dir=str(tmp_path / "logs"))
    executor.run()
    written = [json.loads(line) for shard in sorted((tmp_path / "out").iterdir())
               for line in shard.read_text(encoding="utf-8").splitlines()]
    cleaner = Cleaner()
    assert [d["id"] for d in written] == [p["id"] for p in pages[:-1]]
    for document, page in zip(written, pages, strict=False):
        result = cleaner.clean(page["text"], id=page["id"])
        assert document["text"] == result.text
        assert document["metadata"]["title"] == result.title and document["metadata"]["authors"] == result.authors
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "cleaner" in s["name"])["stats"]

    def total(name: str) -> int:  # datatrove writes a counter updated once as a bare number
        value = step[name]
        return value if isinstance(value, int) else value["total"]

    assert total("cleaned") == len(SEEDS) and total("empty") == 1
    assert any(name.startswith("removed/") for name in step)


def test_the_cli_on_ray_keeps_ray_datas_notices_in_its_log(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    from tests.conftest import run_cli

    done = run_cli("clean", "--engine", "ray", SEEDS[0], "-o", str(tmp_path / "shards"), "--stats",
                   str(tmp_path / "stats.json"), timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert b"\tINFO " not in done.stderr and b"1 record(s), 0 failed" in done.stderr
    for notice in (b"Token authentication", b"core_worker", b"Progress bars disabled"):
        assert notice not in done.stderr, done.stderr  # in the log the summary names
    assert b"starting a local Ray cluster" in done.stderr and b"Ray's own notices are in" in done.stderr
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["documents"] == 1 and stats["cleaned"] == 1 and stats["rules"]  # --stats holds on Ray too


# -- learned rules, shipped to Ray's actors and datatrove's tasks ---------------------------------------------------


def _learned_corpus() -> tuple[list[dict[str, str]], object, str]:
    from tests.learning_corpus import site_records

    promo = "Follow Harbour Daily on Channelgram and never miss the stories that matter to your town."
    corpus = site_records("harbourdaily.com", 20, closing=[promo])
    return corpus, Cleaner().learn(corpus), promo


def test_clean_dataset_cleans_with_rules_learned_in_a_first_pass(ray_cluster) -> None:  # type: ignore[no-untyped-def]
    from cleaner.integrations.ray import clean_dataset

    corpus, learned, promo = _learned_corpus()
    got = clean_dataset(ray_cluster.data.from_items(corpus), learned=learned, concurrency=1).take_all()
    assert len(got) == len(corpus) and all(promo not in row["text"] and row["text"] for row in got)


def test_the_cli_on_ray_learns_first_and_writes_the_local_records(ray_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus, _learned, promo = _learned_corpus()
    source = tmp_path / "export.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in corpus), encoding="utf-8")
    out = tmp_path / "shards"
    assert main(["clean", "-q", "--engine", "ray", "--learn", str(source), "-o", str(out)]) == 0
    got = [json.loads(line) for shard in sorted(out.iterdir()) for line in shard.read_text().splitlines()]
    local = tmp_path / "local.jsonl"
    assert main(["clean", "-q", "--learn", str(source), "-o", str(local)]) == 0
    _same(got, [json.loads(line) for line in local.read_text().splitlines()])
    assert all(promo not in r["text"] for r in got)


def test_a_datatrove_step_cleans_with_learned_rules(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerStep

    corpus, learned, promo = _learned_corpus()
    source = tmp_path / "in"
    source.mkdir()
    (source / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in corpus), encoding="utf-8")
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(source)), CleanerStep(learned=learned),
                  JsonlWriter(str(tmp_path / "out"), compression=None)],
        tasks=1, logging_dir=str(tmp_path / "logs"))
    executor.run()
    written = [json.loads(line) for shard in sorted((tmp_path / "out").iterdir())
               for line in shard.read_text(encoding="utf-8").splitlines()]
    assert len(written) == len(corpus) and all(promo not in d["text"] for d in written)
    stats = json.dumps(json.loads((tmp_path / "logs" / "stats.json").read_text()))
    assert "removed/learned/harbourdaily.com/line-1" in stats


# -- docs/cluster.md's examples, run as written (their bucket paths pointed at a folder here) --------------------


def _readme_block(heading: str, starts: str) -> str:
    """A Python block of docs/cluster.md, the page the README points cluster users to."""
    readme = (ROOT / "docs" / "cluster.md").read_text(encoding="utf-8")
    section = readme[readme.index(heading):]
    start = section.index("```python\n" + starts)
    block = section[start + len("```python\n"):]
    return block[:block.index("```")]


def test_the_readmes_ray_block_runs_as_written(ray_cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    block = _readme_block("# From laptop to cluster", "import ray")
    pages = tmp_path / "cc-news"
    pages.mkdir()
    texts = [Path(p).read_text(encoding="utf-8") for p in SEEDS]
    pq.write_table(pa.table({"id": [Path(p).stem for p in SEEDS], "url": [None] * len(SEEDS), "text": texts,
                             "html": [None] * len(SEEDS)}), pages / "part-0.parquet")
    block = block.replace("s3://bucket/cc-news/", f"{pages}/").replace("s3://bucket/cc-news-clean/",
                                                                        f"{tmp_path / 'clean'}/")
    assert str(pages) in block and "clean_dataset(" in block
    (tmp_path / "myrules").mkdir()
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "docs/cluster.md (Ray)", "exec"), {})  # the project's own docs
    written = [row for shard in sorted((tmp_path / "clean").glob("*.parquet"))
               for row in pq.read_table(shard).to_pylist()]
    assert sorted(r["id"] for r in written) == sorted(Path(p).stem for p in SEEDS) and all(r["text"] for r in written)


def test_the_readmes_datatrove_block_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("datatrove")
    block = _readme_block("# From laptop to cluster", "from datatrove")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.jsonl").write_text(
        "".join(json.dumps({"id": Path(p).stem, "text": Path(p).read_text(encoding="utf-8")}) + "\n" for p in SEEDS),
        encoding="utf-8")
    (tmp_path / "myrules").mkdir()
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "docs/cluster.md (datatrove)", "exec"), {})  # the project's own docs
    import gzip

    written = [json.loads(line) for shard in sorted((tmp_path / "clean").iterdir())  # gzipped: the writer's default
               for line in gzip.decompress(shard.read_bytes()).decode("utf-8").splitlines()]
    assert sorted(d["id"] for d in written) == sorted(Path(p).stem for p in SEEDS)
