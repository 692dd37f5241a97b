"""Run a batch task over a stream in worker processes: results in input order, one per item, whatever happens.

Each worker holds one batch at a time and sends a result per item as it is done, so a worker that dies
(killed, out of memory, a crash in C code) costs only the item it was on: that item gets the `lost`
result naming what happened, a new worker takes its place with the rest of the batch, and the run goes
on. An item that outlives its deadline is stopped from outside (the worker is killed), which also covers
code that a signal inside the worker cannot interrupt. Workers ignore Ctrl-C; the parent stops them when
it is interrupted or when its consumer stops reading.
"""

from __future__ import annotations

import collections
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


def _serve(task: Callable[[list[Any]], list[Any]], conn: Connection, inherited: tuple[int, ...] = ()) -> None:
    """A worker's loop: batches in, one result per item out as each is done, until the parent sends None.

    A result per item tells the parent which item a worker was on when it died or overran: only that
    item is lost, and the rest of its batch is sent again. `inherited` are the parent's ends of the pipes
    (this worker's and its siblings'), which a forked worker holds too: closed here, so that when the
    parent dies, even killed, every pipe ends and every worker leaves instead of waiting forever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        number, offset, batch = message
        for index, item in enumerate(batch, start=offset):
            try:
                result: tuple[int, int, Any, str | None]
                try:
                    result = (number, index, task([item])[0], None)
                except Exception as exc:  # the task's own guard failed: the parent makes the item's lost result
                    result = (number, index, None, f"{type(exc).__name__}: {exc}")
                conn.send(result)
            except OSError:  # the parent is gone (killed): nobody reads any more, so leave quietly
                return


class WorkerStartError(RuntimeError):
    """Not one worker process could be started (the machine's limits): the run cannot go on."""


#: Why an item is lost when its worker was stopped for overrunning its deadline.
OVERRAN = "it ran past its time limit, so its worker was stopped from outside"


@dataclass
class _Worker(Generic[Item]):
    process: BaseProcess
    conn: Connection
    batch: list[Item] | None = None  # the items sent, from `offset` of batch `number`
    number: int = -1
    offset: int = 0
    done: int = 0  # results received of `batch`
    deadline: float | None = None  # for the item it is on


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
    deadline: Callable[[Item], float | None] = lambda _item: None,
    isolate: bool = False,
) -> Iterator[Result]:
    """`task` over `items` in batches, yielding one result per item in input order.

    `jobs` <= 1, or a stream of one item, runs in this process unless `isolate` is set. Otherwise `jobs`
    worker processes run the task (forked where the platform allows, so `task` need not pickle; else
    spawned, and it must). `lost(item, reason)` is the result of an item whose worker died or spent more
    than `deadline(item)` seconds on it; the rest of its batch goes on in a new worker. `isolate` puts even
    one job in a worker process, so that a deadline holds for code no signal can interrupt.
    """
    stream = iter(items)
    head = list(itertools.islice(stream, 2))
    if not isolate and (jobs <= 1 or len(head) < 2):
        for batch in batches(itertools.chain(head, stream), size, 1):
            yield from task(batch)
        return
    yield from _Pool(task, max(1, jobs), lost, deadline).run(itertools.chain(head, stream), size)


