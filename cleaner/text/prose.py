"""Text predicates the stages judge lines by: sentence, prose, headline, label, menu shapes, in any script."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import regex

#: Words a title-case headline leaves in lower case ("Ibu yang Tegas", "Rumah di Bali"), and the separators
#: a run of words holds; any other lower-case word is the article's sentence (or not a headline).
MINOR_WORDS = frozenset({
    "di", "ke", "dari", "yang", "dan", "atau", "untuk", "dengan", "pada", "ini", "itu", "jadi", "tak", "tidak",
    "akan", "bagi", "dalam", "oleh", "si", "sang", "a", "an", "the", "of", "and", "or", "in", "on", "at", "to",
    "for", "with", "by", "from", "vs", "&", "-", "|",
})
#: A sentence end, possibly followed by a short credit in brackets: "... hari ini. (abc)", "... kata dia. [did]".
_SENTENCE_END = regex.compile(r"[.!?\u2026][\"'\u201d\u2019)]*(?:\s*(?:\([^()]{1,30}\)|\[[^\[\]]{1,30}\]))?$")
_WORD = regex.compile(r"\w+")
#: How far from the end of a line a sentence end (with quotes and a bracketed credit) can start.
_END_REACH = 100
#: The characters `_SENTENCE_END` can end on: any other last character settles it without the pattern.
_SENTENCE_LAST = frozenset(".!?\u2026\"'\u201d\u2019)]")
TITLE_SEPARATORS = (" - ", " | ", " \u2013 ", " \u2014 ", " :: ")

@functools.lru_cache(maxsize=64)
def _words_pattern(count: int) -> regex.Pattern[str]:
    # `count` runs of word characters, each after what precedes it: matches exactly when the text holds that many
    return regex.compile(rf"(?:\W*+\w++){{{count}}}")


#: `_words_pattern` of the counts the predicates ask for, looked up in a list (no cache call per line).
_WORDS_PATTERNS = [_words_pattern(count) for count in range(41)]


def has_words(text: str, count: int) -> bool:
    """At least `count` words (runs of word characters), reading no further than the count-th word."""
    pattern = _WORDS_PATTERNS[count] if 0 <= count < len(_WORDS_PATTERNS) else _words_pattern(count)
    return pattern.match(text) is not None


def ends_like_sentence(text: str) -> bool:
    """Ends with a sentence end, possibly followed by a short credit; only the line's tail is searched."""
    if not text or text[-1] not in _SENTENCE_LAST:
        return False
    return _SENTENCE_END.search(text, max(0, len(text) - _END_REACH)) is not None


#: Eight words and the seven gaps between them: a shorter line is no sentence (most menu items end here).
_SENTENCE_CHARS = 15


def reads_like_sentence(text: str) -> bool:
    """A line of the article: at least 8 words and ending like a sentence."""
    return len(text) >= _SENTENCE_CHARS and ends_like_sentence(text) and has_words(text, 8)


#: A line this long is a paragraph even without a full stop.
PROSE_WORDS = 20


def title_like(text: str) -> bool:
    """A possible headline: 2 to 30 words, not ending like a clause or a sentence with a full stop."""
    return has_words(text, 2) and len(text) <= 250 and text[-1] not in ".,;:" and not has_words(text, 31)


LETTER_WORDS = regex.compile(r"(?<![\p{L}\d])\p{L}{2,}(?![\p{L}\d])")
_INNER_SENTENCE = regex.compile(r"[.!?]\s+\p{Lu}")
INNER_FULL_STOP = regex.compile(r"\.\s+\p{Lu}")
_PUNCTUATION = regex.compile(r"[.,;:!?\"\u201c\u201d]")
HAS_WORD = regex.compile(r"\w")
_CASED_WORD = regex.compile(r"[\p{L}\d][\p{L}\d\x27\u2019-]*")


def _capitalised(words: Sequence[str]) -> bool:
    major = [w for w in words if w.casefold() not in MINOR_WORDS]
    capitalised = sum(1 for w in major if w[0].isupper() or w[0].isdigit())
    return bool(major) and capitalised >= 0.8 * len(major)


def headline_case(text: str) -> bool:
    """Set like a headline: 3 to 25 words, nearly all capitalised, one sentence at most."""
    words = _CASED_WORD.findall(text)
    if not 3 <= len(words) <= 25 or _INNER_SENTENCE.search(text):
        return False
    return _capitalised(words)


def menu_like(text: str) -> bool:
    """A run of capitalised words with no punctuation at all: a menu flattened onto one line."""
    return not _PUNCTUATION.search(text) and _capitalised(_CASED_WORD.findall(text))


def reads_like_article_sentence(text: str) -> bool:
    """A sentence of the article: `reads_like_sentence`, unless it is a headline ending in "?" or "!", or one
    cut short with "..." (a teaser list's "Ishiba Attends East Asia Summit In Laos; Regional Tensions Said T...")."""
    return reads_like_sentence(text) and not ((text[-1] != "." or text.endswith("...")) and headline_case(text))


