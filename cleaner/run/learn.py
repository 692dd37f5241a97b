"""The learning pass: every document cleaned by the bundled rules, its remaining lines offered, counted by
group in input order (on every core, the same result as on one), and the chrome chosen written as rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleaner.errors import CleanerError
from cleaner.learning.candidates import DocumentCandidates, document_candidates
from cleaner.learning.counts import count_groups
from cleaner.learning.groups import group_of
from cleaner.learning.rulefile import LearnedRules
from cleaner.ruleset.structure import DEFAULT_STRUCTURE, StructureConfig
from cleaner.run.inputs import InputDocument, parse_line
from cleaner.run.workers import ordered_map

if TYPE_CHECKING:
    from cleaner.pipeline import Pipeline
    from cleaner.run.corpus import Page


@dataclass(frozen=True)
class LearnTask:
    """A batch of documents to their offers (None for a document that could not be cleaned)."""

    cleaner: Pipeline
    timeout: float | None = None
    format: str | None = None

    def __call__(self, batch: list[InputDocument]) -> list[DocumentCandidates | None]:
        return [self.offer(parse_line(item)) for item in batch]

    def offer(self, item: InputDocument) -> DocumentCandidates | None:
        if item.error is not None or item.payload is None:
            return None
        try:
            doc = self.cleaner.stripped(item.payload, item.url, title=item.title, id=item.id, timeout=self.timeout,
                                        format=self.format or item.format, source=item.source)
        except (CleanerError, RecursionError, MemoryError):
            return None
        group = group_of(doc.url, doc.site, item.source)
        return document_candidates(group, item.id, doc.site, [line.text for line in doc.lines if line.text])


def _lost(_item: InputDocument, _reason: str) -> None:
    return None


def learn(cleaner: Pipeline, pages: Iterable[Page], *, jobs: int = 1, timeout: float | None = None,
          format: str | None = None, seen: Callable[[], object] | None = None) -> LearnedRules:
    """See `Pipeline.learn`; the CLI hands over its documents (`InputDocument`s) the same way, and `seen` is
    called once per document read (its progress bar)."""
    from cleaner.run.corpus import as_input, hard_limit, payload_size

    documents = (as_input(page, number) for number, page in enumerate(pages))
    offers = ordered_map(LearnTask(cleaner, timeout, format), documents, jobs=jobs, lost=_lost, size=payload_size,
                         deadline=hard_limit(timeout), isolate=timeout is not None and jobs > 1)
    if seen is not None:
        offers = _counted(offers, seen)
    groups = count_groups((offer for offer in offers if offer is not None), _structure(cleaner, None)
                          .learn_candidates)
    structures = {group: _structure(cleaner, counts.site) for group, counts in groups.items()}
    return LearnedRules.from_counts(groups, structures)


def _counted(offers: Iterator[DocumentCandidates | None], seen: Callable[[], object]
             ) -> Iterator[DocumentCandidates | None]:
    for offer in offers:
        seen()
        yield offer


def _structure(cleaner: Pipeline, site: str | None) -> StructureConfig:
    """A site's own thresholds (its rule file's `structure:`), else the defaults."""
    for ruleset in cleaner.sites:
        if ruleset.id == site and ruleset.structure is not None:
            return ruleset.structure
    return DEFAULT_STRUCTURE
