"""Fault injection: run a command of the CLI in a child process that kills itself (SIGKILL, as a power
cut or ``kill -9`` would) just before its Nth write step, for N = 1, 2, ... until the command completes.

A write step is a call that makes data durable or visible: ``WRITE_STEPS`` below (fsyncs, renames,
links, the store link's symlink, removals of folders). So a test that runs ``steps(...)`` has stopped
the command at every point where a crash can leave a different state on disk.

    python tests/faults.py 3 add report.html --store S/store   # killed just before its third write step
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
WRITE_STEPS = (("os", "fsync"), ("os", "replace"), ("os", "rename"), ("os", "link"), ("os", "symlink"),
               ("shutil", "rmtree"))
KILLED = -signal.SIGKILL


def run_killed_at(step: int, argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The command run in a child that kills itself before write step ``step`` (its return code is
    ``KILLED`` then; a command with fewer steps ends normally)."""
    return subprocess.run([sys.executable, str(Path(__file__).resolve()), str(step), *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def steps(argv_for, prepare, limit: int = 100) -> Iterator[tuple[int, Path, subprocess.CompletedProcess]]:
    """(step, its own prepared folder, the killed run) for every write step of the command.

    ``prepare(step)`` makes a fresh folder for that run and returns it; ``argv_for(folder)`` is the
    command line. Stops after the first run that was not killed (every step has been covered); fails
    when the command never completes within ``limit`` steps or when it dies otherwise.
    """
    for step in range(1, limit + 1):
        folder = prepare(step)
        result = run_killed_at(step, argv_for(folder), folder)
        if result.returncode != KILLED:
            assert step > 1, f"the command has no write step at all: {result.stderr[-2000:]}"
            assert "Traceback" not in result.stderr, result.stderr[-3000:]
            return
        assert f"fault: killed before write step {step}" in result.stderr, result.stderr[-3000:]
        yield step, folder, result
    raise AssertionError(f"the command still had write steps after {limit}")


def _kill_before_each_write(kill_at: int) -> None:
    me, count = os.getpid(), [0]
    modules = {"os": os, "shutil": shutil}

    def step(real, name):
        def wrapped(*args, **kwargs):
            if os.getpid() == me:  # not in the analysis children
                count[0] += 1
                if count[0] == kill_at:
                    sys.stderr.write(f"fault: killed before write step {kill_at} ({name})\n")
                    sys.stderr.flush()
                    os.kill(me, signal.SIGKILL)
            return real(*args, **kwargs)
        return wrapped

    for module, name in WRITE_STEPS:
        setattr(modules[module], name, step(getattr(modules[module], name), f"{module}.{name}"))


if __name__ == "__main__":
    _kill_before_each_write(int(sys.argv[1]))
    from dashboard.cli import main

    sys.exit(main(sys.argv[2:]))
