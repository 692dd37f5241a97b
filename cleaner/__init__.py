"""cleaner: scraped news pages in, clean article bodies with metadata out.

    >>> from cleaner import Cleaner
    >>> result = Cleaner().clean(page_text, url="https://www.example.com/news/1")
    >>> result.text, result.title, result.published

See README.md for the output schema and how to write site rules.
"""

from cleaner.document import Removal
from cleaner.errors import CleanerError, DocumentError, DocumentTimeoutError, Problem, RuleFileError
from cleaner.pipeline import Cleaner, RuleTimeoutError, clean
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
