"""Each rule kind on small pages, and rule-file validation errors."""

from __future__ import annotations

import concurrent.futures
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
import regex

from cleaner import Cleaner, CleanResult, RuleFileError, RuleTimeoutError
from cleaner.errors import RuleTimeout
from cleaner.ruleset.model import VETTED_LINE_LENGTH, Action, Matcher

SENTENCE = "Pemerintah mengumumkan kebijakan baru untuk sektor pertanian pada hari ini."
OTHER = "Kebijakan itu berlaku mulai bulan depan di seluruh provinsi di Indonesia."


class OnlySite:
    """A cleaner with one site file and no bundled rules; every page comes from that site's URL."""

    def __init__(self, rules_dir: Callable[..., Path], body: str) -> None:
        site = "id: testsite\nname: Test Site\ndomains: [test.example]\n" + body
        self.cleaner = Cleaner([rules_dir(sites={"testsite.yaml": site})], bundled_rules=False)

    def clean(self, text: str) -> CleanResult:
        return self.cleaner.clean(text, "https://www.test.example/news/1")


def only(rules_dir: Callable[..., Path], body: str) -> OnlySite:
    return OnlySite(rules_dir, body)


def page(*lines: str) -> str:
    return "\n".join(lines)


def test_drop_line_by_text_and_regex(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, """
rules:
  - {id: t, action: drop_line, text: [Iklan], ignore_case: true}
  - {id: r, action: drop_line, pattern: 'Baca juga: .*'}
""")
    result = c.clean(page(SENTENCE, "IKLAN", "Baca juga: Judul lain", OTHER))
    assert result.paragraphs == [SENTENCE, OTHER]
    assert [(r.line, r.rule) for r in result.removed] == [(2, "testsite/t"), (3, "testsite/r")]


def test_drop_line_keeps_sentence_that_mentions_the_word(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: t, action: drop_line, text: [Iklan]}\n")
    text = "Iklan rokok dilarang tayang di televisi sebelum pukul sembilan malam."
    assert text in c.clean(page(text)).text


def test_drop_line_with_neighbours_never_takes_a_sentence(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: d, action: drop_line, pattern: '\\d\\d:\\d\\d', with_previous: 2}\n")
    result = c.clean(page(SENTENCE, "Judul Video Pendek", "04:10", OTHER))
    assert result.paragraphs == [SENTENCE, OTHER]


def test_drop_paragraph(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: cap, action: drop_paragraph, pattern: '.*Foto: .*'}\n")
    result = c.clean(page("", "Judul gambar", "Keterangan gambarFoto: AP", "", SENTENCE))
    assert result.paragraphs == [SENTENCE]


def test_drop_span_inside_a_paragraph(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: ad, action: drop_span, pattern: 'ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT'}\n")
    result = c.clean(page("Harga naik ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT tajam hari ini."))
    assert result.paragraphs[0] == "Harga naik tajam hari ini."
    assert result.removed[0].text == "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT"


def test_cut_prefix_captures_dateline_only_in_the_lead(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: dl, action: cut_prefix, pattern: '(?P<dateline>[A-Z ]+) - '}\n")
    lead = ["JAKARTA - " + SENTENCE, OTHER, OTHER + " Lagi.", "MEDAN - " + SENTENCE]
    result = c.clean(page(*lead))
    assert result.dateline == "Jakarta"
    assert result.paragraphs[0] == SENTENCE and result.paragraphs[-1] == "MEDAN - " + SENTENCE


def test_cut_suffix_on_the_last_paragraph(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: ini, action: cut_suffix, pattern: '\\s*\\((?P<credits>[a-z]{2,5})\\)'}\n")
    result = c.clean(page(SENTENCE + " (abc)", OTHER + " (far)"))
    assert result.paragraphs[-1] == OTHER and result.credits == ["far"]
    assert result.paragraphs[0].endswith("(abc)")


