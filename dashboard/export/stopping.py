"""Ending the export browser at once, for a process that is done (a CLI export): Chromium's process group
killed, its profile folder removed without waiting for it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

CLOSE_TIMEOUT = 10.0  # seconds


def kill_browser(k: Any) -> None:
    """Kill the Chromium process group that kaleido started for us (it runs in its own session)."""
    process = getattr(k, "subprocess", None)
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    try:
        process.wait(timeout=CLOSE_TIMEOUT)
    except Exception:  # noqa: BLE001 - nothing more we can do; it is a daemon's child
        pass


def remove_in_background(folder: Any) -> None:
    """Remove a temporary folder (choreographer's ``TmpDirectory``) without waiting for it: renamed aside at
    once, then deleted by a detached ``rm``. A Chromium profile is 0.1-0.3 s of unlinking on a loaded
    machine, most of a CLI export's exit; a folder that cannot be renamed is removed here and now."""
    path = getattr(folder, "path", None)
    if folder is None or path is None:
        return
    aside = Path(path).with_name(Path(path).name + ".removing")
    try:
        os.rename(path, aside)
    except OSError:  # the slow way
        try:
            folder.clean()
        except Exception:  # noqa: BLE001 - a folder left in the temp dir is no reason to fail an export
            pass
        return
    try:
        subprocess.Popen(["rm", "-rf", "--", str(aside)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:  # no rm
        shutil.rmtree(aside, ignore_errors=True)
    finalizer = getattr(getattr(folder, "temp_dir", None), "_finalizer", None)
    if finalizer is not None:  # tempfile's own clean-up at exit would find the folder gone
        finalizer.detach()
    folder.exists = False
