"""Opening an uploaded zip without trusting it: bombs refused whole, bad entries refused one by one.

A zip bomb (more than ``max_zip_entries`` entries, an uncompressed total over ``max_unzipped_bytes``, a
ratio over ``max_zip_ratio``, or an entry that inflates past its declared size) gives no entries and one
message; entries that are zips, symlinks, encrypted, or whose path is absolute or climbs out with ``..``
are refused one by one.
"""
from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

from dashboard.editing.limits import FileMessage, UploadLimits, over_file_limit, size_text

ZIP_SUFFIX = ".zip"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def zip_entries(name: str, data: bytes, limits: UploadLimits) -> tuple[list[tuple[str, bytes]], list[FileMessage]]:
    """A zip's article entries as (display name, bytes), and a message per refused entry."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        return [], [FileMessage(name, False, f"refused: not a readable zip ({err})")]
    files = [i for i in infos if not i.is_dir()]
    bomb = _bomb(files, len(data), limits)
    if bomb:
        return [], [FileMessage(name, False, bomb)]
    refused: list[FileMessage] = []
    entries: list[tuple[str, bytes]] = []
    unpacked = 0
    for info in files:
        shown = f"{name}/{info.filename}"
        why = _entry_refusal(info)
        too_big = None if why else over_file_limit(shown, info.file_size, limits)
        if why or too_big:
            refused.append(too_big or FileMessage(shown, False, why))
            continue
        try:
            content = _read_bounded(archive, info, min(limits.max_file_bytes, info.file_size))
        except _Inflated:
            return [], [FileMessage(name, False, f"refused as a zip bomb: {info.filename} inflates past its "
                                                 f"declared size")]
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as err:
            refused.append(FileMessage(shown, False, f"refused: the entry cannot be unpacked ({err})"))
            continue
        unpacked += len(content)
        if unpacked > limits.max_unzipped_bytes:
            return [], [FileMessage(name, False, f"refused as a zip bomb: it unpacks past the "
                                                 f"{size_text(limits.max_unzipped_bytes)} limit")]
        if content.startswith(ZIP_MAGIC):
            refused.append(FileMessage(shown, False, "refused: zips inside zips are not opened"))
            continue
        entries.append((shown, content))
    return entries, refused


def _bomb(files: list[zipfile.ZipInfo], zipped_bytes: int, limits: UploadLimits) -> str:
    """Why the zip as a whole is refused, judged from its directory before anything is unpacked."""
    if len(files) > limits.max_zip_entries:
        return f"refused: the zip has {len(files)} entries, over the limit of {limits.max_zip_entries}"
    declared = sum(i.file_size for i in files)
    if declared > limits.max_unzipped_bytes:
        return (f"refused as a zip bomb: it unpacks to {size_text(declared)}, over the "
                f"{size_text(limits.max_unzipped_bytes)} limit")
    if declared > 1_048_576 and declared / max(1, zipped_bytes) > limits.max_zip_ratio:
        return (f"refused as a zip bomb: it unpacks {declared / max(1, zipped_bytes):,.0f} times its size "
                f"(limit {limits.max_zip_ratio:g}x)")
    return ""


def _entry_refusal(info: zipfile.ZipInfo) -> str:
    """Why one entry is not unpacked ('' when it may be)."""
    parts = info.filename.replace("\\", "/").split("/")
    if info.filename.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", info.filename) or ".." in parts:
        return "refused: its path leaves the zip's folder (absolute or '..')"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "refused: a symbolic link, not a file"
    if parts[0] == "__MACOSX" or parts[-1].startswith("."):
        return "skipped: a hidden or macOS resource file"
    if info.flag_bits & 0x1:
        return "refused: the entry is encrypted"
    if Path(info.filename).suffix.lower() == ZIP_SUFFIX:
        return "refused: zips inside zips are not opened"
    return ""


class _Inflated(Exception):
    pass


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read an entry, never more than ``limit`` bytes: a header that lies about the size cannot fill memory."""
    chunks, total = [], 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(65536)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise _Inflated()
            chunks.append(chunk)
    return b"".join(chunks)
