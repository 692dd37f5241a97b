"""cleaner: scraped news pages in, clean article bodies with metadata out.

    >>> from cleaner import Cleaner
    >>> result = Cleaner().clean(page_text, url="https://www.example.com/news/1")
    >>> result.text, result.title, result.published

See docs/output.md for the record and docs/rules.md for writing site rules (README.md points to the rest).
"""

from cleaner.api import Cleaner, clean
from cleaner.document import Removal
from cleaner.errors import CleanerError, DocumentError, DocumentTimeoutError, Problem, RuleFileError, RuleTimeoutError
from cleaner.result import CleanResult

__version__ = "0.1.0"
__all__ = [
    "CleanResult",
    "Cleaner",
    "CleanerError",
    "DocumentError",
    "DocumentTimeoutError",
    "Problem",
    "Removal",
    "RuleFileError",
    "RuleTimeoutError",
    "__version__",
    "clean",
]
