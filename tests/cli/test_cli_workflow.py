"""The corpus workflow a trafilatura or datatrove user reaches for (choosing files, one page's URL, listing the
rules, tags, explain's counts, checking the project's own rules folder), each through a real subprocess."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, records, run_cli

SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini di Jakarta."
KOMPAS = FIXTURES / "sites" / "kompas.txt"


def _corpus(tmp_path: Path) -> Path:
    """A folder as a user's checkout of references holds it: pages, their references, a subfolder."""
    folder = tmp_path / "corpus"
    (folder / "2024").mkdir(parents=True)
    (folder / "a.txt").write_text("Satu. " + SENTENCE, encoding="utf-8")
    (folder / "a.expected.json").write_text('{"text": "x"}', encoding="utf-8")
    (folder / "2024" / "b.txt").write_text("Dua. " + SENTENCE, encoding="utf-8")
    (folder / "2024" / "c.html").write_text(f"<html><body><p>Tiga. {SENTENCE}</p></body></html>", encoding="utf-8")
    return folder


def test_a_folder_run_reads_every_page_file_by_default(tmp_path: Path) -> None:
    done = run_cli("clean", str(_corpus(tmp_path)), "-q")
    assert any("a.expected.json" in r["id"] for r in records(done.stdout))  # the reference is cleaned too


def test_exclude_leaves_out_the_matching_files(tmp_path: Path) -> None:
    done = run_cli("clean", str(_corpus(tmp_path)), "--exclude", "*.expected.json")
    assert done.returncode == 0, done.stderr
    assert [Path(r["id"]).name for r in records(done.stdout)] == ["b.txt", "c.html", "a.txt"]
    assert b"left out by --include/--exclude (1)" in done.stderr


