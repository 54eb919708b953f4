"""Per-article work spread over worker processes, results in input order.

Articles are independent once read, so extraction and an article's graph (mapping, its
validation, its N-Triples) run in `jobs` processes. Results come back in the order the items
went in, whatever process finished first, so the output does not depend on the number of jobs.
At most `window` chunks are in flight: a large corpus is streamed, not queued whole.

Workers are forked, so they start with the parent's data pack and compiled shapes already in
memory (no pickling, and blank-node names of the shapes graph stay the same in every process).
Where fork is not available the work runs in the calling process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from etl.errors import NewskgError


class WorkerError(NewskgError):
    """A worker process died (killed, or out of memory) before it finished its articles."""


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class Workers:
    """`jobs` processes (or none, for one job) that map functions over items in order."""

    def __init__(self, jobs: int, initializer: Callable[..., None], initargs: tuple = (), *, chunk: int = 8, window: int = 64) -> None:
        self.jobs = jobs if "fork" in multiprocessing.get_all_start_methods() else 1
        self.chunk = chunk
        self.window = window
        initializer(*initargs)  # the calling process can do the work too (and does, for one job)
        self._pool = (
            ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start,
                                initargs=(os.getpid(), initializer, initargs))
            if self.jobs > 1 else None
        )

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """function(item) for each item, in the items' order."""
        if self._pool is None:
            yield from map(function, items)
            return
        pending: deque = deque()
        source = iter(items)
        while True:
            while len(pending) < self.window:
                chunk = list(islice(source, self.chunk))
                if not chunk:
                    break
                pending.append(self._pool.submit(_map_chunk, function, chunk))
            if not pending:
                return
            try:
                done = pending.popleft().result()
            except BrokenProcessPool:
                raise WorkerError(f"a worker process died before it finished its articles (killed, or out of memory?); "
                                  f"run again, or with fewer --jobs than {self.jobs}") from None
            yield from done

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def terminate(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()


def _start(parent: int, initializer: Callable[..., None], initargs: tuple) -> None:
    _die_with(parent)
    initializer(*initargs)


def _die_with(parent: int) -> None:
    """End this worker when the run that forked it ends, even by SIGKILL: a worker outlives its
    parent otherwise, since its siblings hold the task queue open, and waits on it forever."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: no such call
        return
    if os.getppid() != parent:  # the parent died before the call took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _map_chunk(function: Callable[[Any], Any], chunk: list) -> list:
    return [function(item) for item in chunk]
