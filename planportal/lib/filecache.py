"""Files worked out once and kept while what they show is unchanged: live report PDFs, large exports.

A file is named by a digest of everything it shows (its fingerprint); any change gives a new
digest, so a stale file is never served, and only the newest file of each name is kept. The
files live under ``MEDIA_ROOT/cache``, shared by every web worker, and are written to a
temporary file and renamed, so that a reader never sees half of one.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings


def _path(folder: str, name: str, digest: str, suffix: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "cache" / folder / f"{name}--{digest[:32]}{suffix}"


def read(folder: str, name: str, digest: str, suffix: str) -> bytes | None:
    """The kept file for ``name`` with this ``digest``, or None."""
    try:
        return _path(folder, name, digest, suffix).read_bytes()
    except FileNotFoundError:
        return None


def store(folder: str, name: str, digest: str, suffix: str, content: bytes) -> None:
    """Keep ``content`` as the file for ``name`` and ``digest``, replacing any older one of the name."""
    path = _path(folder, name, digest, suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    for older in path.parent.glob(f"{name}--*{suffix}"):
        if older != path:
            older.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    os.replace(temporary, path)
