"""A wall-clock limit per document, so one pathological page cannot stall an unattended run.

Every pattern call already has a `regex` timeout; this limit covers the rest (Python loops over a page
of 200,000 lines, a slow date parse). It uses SIGALRM, which interrupts Python code between bytecodes,
so it works in the main thread on Unix; elsewhere (Windows, worker threads) it is a no-op and the
pattern timeouts remain the guard.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from cleaner.errors import DocumentTimeoutError


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `DocumentTimeoutError` in the block once `seconds` of wall time have passed."""
    usable = (
        seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise DocumentTimeoutError(f"cleaning took longer than {seconds:g} s (the --timeout limit); skipped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def untimed() -> Iterator[None]:
    """Pause a running `time_limit` around a one-time load (a model, a data file) that no page should pay for."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    remaining, _interval = signal.getitimer(signal.ITIMER_REAL)
    if not remaining:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, remaining)
