"""datatrove: `CleanerStep`, a pipeline step that cleans each `Document` (`pip install 'cleaner[datatrove]'`).

The page (text or HTML) is the document's `text`; the URL comes from its metadata (`url`). The body
replaces `text`, and the record's fields go to `metadata` (`title`, `authors`, `published`, ..., `site`,
`warnings`; `cleaner_error` for a page that failed). Its counters go through datatrove's `stat_update`, so
they appear in the executor's merged stats: `cleaned`, `failed`, `empty` and one `removed/<rule>` per
rule that removed something. The same step runs under the local, Slurm and Ray executors.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from cleaner.api import Cleaner
from cleaner.fields import RECORD_FIELDS
from cleaner.learning.rulefile import LearnedRules

#: Record fields copied into `Document.metadata` (the body goes to `Document.text`; the id stays datatrove's).
METADATA_FIELDS = tuple(name for name in RECORD_FIELDS if name not in ("id", "url", "text"))


class CleanerStep(PipelineStep):  # type: ignore[misc]  # datatrove ships no type hints
    """Clean each document's page into its article body and metadata.

    `keep_failures`: a page that fails stays in the stream with `metadata["cleaner_error"]` (and its page
    as text); by default it is dropped and counted. `keep_empty`: a page without an article body stays
    (empty text); by default it is dropped and counted. `url_key` names the metadata key holding the URL.
    `learned`: rules learned in a first pass (`Cleaner.learn` over the dataset or a sample, or the folder
    `cleaner learn` wrote); `source_key` names the metadata key of the file a document came from (datatrove's
    readers set `file_path`): the group whose learned rules apply to a document without URL.
    """

    name = "\U0001f9f9 cleaner"
    type = "\U0001f527 - PROCESSING"

    def __init__(self, rules_dirs: Sequence[str] = (), *, bundled_rules: bool = True, url_key: str = "url",
                 keep_failures: bool = False, keep_empty: bool = False, timeout: float | None = None,
                 learned: LearnedRules | str | os.PathLike[str] | None = None, source_key: str = "file_path") -> None:
        super().__init__()
        self.url_key = url_key
        self.source_key = source_key
        self.keep_failures = keep_failures
        self.keep_empty = keep_empty
        self.timeout = timeout
        # A bad rule file fails here, at once; learned rules (a first pass's `Cleaner.learn`, or the folder
        # `cleaner learn` wrote) are read once and travel with the step to every task.
        self.cleaner = Cleaner(rules_dirs, bundled_rules=bundled_rules, learned=learned)

    def clean(self, document: Document) -> Document | None:
        """The document cleaned, or None when it leaves the stream (a failure, an empty body)."""
        url = document.metadata.get(self.url_key)
        source = document.metadata.get(self.source_key)  # datatrove's readers name the file a document came from
        result = self.cleaner.clean_or_error(document.text, url if isinstance(url, str) else None,
                                             id=str(document.id), timeout=self.timeout,
                                             source=source if isinstance(source, str) else None)
        if result.error is not None:
            self.stat_update("failed")
            if not self.keep_failures:
                return None
            document.metadata["cleaner_error"] = result.error
            return document
        for rule, count in Counter(removal.rule for removal in result.removed).items():
            self.stat_update(f"removed/{rule}", value=count)
        if not result.text:
            self.stat_update("empty")
            if not self.keep_empty:
                return None
        self.stat_update("cleaned")
        record = result.to_dict()
        document.text = result.text
        document.metadata.update({name: record[name] for name in METADATA_FIELDS})
        return document

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> Iterator[Document]:
        for document in data or ():
            with self.track_time():
                cleaned = self.clean(document)
            if cleaned is not None:
                yield cleaned


__all__ = ["CleanerStep"]