def test_capture_drops_the_line_or_keeps_it(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, """
rules:
  - {id: by, action: capture, pattern: 'Penulis: (?P<authors>.+)'}
  - {id: tag, action: capture, keep: true, pattern: 'Tag: (?P<tags>.+)'}
""")
    result = c.clean(page("Penulis: Andi Wijaya, Budi", SENTENCE, "Tag: politik, ekonomi", OTHER))
    assert result.authors == ["Andi Wijaya", "Budi"] and result.tags == ["politik", "ekonomi"]
    assert "Tag: politik, ekonomi" in result.paragraphs


def test_drop_block_with_previous(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, """
rules:
  - {id: v, action: drop_block, pattern: '\\d\\d:\\d\\d', end: 'This browser .*', with_previous: 1, max_lines: 3}
""")
    result = c.clean(page(SENTENCE, "Judul Video", "04:10", "This browser does not play it", OTHER))
    assert result.paragraphs == [SENTENCE, OTHER]


def test_drop_block_without_end_drops_nothing(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: v, action: drop_block, pattern: 'MULAI', end: 'SELESAI'}\n")
    assert c.clean(page(SENTENCE, "MULAI", OTHER)).paragraphs == [SENTENCE, "MULAI", OTHER]


def test_drop_after_footer_marker_only_below_the_body(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: f, action: drop_after, text: Topik}\n")
    result = c.clean(page("Topik", SENTENCE, "Topik", "politik ekonomi", "Penulis"))
    assert result.paragraphs == [SENTENCE]
    assert [r.rule for r in result.removed] == ["structure/before-body"] + ["testsite/f"] * 3


def test_title_and_drop_before(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, """
title: {first_line: true}
rules:
  - {id: sum, action: drop_before, pattern: 'SIGNATURE-X.*'}
  - {id: dl, action: cut_prefix, pattern: 'SIGNATURE-X, (?P<dateline>[A-Z]+) -- '}
""")
    result = c.clean(page("Judul Berita Hari Ini", "Ringkasan tanpa titik", "SIGNATURE-X, BOGOR -- " + SENTENCE))
    assert result.title == "Judul Berita Hari Ini" and result.dateline == "Bogor"
    assert result.paragraphs == [SENTENCE]


def test_title_before_anchor_drops_the_header(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "title: {before: 'Oleh: .*'}\nrules:\n  - {id: by, action: capture, pattern: 'Oleh: (?P<authors>.+)'}\n")
    result = c.clean(page("Beranda Berita Olahraga Hiburan", "Ekonomi", "Harga Beras Naik Lagi",
                          "Oleh: Sari Dewi", SENTENCE))
    assert result.title == "Harga Beras Naik Lagi" and result.authors == ["Sari Dewi"]
    assert result.paragraphs == [SENTENCE]
    assert result.category is None  # a category comes from a rule (here there is none), never from position alone


def test_head_scope_reads_only_lines_above_the_title(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, """
title: {before: '\\d+ Mei 2024'}
rules:
  - {id: crumb, action: capture, scope: head, pattern: '(?P<category>[A-Z][a-z]+)(?=[A-Z])\\S.*'}
""")
    body = "McDonaldKorp menaikkan harga menu di seluruh gerainya mulai pekan depan."
    result = c.clean(page("PolitikPemilu", "Judul Utama", "3 Mei 2024", body))
    assert result.category == "Politik" and body in result.paragraphs


def test_drop_repeated(rules_dir: Callable[..., Path]) -> None:
    c = only(rules_dir, "rules:\n  - {id: rep, action: drop_repeated}\n")
    result = c.clean(page("Keterangan foto", "Keterangan foto", SENTENCE, SENTENCE))
    assert result.paragraphs == [SENTENCE]


def test_given_title_leaves_the_body(cleaner: Cleaner) -> None:
    result = cleaner.clean(page("Judul Berita - Situs Berita", "Judul Berita", SENTENCE), title="Judul Berita")
    assert result.title == "Judul Berita" and result.text == SENTENCE


