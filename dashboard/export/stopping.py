"""Ending the export browser at once, for a process that is done (a CLI export): Chromium's process group
killed, its profile folder (and its singleton socket's) removed without waiting for it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
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
    # Chromium's process-singleton socket lives in a folder of its own in the temp dir, named by a link in
    # the profile; a killed Chromium leaves it behind (one empty folder per export otherwise)
    socket_folder = _singleton_folder(Path(path))
    aside = Path(path).with_name(Path(path).name + ".removing")
    try:
        os.rename(path, aside)
    except OSError:  # the slow way
        try:
            folder.clean()
        except Exception:  # noqa: BLE001 - a folder left in the temp dir is no reason to fail an export
            pass
        if socket_folder:
            shutil.rmtree(socket_folder, ignore_errors=True)
        return
    folders = [str(aside)] + ([str(socket_folder)] if socket_folder else [])
    try:
        subprocess.Popen(["rm", "-rf", "--", *folders], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except OSError:  # no rm
        for folder_path in folders:
            shutil.rmtree(folder_path, ignore_errors=True)
    finalizer = getattr(getattr(folder, "temp_dir", None), "_finalizer", None)
    if finalizer is not None:  # tempfile's own clean-up at exit would find the folder gone
        finalizer.detach()
    folder.exists = False


def _singleton_folder(profile: Path) -> Path | None:
    """The folder of Chromium's ``SingletonSocket`` for a profile (e.g. /tmp/org.chromium.Chromium.XXXX), if
    it is one of Chromium's own in the temp dir; None otherwise (nothing else is ever removed)."""
    try:
        target = Path(os.readlink(profile / "SingletonSocket"))
    except OSError:
        return None
    folder = target.parent
    if folder.name.startswith("org.chromium.Chromium.") and folder.parent == Path(tempfile.gettempdir()):
        return folder
    return None
