"""The record's warnings about the body: one predicate where the summary, `--drop-empty` and Ray read them."""

from __future__ import annotations

import pytest

from cleaner.result import NO_BODY, is_body_warning, short_body_warning


@pytest.mark.parametrize("warning", [NO_BODY, short_body_warning(100), short_body_warning(7),
                                     "body shorter than N characters"])
def test_the_body_warnings_in_a_record_and_counted_by_kind(warning: str) -> None:
    assert is_body_warning(warning)


@pytest.mark.parametrize("warning", ["decoded as utf-16 (byte-order mark)", "no article body found here",
                                     "body shorter than expected", "the body shorter than 100 characters"])
def test_other_warnings_are_not_body_warnings(warning: str) -> None:
    assert not is_body_warning(warning)
