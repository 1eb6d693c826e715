"""The one time limit (dashboard.core.timelimit): a call in a child process, killed at its limit, even inside
C code and from any thread; and the same limit for a coroutine, decided by the clock alone."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import threading

import pytest

from dashboard.core.timelimit import ChildDied, TimeLimit, TimeLimitExceeded, finish_within

# Catastrophic backtracking: one call of the C regular-expression engine that runs for hours, between
# whose steps no Python signal handler or thread exception is ever delivered.
RUNAWAY_PATTERN, RUNAWAY_TEXT = r"(a+)+$", "a" * 40 + "!"


def matched(pattern: str, text: str) -> str | None:
    found = re.match(pattern, text)
    return found.group() if found else None


def child_pid() -> int:
    return os.getpid()


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def refuse(reason: str) -> None:
    raise ValueError(reason)


WARM_UPS: list[int] = []


def count_warm_up() -> None:
    WARM_UPS.append(os.getpid())


def warm_ups() -> list[int]:
    return list(WARM_UPS)


@pytest.fixture
def limit():
    runner = TimeLimit(warm_up=count_warm_up)
    yield runner
    runner.close()


def test_a_call_stuck_in_the_regular_expression_engine_is_stopped(limit):
    with pytest.raises(TimeLimitExceeded, match="the pattern took longer than 0.5 s"):
        limit.call(0.5, matched, RUNAWAY_PATTERN, RUNAWAY_TEXT, what="the pattern")
    assert limit.call(5, matched, r"a+", "aaa") == "aaa"  # a fresh child took over


def test_the_limit_holds_on_a_thread_that_is_not_main(limit):
    outcome = {}

    def run():
        try:
            limit.call(0.5, matched, RUNAWAY_PATTERN, RUNAWAY_TEXT)
        except TimeLimitExceeded as error:
            outcome["error"] = error

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(120)
    assert not worker.is_alive() and str(outcome["error"]) == "matched took longer than 0.5 s"


def test_the_child_is_reused_and_warmed_once(limit):
    first, second = limit.call(10, child_pid), limit.call(10, child_pid)
    assert first == second != os.getpid()
    assert limit.call(10, warm_ups) == [first]
    with pytest.raises(TimeLimitExceeded):
        limit.call(0.2, matched, RUNAWAY_PATTERN, RUNAWAY_TEXT)
    replacement = limit.call(10, child_pid)
    assert replacement != first and limit.call(10, warm_ups) == [replacement]  # the new child warmed too


def test_an_error_of_the_call_is_raised_as_itself(limit):
    with pytest.raises(ValueError, match="no such article"):
        limit.call(10, refuse, "no such article")


def test_a_child_killed_from_outside_is_named_and_replaced(limit):
    with pytest.raises(ChildDied, match="the dying call: the process running it ended"):
        limit.call(10, die, what="the dying call")
    assert limit.call(10, child_pid) != os.getpid()


def test_no_limit_runs_to_the_end(limit):
    assert limit.call(None, sum, range(1000)) == 499500
    assert limit.call(0, max, [3, 9, 4]) == 9


def test_a_coroutine_over_its_limit_is_reported_as_such_whatever_its_cancellation_raises():
    async def drawing_that_fails_when_cancelled():
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            raise RuntimeError("Executor is closed") from None  # what kaleido raised on a loaded machine

    with pytest.raises(TimeLimitExceeded, match="drawing the png image took longer than 0.01 s"):
        asyncio.run(finish_within(drawing_that_fails_when_cancelled(), 0.01, "drawing the png image"))


def test_a_coroutine_that_fails_in_time_raises_its_own_error():
    async def broken():
        raise OSError("no such font")

    with pytest.raises(OSError, match="no such font"):
        asyncio.run(finish_within(broken(), 30, "drawing"))