def long_paragraph(text: str) -> bool:
    """Long enough to be a paragraph without its full stop, and not a menu flattened onto one line."""
    return len(text) >= 2 * PROSE_WORDS - 1 and has_words(text, PROSE_WORDS) and not menu_like(text)


def unit_prose(text: str) -> bool:
    """A unit of a prose paragraph (see `Page.settle_units`) is the paragraph's own unless it is set like a
    headline, a menu or a label: a short sentence ("Sekian."), or the words after the last full stop."""
    if headline_case(text) or text[0] in "([":
        return False
    if ends_like_sentence(text):
        return True
    return has_words(text, 5) and text[-1] != ":" and not menu_like(text)


#: Characters of scripts written without spaces between words, which `has_words` counts a whole sentence of
#: as one or two words: there a sentence is read by its characters.
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}]")
#: Characters of such a script that make a body's paragraph (about a sentence: a page with none is a menu) ...
UNSPACED_PROSE_CHARS = 40
#: ... that make a sentence with its end (`。`, `！`, `？`, a closing bracket after them: about eight words) ...
UNSPACED_SENTENCE_CHARS = 20
#: ... and that make a paragraph without one (longer than a headline runs).
UNSPACED_PARAGRAPH_CHARS = 80
_UNSPACED_END = regex.compile(r"[。．！？!?…][」』）)\u201d\u2019\"']*$")


#: The first code point of the scripts in `_UNSPACED` (Thai): a line whose highest code point is lower holds none.
_UNSPACED_FROM = "\u0e00"


def _unspaced_count(text: str) -> int:
    if len(text) < UNSPACED_SENTENCE_CHARS or max(text) < _UNSPACED_FROM or not _UNSPACED.search(text):
        return 0
    return len(_UNSPACED.findall(text))


def unspaced_prose(text: str) -> bool:
    """A sentence or a paragraph in a script written without spaces (Japanese, Chinese, Thai, ...): its
    characters with a sentence end, or as many as a paragraph has (a headline, however long, is not one)."""
    count = _unspaced_count(text)
    return count >= UNSPACED_PARAGRAPH_CHARS or (count >= UNSPACED_SENTENCE_CHARS
                                                 and _UNSPACED_END.search(text) is not None)


def ends_like_sentence_in_any_script(text: str) -> bool:
    """`ends_like_sentence`, or a sentence end of a script without spaces (`。`, `！`, `？`)."""
    return ends_like_sentence(text) or _UNSPACED_END.search(text) is not None


def reads_like_prose(text: str) -> bool:
    """A line structure never drops: an article sentence, or a line long enough to be a paragraph, in any
    script (in one without spaces, read by its characters)."""
    return reads_like_article_sentence(text) or long_paragraph(text) or unspaced_prose(text)


def reads_like_body(text: str) -> bool:
    """A paragraph an article body is made of (`reads_like_prose`, or a sentence's worth of characters in a
    script without spaces): a body with none of these is a page's menu or labels, not an article."""
    return reads_like_prose(text) or _unspaced_count(text) >= UNSPACED_PROSE_CHARS


def reads_like_label(text: str) -> bool:
    """A menu item, a headline or a counter ("telah dilihat 3584 kali"): set like a headline or a flattened
    menu, or under five words with no sentence end. A list item of the article ("10 de março – Interlagos")
    or a short sentence is not one."""
    return headline_case(text) or menu_like(text) or not (has_words(text, 5) or ends_like_sentence(text))


def fold_words(text: str) -> str:
    """A line's words in lower case, without punctuation: how headline copies are compared."""
    return " ".join(_WORD.findall(text.casefold()))

_LIST_ITEM = regex.compile(r"[-\u2013\u2022*\u00b7\u25aa\u25cf\u2023]\s|\(?\d{1,2}[.)]\s|\p{Ll}[.)]\s")
_FIGURES = regex.compile(r"\d\s?%|\d\s?(?i:persen|percent)\b")


def headline_shaped(text: str) -> bool:
    """Another article's headline: no sentence end (but a title-case "?"/"!" one, or "..." where it was cut
    short), not an item of a list.

    What a related-links heading takes with it; a sentence of the article, a list item (`- Partai A 41,2%`,
    `1. Menerima ...`) or a line of percentages is never one.
    """
    if _LIST_ITEM.match(text) or _FIGURES.search(text) or text[-1] in ":;,":
        return False  # a list item, figures, or a clause that goes on ("... meliputi:")
    if unspaced_prose(text):
        return False  # a sentence in a script without spaces (its words are not counted by spaces)
    capitalised = _capitalised(_CASED_WORD.findall(text))  # headlines glued into one run can be long
    if ends_like_sentence(text):
        return (text.rstrip("\"'\u201d\u2019")[-1:] in ("?", "!") or text.endswith(("...", "\u2026"))) \
            and not INNER_FULL_STOP.search(text) and capitalised
    return capitalised or not has_words(text, 8)  # a long line in sentence case is the article's