def test_user_site_rule_replaces_bundled_one(rules_dir: Callable[..., Path]) -> None:
    folder = rules_dir(sites={"ipol.yaml": "id: ipol\nname: IPOL Custom\ndomains: [ipol.id]\nrules: []\n"})
    result = Cleaner([folder]).clean("IPOL.ID – " + SENTENCE, url="https://ipol.id/x")
    assert result.outlet == "IPOL Custom" and result.site == "ipol"
    assert not [r for r in result.removed if r.rule.startswith("ipol/")]  # the bundled ipol rules are gone


def test_cleaner_pickles(rules_dir: Callable[..., Path]) -> None:
    c = Cleaner()
    clone = pickle.loads(pickle.dumps(c))
    text = (Path(__file__).parents[2] / "fixtures/seeds/001_5ac5b0db553359ce.txt").read_text()
    assert clone.clean(text).to_dict() == c.clean(text).to_dict()


def test_cleaner_runs_in_worker_processes() -> None:
    pages = [p.read_text() for p in sorted((Path(__file__).parents[2] / "fixtures/seeds").glob("*.txt"))]
    c = Cleaner()
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        remote = list(pool.map(c.clean, pages))
    assert [r.to_dict() for r in remote] == [c.clean(p).to_dict() for p in pages]


def test_pattern_timeout_on_a_page_names_the_rule(rules_dir: Callable[..., Path]) -> None:
    c = Cleaner([rules_dir(sites={"slow.yaml": "id: slow\nsignatures: ['SIGNATURE-X']\n"
                                  "rules:\n  - {id: bad, action: drop_line, pattern: '(b|bb)+$'}\n"})],
                bundled_rules=False, pattern_timeout=0.05)
    with pytest.raises(RuleTimeoutError, match="slow/bad"):
        c.clean("SIGNATURE-X\n" + "b" * 60 + "!")
    assert c.clean_or_error("SIGNATURE-X\n" + "b" * 60 + "!").error


#: How each action calls its patterns (see `Matcher`); every other action, and a rule's `end`, matches whole lines.
_METHODS = {Action.CUT_PREFIX: "match", Action.CUT_SUFFIX: "search", Action.DROP_SPAN: "finditer",
            Action.SPLIT: "finditer"}


def _matchers(cleaner: Cleaner) -> list[tuple[Matcher, str]]:
    """Every compiled matcher of the cleaner's rules, with the `regex` method it is called with."""
    found = []
    for ruleset in cleaner.rulesets:
        for rule in ruleset.rules:
            if rule.matcher is not None:
                found.append((rule.matcher, _METHODS.get(rule.action, "fullmatch")))
            if rule.end is not None:
                found.append((rule.end, "fullmatch"))
        spec = ruleset.title
        for anchor in (spec.before, spec.after, spec.pattern) if spec else ():
            if anchor is not None:
                found.append((anchor, "fullmatch"))
    return found


def test_bundled_patterns_are_vetted_and_user_patterns_keep_their_timeout(rules_dir: Callable[..., Path]) -> None:
    user = rules_dir(sites={"mine.yaml": "id: mine\ndomains: [mine.example]\n"
                                         "rules:\n  - {id: r, action: drop_line, pattern: 'x+'}\n"})
    matchers = [matcher for matcher, _ in _matchers(Cleaner([user]))]
    assert all(m.vetted for m in matchers if not m.rule.startswith("mine/"))
    assert [m.vetted for m in matchers if m.rule.startswith("mine/")] == [False]


#: Line shapes a vetted pattern is run on here, at the longest length it runs on without its timeout: the
#: load-time probes' shapes and the ones pages hold (words, a name list, punctuation runs, a glued menu).
_ADVERSARIAL = ("a", " ", "1", "Ab ", ".", "Baca juga: ", "Foto: ", "Jakarta, ", "- ", "(", "A.", "Editor: ab ",
                "KOMPAS.com - ", ": ", "| ", "Ab, ")