def test_include_reads_only_the_matching_files_by_path_or_name(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    by_path = run_cli("clean", str(folder), "--include", "2024/*", "--exclude", "*.html", "-q")
    assert by_path.returncode == 0, by_path.stderr
    assert [Path(r["id"]).name for r in records(by_path.stdout)] == ["b.txt"]
    by_name = run_cli("clean", str(folder), "--include", "*.txt", "--include", "*.html", "-q")
    assert sorted(Path(r["id"]).name for r in records(by_name.stdout)) == ["a.txt", "b.txt", "c.html"]


def test_a_resume_with_other_globs_is_refused(tmp_path: Path) -> None:
    folder, out = _corpus(tmp_path), tmp_path / "out.jsonl"
    first = run_cli("clean", str(folder), "--exclude", "*.json", "-o", str(out), "-q")
    assert first.returncode == 0, first.stderr
    again = run_cli("clean", str(folder), "--exclude", "*.html", "--exclude", "*.json", "-o", str(out), "--resume",
                    "-q")
    assert again.returncode == 2 and b"--exclude" in again.stderr


def test_url_names_the_page_of_a_single_file() -> None:
    done = run_cli("clean", str(KOMPAS), "--url", "https://nasional.kompas.com/read/2024/05/01/x")
    assert done.returncode == 0, done.stderr
    [record] = records(done.stdout)
    assert record["url"] == "https://nasional.kompas.com/read/2024/05/01/x" and record["site"] == "kompas"


def test_url_with_a_folder_or_records_is_a_usage_error(tmp_path: Path) -> None:
    pages = tmp_path / "pages.jsonl"
    pages.write_text(json.dumps({"id": "1", "text": SENTENCE}) + "\n", encoding="utf-8")
    for inputs in ([str(_corpus(tmp_path))], [str(pages)], [str(KOMPAS), str(KOMPAS)]):
        done = run_cli("clean", *inputs, "--url", "https://example.com/a")
        assert done.returncode == 2 and b"--url names the page of a single page file" in done.stderr, inputs


def test_rules_list_names_sites_generic_sets_and_languages() -> None:
    done = run_cli("rules", "list")
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode()
    assert "  kompas " in text and "[kompas.com]" in text and "generic (" in text
    read_also = next(line for line in text.splitlines() if line.strip().startswith("read_also "))
    assert {"de", "en", "id", "ms", "vi"} <= set(read_also.split()[1:])


def test_rules_check_counts_the_projects_own_folder_as_a_copy_of_it(tmp_path: Path) -> None:
    own = run_cli("rules", "check", str(ROOT / "rules"))
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    copied = run_cli("rules", "check", str(copy))
    assert own.returncode == copied.returncode == 0, own.stderr
    assert own.stdout == copied.stdout and b" 0 rules" not in own.stdout
    generic = run_cli("rules", "check", str(ROOT / "rules" / "generic"))
    assert generic.returncode == 0, generic.stderr  # its files are generic rules, not sites without domains


def test_keywords_given_as_one_string_are_split_into_tags(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = "".join(f"<p>{SENTENCE} Kalimat nomor {n} menambah isi artikel ini.</p>" for n in range(6))
    page.write_text('<html><head><meta name="keywords" content="India, Kashmir, missile, Pakistan">'
                    f"<title>Judul</title></head><body><article><h1>Judul</h1>{body}</article></body></html>",
                    encoding="utf-8")
    done = run_cli("clean", str(page), "-q")
    [record] = records(done.stdout)
    assert record["tags"] == ["India", "Kashmir", "missile", "Pakistan"]


def test_explain_counts_what_clean_explain_removes() -> None:
    """Blank lines part paragraphs: explain credits no rule with them, so its count is clean --explain's."""
    explained = run_cli("explain", str(KOMPAS), "--color", "never")
    assert explained.returncode == 0, explained.stderr
    summary = explained.stdout.decode().strip().splitlines()[-1]
    [record] = records(run_cli("clean", str(KOMPAS), "--explain", "-q").stdout)
    assert summary.startswith(f"{len(record['removed'])} removals by ")
    assert "structure/outside-body" not in explained.stdout.decode()


def test_the_readmes_library_block_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's library example, run with a page and records of the fixtures and an empty `my_rules`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Library"):]
    block = section[section.index("```python\n") + len("```python\n"):]
    block = block[:block.index("```")]
    (tmp_path / "my_rules").mkdir()
    monkeypatch.chdir(tmp_path)
    page = KOMPAS.read_text(encoding="utf-8")
    namespace = {"page_text": page, "records": [{"id": "a", "text": page}, {"id": "b", "text": SENTENCE}]}
    exec(compile(block, "README.md (## Library)", "exec"), namespace)  # the project's own README
    assert namespace["result"].text


def test_a_page_format_that_does_not_exist_is_a_usage_error() -> None:
    from cleaner import Cleaner

    cleaner = Cleaner()
    for call in (lambda: cleaner.clean(SENTENCE, format="xml"), lambda: cleaner.clean_or_error(SENTENCE, format="xml"),
                 lambda: list(cleaner.clean_many([SENTENCE], format="xml"))):
        with pytest.raises(ValueError, match="format must be one of"):
            call()
    assert cleaner.body_warning(cleaner.clean("Satu dua tiga empat lima enam tujuh delapan.")) is not None


def test_a_resumed_runs_progress_counts_only_its_own_documents(tmp_path: Path) -> None:
    folder, out = tmp_path / "pages", tmp_path / "out.jsonl"
    folder.mkdir()
    for n in range(6):
        (folder / f"{n}.txt").write_text(f"Nomor {n}. {SENTENCE}", encoding="utf-8")
    partial = tmp_path / "out.jsonl.partial"
    first = run_cli("clean", str(folder), "-o", str(out), "-q")
    assert first.returncode == 0, first.stderr
    lines = out.read_bytes().splitlines(keepends=True)
    partial.write_bytes(b"".join(lines[:4]))  # a run stopped after four records, its run file kept
    out.unlink()
    resumed = run_cli("clean", str(folder), "-o", str(out), "--resume", "--progress")
    assert resumed.returncode == 0, resumed.stderr
    bar = resumed.stderr.decode()
    assert "2/2" in bar and "6/6" not in bar, bar
    assert len(records(out.read_bytes())) == 6


def test_the_summary_labels_the_counts_of_the_rules_that_removed_most() -> None:
    done = run_cli("clean", str(KOMPAS))
    assert done.returncode == 0
    assert b"chars in " in done.stderr and b" removals)" in done.stderr


# -- filters: --language, --rejected ----------------------------------------------------------------------------

def _languages_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(KOMPAS, folder / "1_id.txt")
    (folder / "2_de.txt").write_text(
        "Die Regierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen.\n\n"
        "Der Minister sagte, die Förderung solle ab Januar gelten und jährlich überprüft werden, und die Länder "
        "müssten ihre Pläne bis zum Sommer vorlegen.", encoding="utf-8")
    (folder / "3_short.txt").write_text("Satu dua tiga.", encoding="utf-8")
    return folder


def test_language_keeps_the_documents_of_those_languages(tmp_path: Path) -> None:
    folder, out, stats = _languages_corpus(tmp_path), tmp_path / "out.jsonl", tmp_path / "stats.json"
    done = run_cli("clean", str(folder), "--language", "id,ms", "-o", str(out), "--stats", str(stats))
    assert done.returncode == 0, done.stderr
    assert [Path(r["id"]).name for r in records(out.read_bytes())] == ["1_id.txt"]
    assert b"2 in other languages left out (--language)" in done.stderr
    assert json.loads(stats.read_text())["off_language"] == 2  # the short page's language is not known either


def test_rejected_receives_every_record_left_out_and_why(tmp_path: Path) -> None:
    folder, out, rejected = _languages_corpus(tmp_path), tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    done = run_cli("clean", str(folder), "--language", "id,de", "--drop-empty", "-o", str(out),
                   "--rejected", str(rejected), "-q")
    assert done.returncode == 0, done.stderr
    kept = [Path(r["id"]).name for r in records(out.read_bytes())]
    left = {Path(r["id"]).name: r["left_out"] for r in records(rejected.read_bytes())}
    assert kept == ["1_id.txt", "2_de.txt"] and left == {"3_short.txt": "--language"}
    done = run_cli("clean", str(folder), "--drop-empty", "-o", str(out), "--rejected", str(rejected), "-q",
                   "--overwrite")
    assert {r["left_out"] for r in records(rejected.read_bytes())} == {"--drop-empty"}


def test_rejected_and_language_misuse_are_usage_errors(tmp_path: Path) -> None:
    folder, out = _languages_corpus(tmp_path), tmp_path / "out.jsonl"
    for extra, words in ((["--rejected", str(out)], b"a file of its own"), (["--language", "german"], b"ISO 639-1"),
                         (["--rejected", str(tmp_path / "r.jsonl"), "--resume"], b"cannot be resumed")):
        done = run_cli("clean", str(folder), "-o", str(out), *extra)
        assert done.returncode == 2 and words in done.stderr, (extra, done.stderr)


# -- explain: one document of many ------------------------------------------------------------------------------

def _pages_jsonl(tmp_path: Path) -> Path:
    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps({"id": f"doc-{n}", "text": f"Halaman {n}. {SENTENCE}"}) + "\n"
                             for n in range(1, 4)), encoding="utf-8")
    return pages


