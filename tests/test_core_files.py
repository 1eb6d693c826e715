"""The one atomic write and the one file lock (dashboard/core/files.py), against real files and processes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard.core.files import LockTimeout, atomic_write, file_lock

ROOT = Path(__file__).resolve().parents[1]


def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "status.json"
    target.write_text('{"old": true}')
    with atomic_write(target) as out:
        json.dump({"new": [1, 2]}, out)
    assert json.loads(target.read_text()) == {"new": [1, 2]}
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]


def test_atomic_write_of_bytes(tmp_path):
    target = tmp_path / "figure.png"
    with atomic_write(target, binary=True) as out:
        out.write(b"\x89PNG\r\n")
    assert target.read_bytes() == b"\x89PNG\r\n"


def test_a_failure_inside_the_block_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "metadata.json"
    target.write_text("[1]")
    with pytest.raises(ValueError):
        with atomic_write(target) as out:
            out.write("[1, 2")
            raise ValueError("the data cannot be encoded")
    assert target.read_text() == "[1]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metadata.json"]


def test_a_process_killed_while_writing_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "metadata.json"
    target.write_text('["before"]')
    ready = tmp_path / "ready"
    script = (f"import time, pathlib\nfrom dashboard.core.files import atomic_write\n"
              f"with atomic_write({str(target)!r}) as out:\n"
              f"    out.write('[\"half')\n    out.flush()\n"
              f"    pathlib.Path({str(ready)!r}).touch()\n    time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        while not ready.exists():
            assert child.poll() is None, "the writer died before writing"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
    assert target.read_text() == '["before"]'
    with atomic_write(target) as out:  # the next writer is not hindered by the dead one's temporary file
        out.write('["after"]')
    assert target.read_text() == '["after"]'


def test_the_target_folder_must_exist(tmp_path):
    with pytest.raises(FileNotFoundError):
        with atomic_write(tmp_path / "no such folder" / "x.json") as out:
            out.write("{}")


def test_the_lock_is_refused_while_another_process_holds_it(tmp_path):
    lock_path = tmp_path / ".store.lock"
    held = tmp_path / "held"
    script = (f"import time, pathlib\nfrom dashboard.core.files import file_lock\n"
              f"with file_lock({str(lock_path)!r}):\n"
              f"    pathlib.Path({str(held)!r}).touch()\n    time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        while not held.exists():
            assert child.poll() is None, "the holder died before locking"
            time.sleep(0.05)
        with pytest.raises(LockTimeout):
            with file_lock(lock_path, timeout=0):
                pass
        os.kill(child.pid, signal.SIGKILL)  # a dead holder's lock is released by the system
        child.wait()
        with file_lock(lock_path, timeout=5):
            pass
    finally:
        if child.poll() is None:
            child.kill()


def test_two_threads_of_one_process_never_hold_the_lock_at_once(tmp_path):
    lock_path = tmp_path / ".log.lock"
    inside, overlaps = [], []

    def work():
        for _ in range(20):
            with file_lock(lock_path):
                inside.append(1)
                if len(inside) > 1:
                    overlaps.append(len(inside))
                time.sleep(0.001)
                inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
