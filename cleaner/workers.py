"""Run a batch task over a stream in worker processes: results in input order, one per item, whatever happens.

Each worker holds one batch at a time, so a worker that dies (killed, out of memory, a crash in C code)
costs only the items of its batch: each gets the `lost` result naming what happened, a new worker takes
its place and the run goes on. A batch that outlives its deadline is stopped from outside (the worker is
killed), which also covers code that a signal inside the worker cannot interrupt. Workers ignore Ctrl-C;
the parent stops them when it is interrupted or when its consumer stops reading.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Largest batch, in items and in payload size: big enough that sending it costs little next to cleaning
#: it, small enough that a dead worker loses few documents and the first results come quickly.
BATCH_ITEMS = 32
BATCH_SIZE = 1_000_000
#: Batches sent ahead of the oldest unfinished one, per worker: bounds the memory a slow page can pin.
AHEAD = 4
#: Seconds a worker gets to exit after the stream ends before it is killed.
EXIT_GRACE = 5.0


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, or the machine's count where that is unknown)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, multiprocessing.cpu_count())


def batches(items: Iterable[Item], size: Callable[[Item], int], jobs: int) -> Iterator[list[Item]]:
    """The stream cut into batches that grow from one item: the first results come fast on every worker."""
    stream = iter(items)  # each batch takes up where the last one stopped
    batch: list[Item] = []
    held = 0
    for number in itertools.count():
        limit = min(BATCH_ITEMS, 2 ** (number // max(1, jobs)))
        for item in stream:
            batch.append(item)
            held += size(item)
            if len(batch) >= limit or held >= BATCH_SIZE:
                break
        if not batch:
            return
        yield batch
        batch, held = [], 0


def _serve(task: Callable[[list[Any]], list[Any]], conn: Connection) -> None:
    """A worker's loop: batches in, results out, until the parent sends None or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent decides
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        number, batch = message
        try:
            conn.send((number, task(batch), None))
        except Exception as exc:  # the task's own guard failed: the parent makes the batch's lost results
            conn.send((number, None, f"{type(exc).__name__}: {exc}"))


@dataclass
class _Worker(Generic[Item]):
    process: BaseProcess
    conn: Connection
    batch: list[Item] | None = None
    number: int = -1
    deadline: float | None = None


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def ordered_map(
    task: Callable[[list[Item]], list[Result]],
    items: Iterable[Item],
    *,
    jobs: int,
    lost: Callable[[Item, str], Result],
    size: Callable[[Item], int] = lambda _item: 1,
    deadline: Callable[[list[Item]], float | None] = lambda _batch: None,
) -> Iterator[Result]:
    """`task` over `items` in batches, yielding one result per item in input order.

    `jobs` <= 1, or a stream of one item, runs in this process. Otherwise `jobs` worker processes run
    the task (forked where the platform allows, so `task` need not pickle; else spawned, and it must).
    `lost(item, reason)` is the result of an item whose worker died or overran `deadline(batch)` seconds.
    """
    stream = iter(items)
    head = list(itertools.islice(stream, 2))
    if jobs <= 1 or len(head) < 2:
        for batch in batches(itertools.chain(head, stream), size, 1):
            yield from task(batch)
        return
    yield from _pooled(task, itertools.chain(head, stream), jobs, lost, size, deadline)


def _pooled(
    task: Callable[[list[Item]], list[Result]],
    items: Iterator[Item],
    jobs: int,
    lost: Callable[[Item, str], Result],
    size: Callable[[Item], int],
    deadline: Callable[[list[Item]], float | None],
) -> Iterator[Result]:
    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")

    def start() -> _Worker[Item]:
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(task, child), daemon=True, name="cleaner-worker")
        gc.freeze()  # a forked worker's collections then leave the parent's objects (and their pages) alone
        try:
            process.start()
        finally:
            gc.unfreeze()
        child.close()
        return _Worker(process, parent)

    gc.collect()
    workers = [start() for _ in range(jobs)]
    pending = batches(items, size, jobs)
    finished: dict[int, list[Result]] = {}
    sent = emitted = 0
    exhausted = False

    def give_up(worker: _Worker[Item], reason: str) -> None:
        assert worker.batch is not None
        finished[worker.number] = [lost(item, reason) for item in worker.batch]
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        workers[workers.index(worker)] = start()

    try:
        while True:
            for worker in workers:
                if worker.batch is not None or exhausted or sent - emitted >= AHEAD * jobs:
                    continue
                batch = next(pending, None)
                if batch is None:
                    exhausted = True
                    break
                limit = deadline(batch)
                worker.batch, worker.number = batch, sent
                worker.deadline = None if limit is None else time.monotonic() + limit
                sent += 1
                with contextlib.suppress(OSError):  # it died while idle: its sentinel says so below
                    worker.conn.send((worker.number, batch))
            while emitted in finished:
                yield from finished.pop(emitted)
                emitted += 1
            busy = [w for w in workers if w.batch is not None]
            if not busy:
                if exhausted:
                    return
                continue
            deadlines = [w.deadline for w in busy if w.deadline is not None]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for))
            for worker in busy:
                if worker.conn in ready or worker.conn.poll():
                    try:
                        number, results, failure = worker.conn.recv()
                    except (EOFError, OSError):
                        worker.process.join(1.0)
                        give_up(worker, f"its worker process died ({_describe_exit(worker.process.exitcode)})")
                        continue
                    batch = worker.batch
                    assert batch is not None and number == worker.number
                    if failure is not None:
                        results = [lost(item, f"its worker failed: {failure}") for item in batch]
                    finished[number] = results
                    worker.batch, worker.deadline = None, None
                elif worker.process.sentinel in ready:
                    worker.process.join(1.0)
                    give_up(worker, f"its worker process died ({_describe_exit(worker.process.exitcode)})")
                elif worker.deadline is not None and time.monotonic() >= worker.deadline:
                    give_up(worker, "its batch ran past the time limit; the worker was stopped")
    finally:
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        ends = time.monotonic() + EXIT_GRACE
        for worker in workers:
            if worker.batch is not None:  # interrupted mid-batch: nobody will read its result
                worker.process.kill()
            worker.process.join(max(0.0, ends - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
