"""The one way to replace a file whole and the one way to lock a file between processes.

``atomic_write`` writes to a temporary file in the same folder, fsyncs it, renames it over the target
(``os.replace``: readers see the old file or the new one, never half of either) and fsyncs the folder
(so the rename itself survives a power cut). ``file_lock`` is an exclusive lock held by one process (and
one thread) at a time, from the ``filelock`` package.

>>> import json, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with file_lock(folder / ".notes.lock"):
...     with atomic_write(folder / "notes.json") as out:
...         json.dump({"seen": 3}, out)
>>> json.loads((folder / "notes.json").read_text())
{'seen': 3}
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from filelock import FileLock, Timeout

__all__ = ["LockTimeout", "atomic_write", "file_lock", "fsync_folder"]

LockTimeout = Timeout  # raised by file_lock(..., timeout=t) when another holder keeps the lock past t seconds


@contextlib.contextmanager
def atomic_write(path: str | Path, *, binary: bool = False, encoding: str = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; on a clean exit it replaces ``path`` whole.

    An exception inside the block (or a crash) leaves ``path`` as it was and no temporary file behind
    (a killed process may leave a ``.NAME.*.tmp``, which is never read as the file).

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "report.txt"
    >>> with atomic_write(target) as out:
    ...     _ = out.write("first")
    >>> try:
    ...     with atomic_write(target) as out:
    ...         _ = out.write("half a second version")
    ...         raise RuntimeError("disk gone")
    ... except RuntimeError:
    ...     pass
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('first', ['report.txt'])
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb" if binary else "w", **({} if binary else {"encoding": encoding})) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: str | Path) -> None:
    """Make a folder's entries (a rename, a new file) durable; a file system that cannot is left be."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def file_lock(path: str | Path, *, timeout: float = -1) -> FileLock:
    """An exclusive lock on the file ``path`` (created if need be), used as ``with file_lock(p): ...``.

    ``timeout`` -1 waits as long as it takes; 0 fails at once; otherwise seconds. A holder past it raises
    ``LockTimeout``. Two processes, or two threads of one process, never hold it at once.

    >>> import pathlib, tempfile
    >>> lock_path = pathlib.Path(tempfile.mkdtemp()) / ".build.lock"
    >>> with file_lock(lock_path):
    ...     try:
    ...         with file_lock(lock_path, timeout=0):
    ...             pass
    ...     except LockTimeout:
    ...         print("held by someone else")
    held by someone else
    """
    return FileLock(str(path), timeout=timeout, thread_local=False)