@pytest.mark.parametrize("shape", _ADVERSARIAL)
def test_every_bundled_pattern_finishes_on_adversarial_lines(shape: str) -> None:
    """What makes running them without a timeout safe: each finishes on the longest line it gets so run."""
    line = (shape * (VETTED_LINE_LENGTH // len(shape) + 1))[:VETTED_LINE_LENGTH - 1] + "!"
    for matcher, method in _matchers(Cleaner()):
        for pattern in matcher.patterns:
            try:
                found = getattr(pattern, method)(line, timeout=0.5)
                if method == "finditer":
                    list(found)
            except TimeoutError:
                pytest.fail(f"{matcher.rule}: {pattern.pattern!r} ran past 0.5 s ({method}) on {shape!r} lines")


def test_a_vetted_pattern_keeps_its_timeout_on_longer_lines() -> None:
    slow = Matcher(frozenset(), (regex.compile(r"(?:b|bb)+$"),), False, 0.05, "bundled/slow", vetted=True)
    with pytest.raises(RuleTimeout, match="bundled/slow"):
        slow.fullmatch("b" * (VETTED_LINE_LENGTH + 1) + "!")


# -- validation ---------------------------------------------------------------------------------------------


def problems(rules_dir: Callable[..., Path], text: str, where: str = "sites") -> str:
    folder = rules_dir(**{where: {"bad.yaml": text}})
    with pytest.raises(RuleFileError) as info:
        Cleaner([folder], bundled_rules=False)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: x\nrules: [\n  - {id: a", "bad.yaml:"),
        ("id: x\ndomains: [x.com]\nrules:\n  - {id: a, action: drop_line, patern: 'x'}\n", "did you mean 'pattern'"),
        ("id: x\ndomains: [x.com]\nrules:\n  - {id: a, action: drop_lines, pattern: 'x'}\n", "did you mean 'drop_line'"),
        ("id: x\ndomains: [x.com]\nrules:\n  - {id: a, action: drop_line, pattern: '(x'}\n", "invalid regex"),
        ("id: x\ndomains: [x.com]\nrules:\n  - {id: a, action: drop_line, pattern: '(a|aa)+$'}\n",
         "backtracks catastrophically"),
        ("id: x\ndomains: [x.com]\nrules:\n  - {id: a, action: capture, pattern: '(?P<writer>.+)'}\n",
         "not metadata fields"),
        ("id: x\ndomains: [x.com]\nrules:\n  - {id: a, action: drop_line, pattern: '{{nope}}'}\n", "unknown variable"),
        ("id: x\ndomains: [x.com]\nrules:\n  - {id: a, action: drop_line, with_next: yes, pattern: x}\n",
         "'with_next' must be a whole number"),
        ("id: x\ndomains: [x.com]\nrules:\n  - {id: a, action: drop_line}\n", "needs 'pattern' or 'text'"),
        ("id: x\nrules: []\n", "needs 'domains' or 'signatures'"),
        ("id: x\nid: y\nrules: []\n", "duplicate key"),
        ("id: x\ndomains: [x.com]\nrules: !!python/object/apply:os.system ['true']\n", "YAML error"),
        ("id: Bad Id\ndomains: [x.com]\nrules: []\n", "'id' must be"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_invalid_rule_files_are_reported_with_file_and_line(
    rules_dir: Callable[..., Path], text: str, expected: str
) -> None:
    message = problems(rules_dir, text)
    assert expected in message
    assert "bad.yaml" in message


def test_problem_names_the_line_and_rule(rules_dir: Callable[..., Path]) -> None:
    message = problems(rules_dir, "id: x\ndomains: [x.com]\nrules:\n  - id: ok\n    action: drop_line\n"
                                  "    text: a\n  - id: broken\n    action: drop_line\n    pattern: '[a'\n")
    assert "bad.yaml:9: rule 'x/broken': invalid regex" in message  # the line of the bad key


def test_generic_rules_may_not_pick_sites(rules_dir: Callable[..., Path]) -> None:
    assert "belong in a site rule" in problems(rules_dir, "id: g\ndomains: [x.com]\nrules: []\n", where="generic")


def test_missing_rules_folder(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="does not exist"):
        Cleaner([tmp_path / "nope"])