def test_explain_picks_a_document_of_a_jsonl_file_by_id_or_line(tmp_path: Path) -> None:
    pages = _pages_jsonl(tmp_path)
    first = run_cli("explain", str(pages), "--color", "never")
    assert b"Halaman 1." in first.stdout
    by_id = run_cli("explain", str(pages), "--id", "doc-3", "--color", "never")
    assert by_id.returncode == 0 and b"Halaman 3." in by_id.stdout and b"Halaman 1." not in by_id.stdout
    by_line = run_cli("explain", f"{pages}:2", "--color", "never")
    assert by_line.returncode == 0 and b"Halaman 2." in by_line.stdout
    missing = run_cli("explain", str(pages), "--id", "doc-9")
    assert missing.returncode == 2 and b"no document with id 'doc-9'" in missing.stderr


def test_explain_picks_a_document_of_a_warc_or_parquet_file_by_id(tmp_path: Path) -> None:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for n in range(1, 4):
        body = f"<html><body><article><p>Halaman {n}. {SENTENCE}</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(f"https://example.com/{n}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(buffer.getvalue())
    [record] = [r for r in records(run_cli("clean", str(warc), "-q").stdout) if r["url"].endswith("/2")]
    done = run_cli("explain", str(warc), "--id", record["id"], "--color", "never")
    assert done.returncode == 0 and b"Halaman 2." in done.stdout and b"Halaman 1." not in done.stdout
    table = pa.table({"id": ["a", "b", "c"], "text": [f"Halaman {n}. {SENTENCE}" for n in range(1, 4)]})
    parquet = tmp_path / "pages.parquet"
    pq.write_table(table, parquet)
    done = run_cli("explain", str(parquet), "--id", "c", "--color", "never")
    assert done.returncode == 0 and b"Halaman 3." in done.stdout


