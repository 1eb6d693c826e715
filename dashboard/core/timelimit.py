"""The one time limit: a call that runs past its limit is stopped, even one stuck inside C code.

``TimeLimit.call(seconds, function, *args)`` runs ``function(*args)`` in a child process (``pebble``'s
``ProcessPool`` with one worker, reused from call to call). At the limit the child is killed and
``TimeLimitExceeded`` raised; the next call gets a fresh child. A signal (SIGALRM) or an exception raised
into a thread only lands between two Python bytecodes, so neither stops one long regular-expression match
or a C library call; killing a process does, from any thread (the app's background jobs, Dask workers).

The child starts from a fork server (a clean, single-threaded process that has imported ``preload``), so
a fresh child costs a fork, not a new interpreter; ``warm_up`` runs once in each new child, outside the
limit of any call (loading the gazetteer belongs to no article). As in any program that starts processes
this way, a script that calls it keeps its top level under ``if __name__ == "__main__":`` (the child
imports the main module; ``python -m dashboard`` and ``python -m pytest`` need nothing).

>>> limit = TimeLimit()
>>> limit.call(10, sum, [1, 2, 3])
6
>>> import time
>>> limit.call(0.5, time.sleep, 60, what="a nap")
Traceback (most recent call last):
...
dashboard.core.timelimit.TimeLimitExceeded: a nap took longer than 0.5 s
>>> limit.call(10, divmod, 7, 2)  # a fresh child took over
(3, 1)
>>> limit.close()

``finish_within`` is the same limit for a coroutine (the export's drawing in Chromium, which is its own
process already): the outcome is decided by the clock alone, never by what a cancelled call raises.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

Result = TypeVar("Result")

WARM_UP_LIMIT_S = 300.0  # a new child's warm-up (imports, the gazetteer) on a busy machine


class TimeLimitExceeded(Exception):
    """A call that ran longer than its limit: ``str()`` says what and how long, e.g.
    "drawing the png image took longer than 30 s"."""

    def __init__(self, what: str, seconds: float):
        super().__init__(f"{what} took longer than {seconds:g} s")
        self.what, self.seconds = what, seconds


class ChildDied(RuntimeError):
    """The child process ended without an answer (killed from outside, out of memory, a crash)."""


class NoChildProcess(RuntimeError):
    """This process may not start the child: it is a daemon process (e.g. a Dask worker started as one)."""


class TimeLimit:
    """A child process that runs calls under a time limit; see the module docstring.

    ``warm_up`` (a module-level function, as every ``function`` must be: it is pickled) runs in each new
    child before its first call; ``preload`` names modules the fork server imports once for every child.
    Calls from several threads queue for the one child.
    """

    def __init__(self, *, warm_up: Callable[[], Any] | None = None, preload: Iterable[str] = ()):
        self.warm_up = warm_up
        self.preload = list(preload)
        self._pool: ProcessPool | None = None
        self._warm = False  # the current child has run warm_up
        self._lock = threading.Lock()

    def call(self, seconds: float | None, function: Callable[..., Result], *args: Any, what: str = "") -> Result:
        """``function(*args)`` in the child; ``TimeLimitExceeded`` past ``seconds`` (None or 0: no limit).

        An exception raised by ``function`` is raised here; ``ChildDied`` if the child ended instead.
        """
        what = what or getattr(function, "__name__", "the call")
        pool = self._ready(what)
        future = pool.schedule(function, args=args, timeout=seconds if seconds and seconds > 0 else None)
        try:
            return future.result()
        except FutureTimeout:
            self._warm = False  # pebble replaces the killed child with a new one, not yet warmed
            raise TimeLimitExceeded(what, seconds or 0) from None
        except ProcessExpired as error:
            self._warm = False
            raise ChildDied(f"{what}: the process running it ended ({error})") from None

    def _ready(self, what: str) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                if multiprocessing.current_process().daemon:
                    raise NoChildProcess(f"{what}: this is a daemon process, which may not start the child "
                                         "process that the time limit runs calls in")
                context = multiprocessing.get_context("forkserver")
                if self.preload:
                    context.set_forkserver_preload(self.preload)
                self._pool = ProcessPool(max_workers=1, context=context)
            if not self._warm and self.warm_up is not None:
                try:
                    self._pool.schedule(self.warm_up, timeout=WARM_UP_LIMIT_S).result()
                except FutureTimeout:
                    raise TimeLimitExceeded(f"{what}: starting its process", WARM_UP_LIMIT_S) from None
                except ProcessExpired as error:
                    raise ChildDied(f"{what}: the process starting it ended ({error})") from None
            self._warm = True
            return self._pool

    def close(self) -> None:
        """Stop the child (it is started again by the next call); safe to call twice."""
        with self._lock:
            pool, self._pool, self._warm = self._pool, None, False
        if pool is not None:
            pool.stop()
            pool.join()


async def finish_within(awaitable: Awaitable[Result], seconds: float, what: str) -> Result:
    """Await ``awaitable``; past ``seconds`` cancel it and raise ``TimeLimitExceeded``.

    Whether the limit passed is decided by ``asyncio.wait`` alone: a call that raises something else
    while it is being cancelled (kaleido does) is still reported as over its limit.

    >>> asyncio.run(finish_within(asyncio.sleep(0, "drawn"), 5, "drawing"))
    'drawn'
    >>> asyncio.run(finish_within(asyncio.sleep(60), 0.01, "drawing"))
    Traceback (most recent call last):
    ...
    dashboard.core.timelimit.TimeLimitExceeded: drawing took longer than 0.01 s
    """
    task = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    task.cancel()
    task.add_done_callback(_consume)  # whatever the cancelled call ends with is not an unseen error
    raise TimeLimitExceeded(what, seconds)


def _consume(task: asyncio.Future) -> None:
    if not task.cancelled():
        task.exception()