class _Pool(Generic[Item, Result]):
    """Worker processes cleaning batches, and the bookkeeping that keeps their results in input order.

    A worker is sent one batch at a time and answers item by item; an item whose worker dies or overruns its
    deadline is `lost`, the rest of its batch goes back to the front of the queue, and a new worker takes
    the dead one's place. At most `AHEAD` batches per worker are in flight, so memory stays flat.
    """

    def __init__(self, task: Callable[[list[Item]], list[Result]], jobs: int, lost: Callable[[Item, str], Result],
                 deadline: Callable[[Item], float | None]) -> None:
        self.task, self.jobs, self.lost, self.deadline = task, jobs, lost, deadline
        self.forked = "fork" in multiprocessing.get_all_start_methods()
        self.context: Any = multiprocessing.get_context("fork" if self.forked else "spawn")
        self.workers: list[_Worker[Item]] = []
        self.retry: collections.deque[tuple[int, int, list[Item]]] = collections.deque()  # lost workers' rests
        self.results: dict[int, list[Result]] = {}  # per batch number, in item order
        self.sizes: dict[int, int] = {}

    def start(self) -> _Worker[Item]:
        parent, child = self.context.Pipe()
        # A spawned worker inherits no descriptors; a forked one holds the parent's ends of all pipes so far.
        inherited = ((*(w.conn.fileno() for w in self.workers if not w.conn.closed), parent.fileno())
                     if self.forked else ())
        process = self.context.Process(target=_serve, args=(self.task, child, inherited), daemon=True,
                                       name="cleaner-worker")
        gc.freeze()  # a forked worker's collections then leave the parent's objects (and their pages) alone
        try:
            process.start()
        finally:
            gc.unfreeze()
        child.close()
        return _Worker(process, parent)

    def start_all(self) -> None:
        gc.collect()
        for _ in range(self.jobs):
            try:
                self.workers.append(self.start())
            except OSError as exc:  # out of processes or open files (a low `ulimit -n`): run with those started
                if not self.workers:
                    raise WorkerStartError(f"cannot start a worker process: {exc.strerror or exc}") from None
                break

    def renew(self, worker: _Worker[Item]) -> _Worker[Item]:
        """Stop a worker (if it still runs) and put a new one in its place."""
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.workers[self.workers.index(worker)] = fresh = self.start()
        return fresh

    def assign(self, worker: _Worker[Item], number: int, offset: int, batch: list[Item]) -> None:
        if not worker.process.is_alive():  # it died while idle: no item of this batch is to blame
            worker = self.renew(worker)
        worker.batch, worker.number, worker.offset, worker.done = batch, number, offset, 0
        self.arm(worker)
        with contextlib.suppress(OSError):  # it died while idle: its sentinel says so below
            worker.conn.send((number, offset, batch))

    def arm(self, worker: _Worker[Item]) -> None:
        assert worker.batch is not None
        limit = self.deadline(worker.batch[worker.done])
        worker.deadline = None if limit is None else time.monotonic() + limit

    def give_up(self, worker: _Worker[Item], reason: str) -> None:
        """The item the worker was on is lost; the rest of its batch is sent again; a new worker starts."""
        assert worker.batch is not None
        self.results[worker.number].append(self.lost(worker.batch[worker.done], reason))
        rest = worker.batch[worker.done + 1:]
        if rest:
            self.retry.appendleft((worker.number, worker.offset + worker.done + 1, rest))
        self.renew(worker)

    def died(self, worker: _Worker[Item]) -> None:
        worker.process.join(1.0)
        self.give_up(worker, f"its worker process died ({_describe_exit(worker.process.exitcode)})")

    def receive(self, worker: _Worker[Item], ready: set[Any]) -> None:
        """The results a worker has sent; a dead worker's, or an overrun one's, item is given up."""
        while worker.batch is not None and (worker.conn in ready or worker.conn.poll()):
            ready.discard(worker.conn)
            try:
                number, index, result, failure = worker.conn.recv()
            except (EOFError, OSError):
                self.died(worker)
                return
            item = worker.batch[worker.done]
            assert number == worker.number and index == worker.offset + worker.done
            self.results[number].append(result if failure is None else self.lost(item, f"its worker failed: {failure}"))
            worker.done += 1
            if worker.done == len(worker.batch):
                worker.batch, worker.deadline = None, None
            else:
                self.arm(worker)
        if worker.batch is None or worker not in self.workers:
            return
        if worker.process.sentinel in ready and not worker.conn.poll():
            self.died(worker)
        elif worker.deadline is not None and time.monotonic() >= worker.deadline:
            self.give_up(worker, OVERRAN)

    def run(self, items: Iterator[Item], size: Callable[[Item], int]) -> Iterator[Result]:
        self.start_all()
        pending = batches(items, size, self.jobs)
        sent = emitted = 0
        exhausted = False
        try:
            while True:
                for worker in self.workers:
                    if worker.batch is not None:
                        continue
                    if self.retry:
                        self.assign(worker, *self.retry.popleft())
                        continue
                    if exhausted or sent - emitted >= AHEAD * self.jobs:
                        continue
                    batch = next(pending, None)
                    if batch is None:
                        exhausted = True
                        continue
                    self.results[sent], self.sizes[sent] = [], len(batch)
                    self.assign(worker, sent, 0, batch)
                    sent += 1
                while emitted in self.results and len(self.results[emitted]) == self.sizes[emitted]:
                    yield from self.results.pop(emitted)
                    del self.sizes[emitted]
                    emitted += 1
                busy = [w for w in self.workers if w.batch is not None]
                if not busy:
                    if exhausted and not self.retry:
                        return
                    continue
                deadlines = [w.deadline for w in busy if w.deadline is not None]
                wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for))
                for worker in busy:
                    self.receive(worker, ready)
        finally:
            self.stop()

    def stop(self) -> None:
        """Every worker told to leave, and made to within `EXIT_GRACE` (at once if it was mid-batch)."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        ends = time.monotonic() + EXIT_GRACE
        for worker in self.workers:
            if worker.batch is not None:  # interrupted mid-batch: nobody will read its result
                worker.process.kill()
            worker.process.join(max(0.0, ends - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