# -- one file per document: --output-format txt|md ------------------------------------------------------------

def test_txt_output_writes_a_file_per_document_with_its_title_first(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    done = run_cli("clean", str(KOMPAS), "--output-format", "txt", "-o", str(out), "-q")
    assert done.returncode == 0, done.stderr
    [record] = records(run_cli("clean", str(KOMPAS), "-q").stdout)
    written = (out / "kompas.txt").read_text(encoding="utf-8")
    assert written == f"{record['title']}\n\n{record['text']}\n"


def test_md_output_has_front_matter_a_heading_and_safe_unique_names(tmp_path: Path) -> None:
    import yaml

    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps({"id": doc_id, "text": f"Halaman {n}. {SENTENCE}", "url": "https://x.id/a"})
                             + "\n" for n, doc_id in enumerate(["x/../y", "x y", "x:y", "c d"])), encoding="utf-8")
    out = tmp_path / "docs"
    done = run_cli("clean", str(pages), "--output-format", "md", "-o", str(out), "-q")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["c_d.md", "x_.._y.md", "x_y-2.md", "x_y.md"]
    text = (out / "c_d.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["id"] == "c d" and front["url"] == "https://x.id/a" and "Halaman 3." in text


def test_keep_dirs_keeps_the_folders_below_the_input(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    done = run_cli("clean", str(_corpus(tmp_path)), "--exclude", "*.json", "--output-format", "txt",
                   "--keep-dirs", "-o", str(out), "-q")
    assert done.returncode == 0, done.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.txt")) == ["2024/b.txt", "2024/c.txt", "a.txt"]


def test_a_folder_with_files_is_refused_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "mine.txt").write_text("the user's own file", encoding="utf-8")
    refused = run_cli("clean", str(KOMPAS), "--output-format", "txt", "-o", str(out))
    assert refused.returncode == 2 and b"holds files already" in refused.stderr
    done = run_cli("clean", str(KOMPAS), "--output-format", "txt", "-o", str(out), "--overwrite", "-q")
    assert done.returncode == 0 and (out / "kompas.txt").is_file()
    assert (out / "mine.txt").read_text(encoding="utf-8") == "the user's own file"
    for extra in (["-o", str(out / "x"), "--resume"], ["-o", "-"], ["-o", str(KOMPAS)]):
        done = run_cli("clean", str(KOMPAS), "--output-format", "md", *extra)
        assert done.returncode == 2, extra


def test_ray_reads_inputs_with_the_format_the_run_forces() -> None:
    """`--format text` under `--engine ray`: each worker reads its files with the run's format (it was ignored:
    an HTML page forced to text was cleaned as HTML on Ray)."""
    from cleaner.integrations.ray import _read_inputs

    page = str(FIXTURES / "html" / "english_byline.html")
    assert [row["format"] for row in _read_inputs({"path": page, "order": 0, "format": "text"})] == ["text"]
    assert [row["format"] for row in _read_inputs({"path": page, "order": 0, "format": "auto"})] == ["html"]


def test_two_ray_runs_with_one_output_do_not_destroy_each_others_shards(tmp_path: Path) -> None:
    """The shards folder is locked for the run: a second run with the same -o is refused, before Ray starts,
    and the first run's partial folder stays."""
    import fcntl

    pytest.importorskip("ray")
    out = tmp_path / "shards"
    partial = tmp_path / "shards.partial"
    partial.mkdir()
    (partial / "0.json").write_text("{}", encoding="utf-8")
    with open(str(partial) + ".lock", "ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # a run still writing
        done = run_cli("clean", str(KOMPAS), "--engine", "ray", "-o", str(out))
    assert done.returncode == 2 and b"another run is writing" in done.stderr
    assert (partial / "0.json").is_file()


def test_a_long_id_in_a_script_of_wide_characters_makes_a_name_a_file_system_takes(tmp_path: Path) -> None:
    pages = tmp_path / "pages.jsonl"
    pages.write_text(json.dumps({"id": "記事" * 200, "text": SENTENCE}) + "\n", encoding="utf-8")
    out = tmp_path / "docs"
    done = run_cli("clean", str(pages), "--output-format", "txt", "-o", str(out), "-q")
    assert done.returncode == 0, done.stderr
    [written] = list(out.iterdir())
    assert len(written.name.encode("utf-8")) <= 255 and written.name.startswith("記事")


# -- sharded output: --shard-size N ------------------------------------------------------------------------------

SEED_PAGES = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt"))


def _shard_records(folder: Path) -> list[dict]:
    import gzip

    import pyarrow.parquet as pq

    rows: list[dict] = []
    for shard in sorted(p for p in folder.iterdir() if p.name.startswith("part-")):
        if shard.name.endswith(".parquet"):
            rows += pq.read_table(shard).to_pylist()
        else:
            data = gzip.decompress(shard.read_bytes()) if shard.name.endswith(".gz") else shard.read_bytes()
            rows += records(data)
    return rows


@pytest.mark.parametrize(("name", "extra", "suffix"), [("out", [], ".jsonl"), ("out.jsonl.gz", [], ".jsonl.gz"),
                                                      ("out", ["--output-format", "parquet"], ".parquet")])
def test_shards_hold_the_records_of_a_whole_output_in_order(tmp_path: Path, name: str, extra: list[str],
                                                            suffix: str) -> None:
    whole = records(run_cli("clean", *SEED_PAGES, "-q").stdout)
    folder = tmp_path / name
    done = run_cli("clean", *SEED_PAGES, "-o", str(folder), "--shard-size", "2", "-q", *extra)
    assert done.returncode == 0, done.stderr
    shards = sorted(p.name for p in folder.iterdir() if p.name.startswith("part-"))
    assert shards == [f"part-0000{n}{suffix}" for n in range(3)]  # 2 + 2 + 1 records, renamed when complete
    got = _shard_records(folder)
    assert [r["id"] for r in got] == [r["id"] for r in whole]
    assert [r["text"] for r in got] == [r["text"] for r in whole]


def test_a_sharded_run_is_resumed_from_its_complete_shards(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    for extra in ([], ["--output-format", "parquet"]):
        shutil.rmtree(folder, ignore_errors=True)
        assert run_cli("clean", *SEED_PAGES, "-o", str(folder), "--shard-size", "2", "-q", "--overwrite",
                       *extra).returncode == 0
        whole = _shard_records(folder)
        last = max(p for p in folder.iterdir() if p.name.startswith("part-"))
        last.rename(last.with_name(last.name + ".partial"))  # a run stopped while writing its last shard
        refused = run_cli("clean", *SEED_PAGES, "-o", str(folder), "--shard-size", "2", *extra)
        assert refused.returncode == 2 and b"--resume continues it" in refused.stderr
        resumed = run_cli("clean", *SEED_PAGES, "-o", str(folder), "--shard-size", "2", "--resume", *extra)
        assert resumed.returncode == 0, resumed.stderr
        assert b"already in the output (4)" in resumed.stderr
        assert _shard_records(folder) == whole
        assert not any(p.name.endswith(".partial") for p in folder.iterdir())


def test_shards_are_refused_inside_an_input_folder_and_on_ray(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEED_PAGES[0], pages / "a.txt")
    inside = run_cli("clean", str(pages), "-o", str(pages / "shards"), "--shard-size", "2")
    assert inside.returncode == 2 and b"would be read as input" in inside.stderr
    ray = run_cli("clean", "--engine", "ray", str(pages), "-o", str(tmp_path / "o"), "--shard-size", "2")
    assert ray.returncode == 2 and b"--shard-size is the local run's" in ray.stderr
