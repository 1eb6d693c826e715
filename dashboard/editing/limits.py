"""What one upload may be (sizes and counts) and how it is answered: one message per file.

    >>> str(FileMessage("report.txt", True, "saved as report.txt (1 article)"))
    'report.txt: saved as report.txt (1 article)'
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from dashboard import settings


class UploadError(ValueError):
    """An upload that cannot be taken as a whole (e.g. a publication date that is no date)."""


@dataclass(frozen=True)
class UploadLimits:
    """Size and count limits of one upload (the browser form or one ``add`` command)."""

    max_file_bytes: int = 20 * 1024 * 1024      # one article file (or one zip)
    max_files: int = 200                        # files in one upload, zip entries included
    max_batch_bytes: int = 200 * 1024 * 1024    # all files of one upload, unpacked
    max_zip_entries: int = 1000
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: float = 100.0                # uncompressed / compressed; text zips at 3-10x


LIMITS = UploadLimits()
# `add` on the command line: the same per-file and zip limits, but a folder may hold many articles
CLI_LIMITS = UploadLimits(max_files=1_000_000, max_batch_bytes=1 << 62)
# The deployer's overrides of the browser's limits, read when the app is made (see ``configured_limits``)
LIMIT_SETTINGS = {"DASHBOARD_UPLOAD_MAX_FILE_MB": "max_file_bytes", "DASHBOARD_UPLOAD_MAX_FILES": "max_files",
                  "DASHBOARD_UPLOAD_MAX_TOTAL_MB": "max_batch_bytes"}


def configured_limits() -> UploadLimits:
    """The browser upload limits: the defaults, or the environment's settings where given.

    >>> # DASHBOARD_UPLOAD_MAX_FILE_MB=5 DASHBOARD_UPLOAD_MAX_FILES=20 python -m dashboard serve

    A setting that is not a positive number is an error naming it (a typo never lifts a limit).
    """
    try:
        overrides = settings.upload_limit_overrides()
    except settings.SettingError as error:
        raise UploadError(str(error)) from None
    changes = {LIMIT_SETTINGS[variable]: int(value * 1_048_576) if variable.endswith("_MB") else int(value)
               for variable, value in overrides.items()}
    return dataclasses.replace(LIMITS, **changes)


CALLBACK_BYTES = 8 * 1_048_576  # a request of any other callback (filters, selections) is far smaller


def max_request_bytes(limits: UploadLimits | None) -> int:
    """The largest request the app reads (larger ones are refused before they are read): the upload
    form's files, sent as base64 (4/3 of their size), when uploads are on; and room for the rest.

    >>> max_request_bytes(None) // 1_048_576, max_request_bytes(LIMITS) // 1_048_576
    (8, 274)
    """
    return CALLBACK_BYTES + (limits.max_batch_bytes * 4 // 3 if limits else 0)


def size_text(n: int) -> str:
    """A size in words.

    >>> size_text(65_000), size_text(1_572_864), size_text(200 * 1_048_576)
    ('63 KB', '1.5 MB', '200 MB')
    """
    if n < 1_048_576:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / 1_048_576:.1f} MB" if n < 10 * 1_048_576 else f"{n // 1_048_576} MB"


def over_file_limit(name: str, size: int, limits: UploadLimits) -> "FileMessage | None":
    """The refusal of a file over the per-file limit, None when it fits."""
    if size <= limits.max_file_bytes:
        return None
    return FileMessage(name, False, f"refused: {size_text(size)}, over the {size_text(limits.max_file_bytes)} "
                                    f"limit per file")


@dataclass(frozen=True)
class FileMessage:
    """What happened to one uploaded file (or zip entry): saved or refused, in words."""

    name: str  # as the user gave it ("batch.zip/reports/a.txt")
    ok: bool
    message: str
    saved_as: str | None = None  # file name inside the uploads folder
    article_ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass
class UploadResult:
    messages: list[FileMessage] = field(default_factory=list)

    @property
    def saved(self) -> list[FileMessage]:
        return [m for m in self.messages if m.ok and m.saved_as]

    @property
    def refused(self) -> list[FileMessage]:
        return [m for m in self.messages if not m.ok]

    @property
    def article_ids(self) -> list[str]:
        return [a for m in self.messages if m.ok for a in m.article_ids]
