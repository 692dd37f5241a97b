"""`Cleaner`: the pipeline (`cleaner.pipeline.Pipeline`) with what needs the run machinery: a stream of pages
cleaned on worker processes (`clean_many`) and each site's chrome learned from a corpus (`learn`).

The library's entry point (`from cleaner import Cleaner`); it sits above the pipeline and the run, which
type what they are handed as a `Pipeline` and import nothing from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cleaner import arguments
from cleaner.learning.rulefile import LearnedRules
from cleaner.pipeline import Pipeline
from cleaner.result import CleanResult
from cleaner.run.corpus import Page
from cleaner.run.corpus import clean_many as clean_stream
from cleaner.run.learn import learn as learn_from_corpus


class Cleaner(Pipeline):
    """Cleans scraped news pages into article bodies with metadata.

    >>> cleaner = Cleaner()                       # bundled rules
    >>> result = cleaner.clean("JAKARTA - Hujan turun sejak pagi di seluruh kota hari ini.")
    >>> result.text
    'Hujan turun sejak pagi di seluruh kota hari ini.'

    `rules_dirs` adds folders of YAML rule files; a site rule there with the id
    of a bundled one replaces it. Invalid rule files raise `RuleFileError`
    (naming file, line and rule) here, before any document is read. A body
    shorter than `min_chars` characters gets a warning (see `body_warning`).
    """

    def learn(self, pages: Iterable[Page], *, jobs: int = 1, timeout: float | None = None,
              format: str | None = None) -> LearnedRules:
        """Learn each site's chrome from a corpus: the lines, frames, prefixes and suffixes many of its documents
        repeat after the bundled rules ran (see `cleaner.learning`). `pages` are what `clean_many` takes;
        documents are grouped by their URL's domain, else their site, else as one group. Write the result to
        review it (`LearnedRules.write`), or clean with it: `cleaner.with_learned(learned)`."""
        jobs, timeout, format = arguments.stream_settings(jobs, timeout, format)
        return learn_from_corpus(self, pages, jobs=jobs, timeout=timeout, format=format)

    def clean_many(
        self, pages: Iterable[Page], *, jobs: int = 1, timeout: float | None = None, format: str | None = None
    ) -> Iterator[CleanResult]:
        """Clean a stream of pages, yielding one result per page in input order (errors as results).

        A page is a `str` or `bytes`, or a record like a JSONL line's (`text` or `html`, optional `id`, `url`,
        `title`; `html` is used when non-empty); its result's `id` is the record's, else its position. With
        `jobs` > 1 worker processes clean batches: the results are the same, in the same order; a worker
        that dies costs only the pages it held, each an error result. Memory stays flat in the stream's length.
        """
        jobs, timeout, format = arguments.stream_settings(jobs, timeout, format)
        return clean_stream(self, pages, jobs=jobs, timeout=timeout, format=format)


_default: Cleaner | None = None


def clean(page: str | bytes, url: str | None = None, *, title: str | None = None) -> CleanResult:
    """Clean one page with the bundled rules (the `Cleaner` is built once and reused)."""
    global _default
    if _default is None:
        _default = Cleaner()
    return _default.clean(page, url, title=title)
