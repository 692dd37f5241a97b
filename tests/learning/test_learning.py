"""Learning each site's chrome from the corpus (`cleaner learn`, `clean --learn`, `Cleaner.learn`): what is
learned, what never is (the article), how the rule files look and load, and the command line end to end."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.files import OutputError
from cleaner.learning.candidates import HEAD, MIDDLE, TAIL, document_candidates, openings, prefixes, suffixes
from cleaner.learning.counts import GroupCounts, Kind, count_groups
from cleaner.learning.groups import find_group, group_of
from cleaner.learning.rulefile import LearnedRules, file_id
from tests.conftest import records, run_cli, write_jsonl
from tests.learning_corpus import article, site_records

PROMO = "Follow Harbour Daily on Channelgram and never miss the stories that matter to your town."
WIDGET = "HARBOUR DAILY EXTRA \u25b8 WATCH THE EVENING BULLETIN"
FRAME = "Elsewhere on Harbour Daily:"


def _harbour(count: int = 30, **options: object) -> list[dict[str, str]]:
    chrome: dict[str, object] = {"middle": [WIDGET], "closing": [PROMO], "frame": FRAME}
    chrome.update(options)
    return site_records("harbourdaily.com", count, **chrome)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def plain() -> Cleaner:
    return Cleaner()


# -- what one document offers -----------------------------------------------------------------------------------

def test_a_documents_lines_are_offered_with_where_they_sit() -> None:
    body = article(__import__("random").Random(1), 5)
    texts = ["MENU LINE", *body[:2], "WIDGET LINE", *body[2:], "Closing promo line that is short"]
    offer = document_candidates("g", "doc", None, texts)
    where = dict(offer.lines)
    assert where["MENU LINE"] == HEAD and where["WIDGET LINE"] == MIDDLE
    assert where["Closing promo line that is short"] == TAIL


def test_a_label_and_its_value_are_a_frame_but_a_sentence_is_not() -> None:
    offer = document_candidates("g", "doc", None, ["Elsewhere on Harbour Daily: Council Votes Again",
                                                  "Harbour: The council approved the plan on Tuesday after a long "
                                                  "debate about the old bridge and its repairs."])
    assert offer.frames == (("Elsewhere on Harbour Daily:", "Council Votes Again"),)


def test_prefixes_and_suffixes_end_and_start_at_separators() -> None:
    text = "Harbour Daily \u00bb News \u00bb The council approved the plan on Tuesday - Harbour Daily Online"
    assert prefixes(text)[:2] == ("Harbour Daily \u00bb", "Harbour Daily \u00bb News \u00bb")
    assert "- Harbour Daily Online" in suffixes(text)
    assert suffixes("The council met again on Tuesday. (hd/ab)") == ("(hd/ab)",)


# -- what a corpus teaches --------------------------------------------------------------------------------------

def test_a_sites_repeated_chrome_is_learned_and_leaves_its_articles(plain: Cleaner) -> None:
    corpus = _harbour()
    learned = plain.learn(corpus)
    [(name, text)] = learned.files
    assert name == "harbourdaily.com.yaml" and "learned_from: \"harbourdaily.com\"" in text
    assert PROMO in text and WIDGET in text and "Elsewhere on Harbour Daily" in text
    assert "seen in 30 of 30 documents" in text
    cleaner = plain.with_learned(learned)
    for record in corpus:
        result = cleaner.clean(record["text"], url=record["url"])
        assert PROMO not in result.text and WIDGET not in result.text and FRAME not in result.text
        for paragraph in record["text"].split("\n\n")[1:]:
            if paragraph not in (PROMO, WIDGET) and not paragraph.startswith(FRAME):
                assert paragraph in result.text  # every sentence of the article stays
    rules = {r.rule for r in cleaner.clean(corpus[0]["text"], url=corpus[0]["url"]).removed}
    assert {"learned/harbourdaily.com/line-1", "learned/harbourdaily.com/frame-1"} <= rules


def test_a_header_and_footer_glued_to_one_line_texts_are_cut(plain: Cleaner) -> None:
    corpus = site_records("onelinenews.net", 20, header=["Oneline News \u00bb World \u00bb"], one_line=True,
                          closing=["- Oneline News Online"])
    learned = plain.learn(corpus)
    text = dict(learned.files)["onelinenews.net.yaml"]
    assert "cut_prefix" in text and "cut_suffix" in text
    result = plain.with_learned(learned).clean(corpus[3]["text"], url=corpus[3]["url"])
    assert not result.text.startswith("Oneline News") and not result.text.endswith("Oneline News Online")
    assert "council" in result.text.lower()


def test_a_widget_and_a_label_glued_inside_one_line_texts_are_cut(plain: Cleaner) -> None:
    corpus = site_records("onelinenews.net", 20, middle=["ONELINE TV \u25b8 LIVE"], frame="Also On Oneline:",
                          one_line=True)
    learned = plain.learn(corpus)
    text = dict(learned.files)["onelinenews.net.yaml"]
    assert "^ONELINE TV \u25b8 LIVE(?= \\\\p{Lu})" in text and "^Also On Oneline:(?= \\\\p{Lu})" in text
    result = plain.with_learned(learned).clean(corpus[4]["text"], url=corpus[4]["url"])
    assert "ONELINE TV" not in result.text and "Also On Oneline" not in result.text
    removed = {r.rule for r in result.removed}
    assert "learned/onelinenews.net/opening-1" in removed


def test_openings_are_capitals_or_capitalised_labels_never_names_or_sentences() -> None:
    assert openings("KANAL WARTA TV Presiden Joko Widodo mengatakan.")[-1] == ("KANAL WARTA TV", "Presiden")
    assert openings("Sorotan Warta Kita: Harga Beras Naik") == (("Sorotan Warta Kita:", "Harga"),)
    assert openings("New York City Mayor Eric Adams said on Monday.") == ()
    assert openings("He said: We will build it.") == ()
    assert openings("JAKARTA, KOMPAS.com - Presiden mengatakan") == ()


def test_a_capitalised_name_opening_many_sentences_is_not_learned(plain: Cleaner) -> None:
    """Negative twin: the same capitals followed by the same word (a name: "BPBD DKI Jakarta") are no widget."""
    offers = [document_candidates("g", str(n), None, [f"BPBD DKI Jakarta menambah {n} pompa pada musim hujan."])
              for n in range(20)]
    assert [item for item in count_groups(offers)["g"].chrome() if item.kind == Kind.OPENING] == []


def test_two_articles_sharing_a_paragraph_teach_nothing_of_it(plain: Cleaner) -> None:
    shared = ("The regional authority said it would publish a full report on the state of the network "
              "before the end of the year, with figures for every town.")
    corpus = _harbour(shared=shared)
    learned = plain.learn(corpus)
    assert shared not in learned.files[0][1]
    result = plain.with_learned(learned).clean(corpus[0]["text"], url=corpus[0]["url"])
    assert shared in result.text


def test_a_site_with_three_documents_learns_nothing(plain: Cleaner) -> None:
    learned = plain.learn(_harbour(3))
    assert learned.files == () and learned.groups == (("harbourdaily.com", 3, 0),)


def test_a_series_standard_opening_sentence_is_the_articles(plain: Cleaner) -> None:
    opening = "This story is part of our series on how towns are changing their streets for a hotter climate."
    corpus = _harbour(opening=opening)
    learned = plain.learn(corpus)
    assert opening not in learned.files[0][1]
    assert opening in plain.with_learned(learned).clean(corpus[5]["text"], url=corpus[5]["url"]).text


def test_a_sentence_between_the_articles_paragraphs_is_never_taken(plain: Cleaner) -> None:
    """Negative twin of the closing promo: a learned sentence printed between two paragraphs stays there."""
    rules = LearnedRules((("h.yaml", "id: h\nlearned_from: harbourdaily.com\nrules:\n  - id: line-1\n"
                           f"    action: drop_line\n    text: [{json.dumps(PROMO)}]\n"),))
    cleaner = Cleaner(learned=rules)
    body = article(__import__("random").Random(3), 4)
    inside = cleaner.clean("\n\n".join([body[0], PROMO, *body[1:]]), url="https://harbourdaily.com/a")
    assert PROMO in inside.text
    closing = cleaner.clean("\n\n".join([*body, PROMO]), url="https://harbourdaily.com/a")
    assert PROMO not in closing.text and body[-1] in closing.text


def test_a_frame_never_takes_a_line_that_reads_like_prose() -> None:
    rules = LearnedRules((("h.yaml", "id: h\nlearned_from: harbourdaily.com\nrules:\n  - id: frame-1\n"
                           "    action: drop_line\n    pattern: 'Harbour ?: ?.{1,300}'\n"),))
    body = article(__import__("random").Random(4), 3)
    dateline = "Harbour: " + body[0]
    result = Cleaner(learned=rules).clean("\n\n".join([dateline, *body[1:], "Harbour: Council Votes Again"]),
                                          url="https://harbourdaily.com/b")
    assert dateline in result.text and "Council Votes Again" not in result.text


def test_learned_rules_apply_to_their_group_only(plain: Cleaner) -> None:
    learned = plain.learn(_harbour())
    other = site_records("otherpaper.org", 1, closing=[PROMO])[0]
    result = plain.with_learned(learned).clean(other["text"], url=other["url"])
    assert PROMO in result.text


def test_learning_is_deterministic_on_one_core_or_several(plain: Cleaner) -> None:
    corpus = _harbour() + site_records("lowtide.net", 12, closing=["Lowtide thanks its readers, always."])
    once = plain.learn(corpus)
    assert plain.learn(corpus, jobs=2).files == once.files == plain.learn(corpus).files


def test_counting_forgets_rare_candidates_past_its_bound() -> None:
    counts = GroupCounts("g")
    for n in range(50):
        counts.add(document_candidates("g", str(n), None, [f"unique line {n}", "common line"]), most=20)
    assert len(counts.lines) <= 20 and counts.lines["common line"].documents == 50


def test_a_candidate_needs_its_share_of_the_sites_documents() -> None:
    offers = [document_candidates("g", str(n), None, ["rare widget"] if n < 5 else ["other"]) for n in range(40)]
    [found] = count_groups(offers)["g"].chrome()
    assert found.kind == Kind.LINE and found.text == "other"  # 5 of 40 is under 30 percent


# -- groups --------------------------------------------------------------------------------------------------------

def test_documents_group_by_domain_then_site_then_input() -> None:
    assert group_of("https://news.harbourdaily.co.uk/a", "x", "f") == "harbourdaily.co.uk"
    assert group_of(None, "tempo", "f.jsonl") == "site:tempo"
    assert group_of(None, None, "./exports/a.jsonl") == "input:exports/a.jsonl"
    assert group_of(None, None, None) == "input:-"
    groups = {"input:pages": 1}
    assert find_group(groups, None, None, "pages/2024/a.txt") == 1  # a file of a learned folder
    assert find_group(groups, None, None, "other/a.txt") is None


def test_file_ids_are_safe_and_distinct() -> None:
    assert file_id("harbourdaily.com") == "harbourdaily.com"
    assert file_id("input:a/b.jsonl") != file_id("input:a-b.jsonl")
    assert all(c.isalnum() or c in "._-" for c in file_id("input:Ünïcode path/x"))


# -- rule files --------------------------------------------------------------------------------------------------

def test_written_files_load_as_rules_and_a_second_write_is_refused(tmp_path: Path, plain: Cleaner) -> None:
    learned = plain.learn(_harbour()).write(tmp_path / "learned")
    again = LearnedRules.read(tmp_path / "learned")
    assert again.files == learned.files
    with pytest.raises(OutputError, match="earlier run"):
        learned.write(tmp_path / "learned")
    (tmp_path / "learned" / "mine.yaml").write_text("id: mine\ndomains: [x.com]\nrules: []\n")
    learned.write(tmp_path / "learned", overwrite=True)
    assert (tmp_path / "learned" / "mine.yaml").exists()  # a user's own file is never removed
    cleaner = Cleaner([tmp_path / "learned"])  # kept with the user's --rules, they act the same
    corpus = _harbour()
    assert PROMO not in cleaner.clean(corpus[0]["text"], url=corpus[0]["url"]).text


def test_a_learned_file_may_not_claim_domains(tmp_path: Path) -> None:
    from cleaner.errors import RuleFileError

    (tmp_path / "x.yaml").write_text("id: x\nlearned_from: x.com\ndomains: [x.com]\nrules: []\n")
    with pytest.raises(RuleFileError, match="belong in a site rule"):
        Cleaner([tmp_path], bundled_rules=False)


# -- the command line ------------------------------------------------------------------------------------------

def test_cli_learn_writes_checked_rule_files_and_clean_uses_them(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "export.jsonl", _harbour())
    done = run_cli("learn", str(corpus), "-o", str(tmp_path / "rules"), "-j", "2")
    assert done.returncode == 0, done.stderr
    assert b"harbourdaily.com: 3 rule(s) from 30 document(s)" in done.stderr
    assert run_cli("rules", "check", str(tmp_path / "rules")).returncode == 0
    refused = run_cli("learn", str(corpus), "-o", str(tmp_path / "rules"))
    assert refused.returncode == 2 and b"--overwrite" in refused.stderr
    cleaned = run_cli("clean", str(corpus), "--learned", str(tmp_path / "rules"), "-q", "--explain")
    assert cleaned.returncode == 0
    out = records(cleaned.stdout)
    assert all(PROMO not in r["text"] for r in out)
    assert any(x["rule"] == "learned/harbourdaily.com/line-1" for x in out[0]["removed"])
    shown = run_cli("explain", f"{corpus}:2", "--learned", str(tmp_path / "rules"), "--color", "never")
    assert b"learned/harbourdaily.com/line-1 (" in shown.stdout and b"harbourdaily.com.yaml:" in shown.stdout


def test_cli_clean_learn_keeps_its_rules_beside_the_output(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "export.jsonl", _harbour())
    out = tmp_path / "out.jsonl"
    done = run_cli("clean", str(corpus), "--learn", "-o", str(out), "--stats", str(tmp_path / "stats.json"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.jsonl.learned" / "harbourdaily.com.yaml").exists()
    assert all(PROMO not in r["text"] for r in records(out.read_bytes()))
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert "learned/harbourdaily.com/line-1" in json.dumps(stats)
    sample = write_jsonl(tmp_path / "sample.jsonl", _harbour(10))
    other = run_cli("clean", str(corpus), "--learn-from", str(sample), "-q")
    assert other.returncode == 0 and all(PROMO not in r["text"] for r in records(other.stdout))


def test_rules_test_runs_the_examples_beside_a_learned_file(tmp_path: Path, plain: Cleaner) -> None:
    """A learned file is tested like a site's: its examples (without URL) are cleaned as pages of its group."""
    corpus = _harbour()
    folder = tmp_path / "learned"
    plain.learn(corpus).write(folder)
    tests = folder / "harbourdaily.com.tests"
    tests.mkdir()
    (tests / "one.txt").write_text(corpus[7]["text"], encoding="utf-8")
    (tests / "one.expected.json").write_text(json.dumps({"chrome_lines": [PROMO, WIDGET]}), encoding="utf-8")
    done = run_cli("rules", "test", str(folder))
    assert done.returncode == 0 and b"1 passed, 0 failed" in done.stdout, done.stdout
    (folder / "harbourdaily.com.yaml").write_text("id: harbourdaily.com\nlearned_from: harbourdaily.com\n"
                                                  "rules: []\n", encoding="utf-8")
    failed = run_cli("rules", "test", str(folder))
    assert failed.returncode == 1 and b"chrome line survived" in failed.stdout


