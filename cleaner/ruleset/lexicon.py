"""The chrome vocabulary by language: each language's words for each concept, in one file per language.

A rule file may hold a `lexicon:` (with the file's `language`): for each concept (`read_also`, `advertisement`,
`photo_credit`, ...), the phrases that language prints for it. The loader turns them into variables any
pattern uses as `{{lexicon_<concept>}}` (every language's phrases) or `{{lexicon_<concept>_<language>}}` (one
language's): so a language is added, read and extended in one place (`rules/generic/lexicon/<language>.yaml`),
and a concept's rules hold no list of phrases of their own. A phrase is literal text: its spaces match any run
of spaces, and it is matched as written (a rule adds `(?i:...)` where case does not matter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import regex

#: What names a concept or a language: the variable is `lexicon_<concept>` or `lexicon_<concept>_<language>`.
_NAME = regex.compile(r"[a-z][a-z0-9_]*")
#: An ISO 639-1 code (or a 639-2 one) as files, rules and the CLI write a language: "id", "de", "fil".
LANGUAGE_CODE = regex.compile(r"[a-z]{2,3}")
PREFIX = "lexicon_"


def phrase_pattern(phrase: str) -> str:
    """A phrase as a regex: literal, each run of spaces matching any run of spaces."""
    return r"\s+".join(regex.escape(word) for word in phrase.split())


def alternation(phrases: Iterable[str]) -> str:
    """Phrases as one group, longest first (so "Read also" is tried before "Read")."""
    unique = sorted({phrase_pattern(p) for p in phrases}, key=lambda p: (-len(p), p))
    return "(?:" + "|".join(unique) + ")" if unique else "(?!)"


def lexicon_problems(data: Mapping[str, Any], line: int) -> list[tuple[int, str]]:
    """What is wrong with a file's `lexicon:` (line, message)."""
    lexicon = data.get("lexicon")
    if lexicon is None:
        return []
    problems: list[tuple[int, str]] = []
    language = data.get("language")
    if not isinstance(language, str) or not LANGUAGE_CODE.fullmatch(language):
        problems.append((line, "a 'lexicon' needs the file's 'language' (an ISO 639-1 code such as 'en')"))
    if not isinstance(lexicon, dict):
        return [*problems, (line, "'lexicon' must be a mapping of concept: [phrases]")]
    for concept, phrases in lexicon.items():
        if concept.startswith("__"):
            continue
        if not isinstance(concept, str) or not _NAME.fullmatch(concept):
            problems.append((line, f"concept {concept!r} must be a lower-case name (letters, digits, _)"))
        elif not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            problems.append((line, f"concept {concept!r} must list its phrases as non-empty strings"))
    return problems


def lexicon_phrases(files: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Every file's `lexicon:` phrases by variable name (`lexicon_<concept>`, `lexicon_<concept>_<language>`):
    what a rule's literal lines (`text: ["{{lexicon_advertisement}}"]`) expand to."""
    phrases: dict[str, list[str]] = {}
    for data in files:
        lexicon, language = data.get("lexicon"), data.get("language")
        if not isinstance(lexicon, dict) or not isinstance(language, str):
            continue
        for concept, listed in lexicon.items():
            if not isinstance(concept, str) or concept.startswith("__") or not isinstance(listed, list):
                continue
            texts = [" ".join(p.split()) for p in listed if isinstance(p, str) and p.strip()]
            phrases.setdefault(f"{PREFIX}{concept}", []).extend(texts)
            phrases.setdefault(f"{PREFIX}{concept}_{language}", []).extend(texts)
    return phrases


_REFERENCE = regex.compile(r"\{\{(" + PREFIX + r"[a-z0-9_]+)\}\}")


def expand_literal(text: str, phrases: Mapping[str, list[str]]) -> list[str] | None:
    """A literal line that names a lexicon variable (`"{{lexicon_read_also}}:"`) as one line per phrase; the
    text itself when it names none; None when the variable is unknown."""
    found = _REFERENCE.search(text)
    if found is None:
        return [text]
    listed = phrases.get(found.group(1))
    if listed is None:
        return None
    return [text[:found.start()] + phrase + text[found.end():] for phrase in listed]


def lexicon_variables(files: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The variables every file's `lexicon:` makes: per concept, all languages' phrases and each one's, as
    one group each (see `alternation`)."""
    return {name: alternation(phrases) for name, phrases in lexicon_phrases(files).items()}
