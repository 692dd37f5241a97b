"""Hypothesis properties of the whole pipeline.

CI runs the default profile; `HYPOTHESIS_PROFILE=thorough` runs 100,000 examples per property.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.stages.normalise import normalise_text, split_lines
from cleaner.stages.repair import repair_text

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=100_000, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CLEANER = Cleaner()
ODD = "\u00a0\u200b\u200c\u200d\u2060\ufeff\u2003\u3000\t\r\x00"

any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.lists(
    st.sampled_from(["Baca Juga: X", "Iklan", "04:10", "(far)", "Penulis : A - Editor : B", "5 September 2023",
                     "JAKARTA - Isi.", "REPUBLIKA.CO.ID, BOGOR -- Isi.", "Topik", ".", "", " ", ODD, "&amp;nbsp;",
                     "SchÃ¶n", "kp/rs (Reuters)", "Kalimat biasa yang cukup panjang untuk sebuah berita hari ini."]),
    max_size=30).map("\n".join)

WORDS = st.sampled_from(["pemerintah", "kota", "warga", "harga", "pasar", "sekolah", "jalan", "hujan", "banjir", "rumah", "desa", "petani", "kebijakan", "anggaran", "pejabat", "menteri", "rapat", "proyek", "listrik", "air", "laut"])
sentence = st.lists(WORDS, min_size=9, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")


@given(any_text)
def test_never_raises_and_output_is_clean(text: str) -> None:
    result = CLEANER.clean(text)
    for bad in "\u00a0\u200b\u200c\u200d\u2060\ufeff\x00":
        assert bad not in result.text
    assert all(line == line.rstrip() for line in result.text.split("\n"))
    assert "\n\n\n" not in result.text


@given(any_text)
def test_cleaning_its_own_output_changes_nothing(text: str) -> None:
    once = CLEANER.clean(text).text
    assert CLEANER.clean(once).text == once


@given(st.lists(sentence, min_size=1, max_size=12, unique=True))
def test_sentences_no_rule_matches_all_survive_in_order(sentences: list[str]) -> None:
    result = CLEANER.clean("\n\n".join(sentences))
    assert result.paragraphs == sentences and not result.removed


@given(any_text)
def test_every_line_that_left_the_body_is_reported(text: str) -> None:
    normalised, _ = split_lines(normalise_text(repair_text(text)[0]))
    result = CLEANER.clean(text)
    kept = set(result.paragraphs)
    reported = {r.line for r in result.removed}
    for line in normalised:
        if line.text and line.text not in kept:
            assert line.number in reported, (line, result.removed)
