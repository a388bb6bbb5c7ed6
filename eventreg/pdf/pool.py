"""Worker processes for big PDF batches: each lays out and writes a chunk of the batch.

WeasyPrint lays a document out on one core. A batch of hundreds of certificates is cut into
chunks: the caller (which has the app and the database) renders each chunk's HTML, and
worker processes lay it out and write it, each with its own font configuration.

Workers are forked from a fork server, a clean process started once per parent process
(never a fork of a process holding database connections or threads). The server imports
the worker code, WeasyPrint and pypdf once, so a pool after the first starts in milliseconds
rather than the second it takes to import them; `start_server()` pays that up front.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from flask import current_app

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


class LayoutFailed(RuntimeError):
    """A worker process could not lay out or write its part of a batch."""


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, which containers narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def processes_for(count: int) -> int:
    """How many worker processes a batch of `count` documents gets; 1 means lay out here.

    PDF_PROCESSES (None: every available CPU) caps it; batches under PDF_PROCESSES_MIN_BATCH
    stay in this process, where they finish before a pool would have started.
    """
    config = current_app.config
    wanted = int(config.get("PDF_PROCESSES") or available_cpus())
    if wanted <= 1 or count < max(2, int(config["PDF_PROCESSES_MIN_BATCH"])):
        return 1
    return min(wanted, count)


def chunk_size(count: int, processes: int) -> int:
    """How many documents a worker lays out as one: PDF_CHUNK_SIZE, or fewer so that a
    small batch still keeps every process busy."""
    return max(1, min(int(current_app.config["PDF_CHUNK_SIZE"]), math.ceil(count / processes)))


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _preload(modules: Iterable[str]) -> Any:
    context = _context()
    if context.get_start_method() == "forkserver":
        # Only heeded before the server starts; later calls change nothing. "__main__" is
        # the default: the server imports the main script once so workers need not. Workers
        # cut and join PDFs with pypdf.
        context.set_forkserver_preload(["__main__", "weasyprint", "pypdf", *modules])
    return context


def start_server(*modules: str) -> None:
    """Start the fork server and wait until it has imported WeasyPrint and `modules`.

    That takes about a second, once per process; without it the first batch pays it.
    """
    context = _preload(modules)
    if context.get_start_method() == "forkserver":
        ready = context.Process(target=_nothing)  # forked once the server has imported
        ready.start()
        ready.join()
        if ready.exitcode != 0:
            raise LayoutFailed(f"the PDF fork server could not start a worker ({ready.exitcode})")


def _nothing() -> None:
    pass


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: the parent decides what stops, not the workers
    # (the job worker finishes the job in hand on SIGINT).
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def in_workers(
    work: Callable[[Chunk], Result],
    chunks: Iterable[Chunk],
    *,
    processes: int,
    describe: Callable[[int], str] = lambda index: f"chunk {index + 1}",
) -> Iterator[Result]:
    """`work(chunk)` for every chunk, in `processes` worker processes; results in chunk order.

    Chunks are handed out as the iterable yields them, so workers start on the first while
    the caller prepares the next. `work` must be a module-level function and chunks and
    results plain data (they are pickled). A chunk that raises, or a worker that dies,
    raises LayoutFailed naming the chunk (`describe(index)`); the rest are cancelled.
    """
    context = _preload([work.__module__])
    with ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_ignore_interrupts
    ) as pool:
        futures: list[Future[Result]] = []
        try:
            futures.extend(pool.submit(work, chunk) for chunk in chunks)
            for index, future in enumerate(futures):
                yield _result(future, describe(index))
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _result(future: Future[Result], what: str) -> Result:
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise LayoutFailed(
            f"a PDF worker process stopped unexpectedly while making {what} "
            "(killed, or out of memory?)"
        ) from error
    except Exception as error:
        raise LayoutFailed(
            f"making {what} failed in a PDF worker process: {type(error).__name__}: {error}"
        ) from error