def test_cli_learning_refuses_standard_input_and_mixed_options(tmp_path: Path) -> None:
    stdin = run_cli("clean", "-", "--learn", stdin=b"text")
    assert stdin.returncode == 2 and b"standard input" in stdin.stderr
    piped = run_cli("learn", "-", "-o", str(tmp_path / "r"), "-q", "--format", "jsonl",
                    stdin="".join(json.dumps(r) + "\n" for r in _harbour(12)).encode())
    assert piped.returncode == 0 and (tmp_path / "r" / "harbourdaily.com.yaml").exists()  # read once: it may
    both = run_cli("clean", "x.txt", "--learn", "--learned", str(tmp_path))
    assert both.returncode == 2 and b"--learned" in both.stderr


def test_cli_learns_from_folders_warc_and_parquet(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    corpus = _harbour(12)
    folder = tmp_path / "pages"
    folder.mkdir()
    for record in corpus:
        (folder / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")
    done = run_cli("learn", str(folder), "-o", str(tmp_path / "from-folder"), "-q")
    [written] = (tmp_path / "from-folder").iterdir()
    assert done.returncode == 0 and written.name.startswith("input-") and "pages" in written.name
    shown = run_cli("explain", str(folder / "harbourdaily.com-3.txt"), "--learned", str(tmp_path / "from-folder"),
                    "--color", "never")
    assert b"learned/input-" in shown.stdout  # a file of the folder has the folder's rules
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for record in corpus:
        paragraphs = "".join(f"<p>{p}</p>" for p in record["text"].split("\n\n"))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(record["url"], "response", http_headers=headers,
                                                      payload=io.BytesIO(f"<html><body><article>{paragraphs}"
                                                                         "</article></body></html>".encode())))
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(buffer.getvalue())
    assert run_cli("learn", str(warc), "-o", str(tmp_path / "from-warc"), "-q").returncode == 0
    assert (tmp_path / "from-warc" / "harbourdaily.com.yaml").exists()
    parquet = tmp_path / "pages.parquet"
    pq.write_table(pa.table({key: [r[key] for r in corpus] for key in ("id", "url", "text")}), parquet)
    assert run_cli("learn", str(parquet), "-o", str(tmp_path / "from-parquet"), "-q").returncode == 0
    assert (tmp_path / "from-parquet" / "harbourdaily.com.yaml").exists()


def test_a_learned_file_follows_the_rule_file_schema(plain: Cleaner) -> None:
    import jsonschema
    import yaml

    from cleaner.ruleset.schema import rule_file_schema

    corpus = _harbour() + site_records("onelinenews.net", 20, header=["Oneline News \u00bb World \u00bb"],
                                       one_line=True, closing=["- Oneline News Online"])
    for _name, text in plain.learn(corpus).files:
        jsonschema.validate(yaml.safe_load(text), rule_file_schema())


def test_a_resumed_run_must_have_learned_the_same_rules(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "export.jsonl", _harbour(12))
    out = tmp_path / "out.jsonl"
    assert run_cli("clean", str(corpus), "--learn", "-o", str(out), "-q").returncode == 0
    again = run_cli("clean", str(corpus), "--learn", "-o", str(out), "--resume")
    assert again.returncode == 0 and b"already in the output (12)" in again.stderr
    edited = tmp_path / "edited"
    edited.mkdir()
    (edited / "harbourdaily.com.yaml").write_text("id: harbourdaily.com\nlearned_from: harbourdaily.com\n"
                                                  "rules: []\n", encoding="utf-8")
    refused = run_cli("clean", str(corpus), "--learned", str(edited), "-o", str(out), "--resume")
    assert refused.returncode == 2 and b"the rules" in refused.stderr
