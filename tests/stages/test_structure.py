"""The structure steps' config: defaults for every page, a site's `structure:` block for its own pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from cleaner import Cleaner, RuleFileError
from cleaner.ruleset.schema import rule_file_schema
from cleaner.ruleset.structure import DEFAULT_STRUCTURE

URL = "https://www.test.example/news/1"
P1 = "Pemerintah Kota Bogor memperpanjang pembatasan kegiatan masyarakat selama dua pekan hingga akhir bulan ini."
P2 = "Wali Kota mengatakan angka penularan di wilayahnya belum turun secara konsisten dalam dua pekan terakhir."
P3 = "Selama perpanjangan, pasar tradisional hanya boleh buka sampai pukul dua siang dan pengunjung wajib bermasker."
LINKS = ["Harga Cabai Naik Jelang Lebaran", "Banjir Rendam Tiga Desa di Bekasi", "Jalan Tol Baru Dibuka Pekan Depan"]
#: A headline, a menu line, the article with a link list inside it, and its paragraphs printed again (nested
#: scraping).
PAGE = "\n".join(["Pemkot Bogor Perpanjang Pembatasan", "Beranda", P1, *LINKS, P2, P3, P1, P2, P3])


def _site(rules_dir: Callable[..., Path], structure: str = "") -> Cleaner:
    text = "id: testsite\nname: Test Site\ndomains: [test.example]\ntitle: {first_line: true}\n" \
           "rules:\n  - {id: repeats, action: drop_repeated}\n" + structure
    return Cleaner([rules_dir(sites={"testsite.yaml": text})], bundled_rules=False)


def test_by_default_the_structure_steps_run(rules_dir: Callable[..., Path]) -> None:
    result = _site(rules_dir).clean(PAGE, URL)
    assert not any(link in result.text for link in LINKS)  # a link list inside the body
    assert "Beranda" not in result.text  # a menu line before the first paragraph
    assert result.paragraphs.count(P2) == 1  # a block printed twice


def test_a_site_turns_link_lists_and_repeats_off(rules_dir: Callable[..., Path]) -> None:
    cleaner = _site(rules_dir, "structure:\n  link_lists: false\n  repeated_prose: false\n")
    result = cleaner.clean(PAGE, URL)
    assert all(link in result.paragraphs for link in LINKS)
    assert result.paragraphs.count(P2) == 2
    assert "Beranda" not in result.text  # the rest runs as before


def test_a_site_sets_how_long_a_link_list_is(rules_dir: Callable[..., Path]) -> None:
    result = _site(rules_dir, "structure: {link_list_run: 4}\n").clean(PAGE, URL)
    assert all(link in result.paragraphs for link in LINKS)  # three lines are no longer a list


def test_the_config_reaches_only_the_sites_pages(rules_dir: Callable[..., Path]) -> None:
    cleaner = _site(rules_dir, "structure: {link_lists: false}\n")
    assert not any(link in cleaner.clean(PAGE, "https://other.example/a").text for link in LINKS)
    assert cleaner.plan(None).structure == DEFAULT_STRUCTURE
    assert cleaner.plan("testsite").structure.link_lists is False


BAD = [
    ("structure: {link_list: 4}\n", "unknown key 'link_list' in 'structure' (did you mean 'link_lists'?)"),
    ("structure: {link_lists: 'no'}\n", "'link_lists' must be true or false, not 'no'"),
    ("structure: {edge_lines: 0}\n", "'edge_lines' must be a whole number >= 1, not 0"),
    ("structure: [link_lists]\n", "'structure' must map an option to its value"),
]


@pytest.mark.parametrize(("block", "message"), BAD, ids=[b[1][:30] for b in BAD])
def test_a_bad_structure_block_is_refused_by_loader_and_schema(rules_dir: Callable[..., Path], block: str,
                                                              message: str) -> None:
    text = "id: x\nname: X\ndomains: [x.example]\nrules: []\n" + block
    with pytest.raises(RuleFileError) as caught:
        Cleaner([rules_dir(sites={"x.yaml": text})], bundled_rules=False)
    assert message in str(caught.value)
    assert list(jsonschema.Draft202012Validator(rule_file_schema()).iter_errors(yaml.safe_load(text)))


def test_structure_belongs_to_a_site(rules_dir: Callable[..., Path]) -> None:
    with pytest.raises(RuleFileError, match="'structure' belongs in a site rule"):
        Cleaner([rules_dir(generic={"g.yaml": "id: g\nrules: []\nstructure: {header: false}\n"})], bundled_rules=False)


def test_a_title_case_line_cut_short_with_dots_is_a_teaser_not_a_sentence() -> None:
    """A teaser list's headlines cut short ("... Said T...") are not the article's sentences; a sentence that
    trails off with dots is."""
    from cleaner.text.prose import headline_shaped, reads_like_prose

    teaser = "Ishiba Attends East Asia Summit In Laos; Regional Tensions Said To Be Rising Over T..."
    assert not reads_like_prose(teaser) and headline_shaped(teaser)
    sentence = "The minister said the talks would go on for another week and that nobody knew how they would end..."
    assert reads_like_prose(sentence) and not headline_shaped(sentence)
