"""The characters the stages agree on: what normalising removes or replaces, and a stop doubled at a sentence's end."""

from __future__ import annotations

import pytest

from cleaner.text.characters import INVISIBLE, ODD_SPACE, drop_doubled_stop


@pytest.mark.parametrize(("text", "kept"), [("dua kali. .", "dua kali."), ("selesai! . .", "selesai!"),
                                            ("Rp 5 .", "Rp 5 ."), ("a . b", "a . b"), ("kata dia.", "kata dia.")])
def test_a_stop_doubled_after_a_sentence_end_goes_and_no_other(text: str, kept: str) -> None:
    assert drop_doubled_stop(text) == kept


def test_invisible_characters_and_odd_spaces_but_not_direction_marks() -> None:
    assert INVISIBLE.findall("a\u200bb\u00adc\u202ed") == ["\u200b", "\u00ad", "\u202e"]
    assert INVISIBLE.search("\u200e\u200f\u061c") is None  # LRM, RLM, ALM: Arabic and Hebrew text needs them
    assert ODD_SPACE.sub(" ", "a\u00a0b\tc\u3000d") == "a b c d"
