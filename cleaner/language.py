"""The language of a cleaned body, from py3langid's packaged offline model.

The model loads on first use, once per process, so a pickled `Cleaner` stays small and a run whose pages
all have a site language never loads it. py3langid ships it xz-compressed, and unpacking is most of the
load; the unpacked file is kept in the cache (see `cleaner.cache`), keyed by the packaged file's bytes.
langid often reads Indonesian as Malay (`ms`) on short texts; a few high-frequency Indonesian words
settle it, since they differ between the two standards (`tidak` vs `tak`, `bisa` vs `boleh`, ...).
"""

from __future__ import annotations

import lzma
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from cleaner import cache
from cleaner.cache import content_key
from cleaner.limits import untimed

#: Characters of the body that the identifier reads: enough for a stable answer, cheap on long pages.
SAMPLE = 500
#: Words far more frequent in Indonesian than in Malay text.
_INDONESIAN = regex.compile(r"\b(?:tidak|bisa|mengatakan|kepada|saat|karena|sudah|belum|juga|akan|sebanyak)\b")
_WORD = regex.compile(r"\w+")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    with untimed():  # a one-time load, not the page's work
        return _load_identifier()


def _load_identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    unpacked = _unpacked_model(Path(MODEL_DIR) / MODEL_FILE)
    if unpacked is not None:
        import io

        import numpy as np
        from py3langid.modelio import _to_array  # type: ignore[import-untyped]

        try:
            with np.load(io.BytesIO(unpacked), allow_pickle=False) as data:
                return LanguageIdentifier(
                    data["ptc"], data["pc"], data["classes"].tolist(), _to_array(data["nextmove"]),
                    data["out_feat"].tolist(), norm_probs=True, tk_row=_to_array(data["nextmove_row"]),
                )
        except Exception:  # a damaged cache entry: the packaged model below
            pass
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _unpacked_model(packaged: Path) -> bytes | None:
    """The unpacked model's bytes: the cache's signed copy, else unpacked now (and cached); None if unreadable."""
    try:
        stat = packaged.stat()
    except OSError:
        return None
    name = f"langid-{content_key([str(packaged), str(stat.st_size), str(stat.st_mtime_ns)])}.npz"
    stored = cache.read(name)
    if stored is None:
        with lzma.open(packaged) as source:
            stored = source.read()
        cache.write(name, stored)
    return stored


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
