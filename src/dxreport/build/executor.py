"""Running tasks on a second core: a helper process, or this one.

The executor knows nothing of packs: it runs module-level functions with
picklable arguments and hands their results back. The build starts it before
it reads the data, with a first task that imports the heavy libraries, so the
helper is ready by the time there is something to draw.

It is the standard library's ``ProcessPoolExecutor`` with one worker, forked
where that is cheap and safe (Linux), spawned elsewhere (Windows, macOS). With
one core (or ``--jobs 1``) every task runs in this process, when its result is
first asked for: the same work, in the same order the build asks for it.

``take_back`` runs here every task the helper has not started yet, the last
first: once this process has done its own share, it helps with the rest
(``build --all``'s Word drafts) instead of waiting.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from dxreport.errors import UserError
from dxreport.i18n import _


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers(jobs: int | None) -> int:
    """Processes to use: ``jobs`` if given, else one per core; two at the most (this one and a helper)."""
    if jobs is not None and jobs < 1:
        raise UserError(_("--jobs must be 1 or more, not {jobs}").format(jobs=jobs))
    return max(1, min(jobs if jobs is not None else cores(), 2))


def can_fork() -> bool:
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class Task:
    """A function submitted to the executor, and its result wherever it ran."""

    def __init__(self, fn: Callable[..., Any], args: tuple, future: Future | None = None) -> None:
        self.fn, self.args = fn, args
        self.future = future
        self._ran = False
        self._value: Any = None

    def done(self) -> bool:
        return self._ran or (self.future is not None and self.future.done())

    def run_here(self) -> None:
        self._value, self._ran = self.fn(*self.args), True

    def result(self) -> Any:
        if not self._ran and self.future is None:
            self.run_here()  # one process: run when first needed
        if self._ran:
            return self._value
        try:
            return self.future.result()
        except CancelledError:  # taken back, but asked for before it ran here
            self.run_here()
            return self._value


class Executor:
    """Tasks run by a helper process (``workers`` = 2) or by this one (1).
    Use as a context manager: leaving it stops the helper, whatever happened."""

    def __init__(self, workers: int = 1, warm: Callable[[], int] | None = None) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._tasks: list[Task] = []
        self._warm: Task | None = None
        if workers > 1:
            import multiprocessing

            ctx = multiprocessing.get_context("fork" if can_fork() else "spawn")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
            if warm is not None:
                # The helper's first task: it returns the helper's process id.
                self._warm = self.submit(warm)

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Task:
        task = Task(fn, args, self._pool.submit(fn, *args) if self._pool is not None else None)
        self._tasks.append(task)
        return task

    def take_back(self) -> None:
        """Run here, the last first, every task the helper has not started."""
        if self._pool is None:
            return
        for task in reversed(self._tasks):
            if task.future is not None and task.future.cancel():
                task.run_here()

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if self._pool is None:
            return
        if kind is None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            return
        # Nothing the helper makes will be used now (bad input, an error,
        # Ctrl-C): stop it rather than wait for its current task.
        with _quiet_broken_pool():
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._stop_helper()
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _stop_helper(self) -> None:
        pid = None
        if self._warm is not None and self._warm.future is not None and self._warm.future.done():
            try:
                pid = self._warm.future.result()
            except BaseException:  # noqa: BLE001 - a helper that failed to start has nothing to stop
                pid = None
        if isinstance(pid, int):
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:  # gone already
                pass
        else:
            import multiprocessing

            for child in multiprocessing.active_children():
                child.terminate()


@contextmanager
def _quiet_broken_pool() -> Iterator[None]:
    """While a stopped helper's pool is shut down: Python before 3.12 lets the pool's
    manager thread die on a future already cancelled (take_back's) when it finds the
    helper gone (CPython gh-107219, fixed in 3.12 by ignoring that error), and prints
    that thread's traceback. It is ignored here as 3.12 ignores it; any other error of
    any thread is reported as before."""
    from concurrent.futures import InvalidStateError, process

    previous = threading.excepthook

    def raised_in_the_pool(tb) -> bool:
        # The frame 3.12's fix is in: the manager thread's terminate_broken.
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_name == "terminate_broken" and code.co_filename == process.__file__:
                return True
            tb = tb.tb_next
        return False

    def hook(args: threading.ExceptHookArgs) -> None:
        if not (isinstance(args.exc_value, InvalidStateError) and raised_in_the_pool(args.exc_traceback)):
            previous(args)

    threading.excepthook = hook
    try:
        yield
    finally:
        threading.excepthook = previous


def start(jobs: int | None, warm: Callable[[], int] | None = None) -> Executor:
    """An executor with a helper process when two cores can be used, else this process alone."""
    return Executor(workers(jobs), warm)
