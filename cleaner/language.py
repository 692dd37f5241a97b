"""The language of a cleaned body, from py3langid's packaged offline model.

The model loads on first use (about 0.1 s), once per process, so a pickled `Cleaner` stays small.
langid often reads Indonesian as Malay (`ms`) on short texts; a few high-frequency Indonesian words
settle it, since they differ between the two standards (`tidak` vs `tak`, `bisa` vs `boleh`, ...).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

#: Characters of the body that the identifier reads: enough for a stable answer, cheap on long pages.
SAMPLE = 500
#: Words far more frequent in Indonesian than in Malay text.
_INDONESIAN = regex.compile(r"\b(?:tidak|bisa|mengatakan|kepada|saat|karena|sudah|belum|juga|akan|sebanyak)\b")
_WORD = regex.compile(r"\w+")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = text[:SAMPLE]
    words = _WORD.findall(sample)
    if len(words) < 5:
        return None
    code, probability = _identifier().classify(sample)
    if code == "ms" and len(_INDONESIAN.findall(sample.lower())) >= 2:
        return "id"
    return str(code) if probability >= 0.5 else None
