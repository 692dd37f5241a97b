"""The ids of the pipeline's own steps, as a removal or a capture names them (`--explain`, `--stats`, `cleaner
explain`). A rule from a file is named `<file id>/<rule id>`; these are named by their stage, and code that
asks which step did something compares with these names, never with a string written twice."""

from __future__ import annotations

from typing import Final

#: What every structure step's id starts with (`cleaner explain` says "structure step" for them).
STRUCTURE: Final = "structure/"


class Step:
    """The built-in steps' ids, by stage."""

    # normalise: lines without a word, a line of stray punctuation joined to the paragraph before
    NORMALISE_NO_WORDS: Final = "normalise/no-words"
    STRAY_PUNCTUATION: Final = "normalise/stray-punctuation"
    # strip_chrome's structure steps: the headline and the page header above it
    PAGE_TITLE: Final = "structure/page-title"
    TITLE: Final = "structure/title"
    ABOVE_TITLE: Final = "structure/above-title"
    # the body's edges and blocks
    BEFORE_BODY: Final = "structure/before-body"
    AFTER_BODY: Final = "structure/after-body"
    OTHER_BLOCK: Final = "structure/other-block"
    LINK_LIST: Final = "structure/link-list"
    CAPTION_ABOVE_DATELINE: Final = "structure/caption-above-dateline"
    PULL_QUOTE_ABOVE_DATELINE: Final = "structure/pull-quote-above-dateline"
    NAMES_ABOVE_BODY: Final = "structure/names-above-body"
    # tidy: a body of labels only, and lines without a word
    NO_ARTICLE_BODY: Final = "structure/no-article-body"
    TIDY_NO_WORDS: Final = "tidy/no-words"
    # the HTML page's lines the extractor left out (`cleaner explain` shows them folded)
    OUTSIDE_BODY: Final = "structure/outside-body"
