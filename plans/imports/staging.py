"""Uploaded files waiting between preview and confirmation.

The file is written under MEDIA_ROOT/imports/<user id>/ with a random name that
nothing links to, and the session remembers which tokens belong to this user,
for which plan or county, and the file's SHA-256. Confirming reads the file
back, checks the hash, and imports exactly what was previewed.
"""

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "planportal_staged_imports"
MAX_STAGED = 5
STALE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class StagedFile:
    token: str
    file_name: str
    kind: str
    data: bytes


def _directory(request: HttpRequest) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(request.user.pk)


def stage(request: HttpRequest, *, data: bytes, file_name: str, kind: str, target: str) -> str:
    """Keep ``data`` for this user until confirmed or cancelled; returns the token for the form."""
    directory = _directory(request)
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale(directory)
    token = secrets.token_hex(16)
    (directory / token).write_bytes(data)
    entries = dict(request.session.get(SESSION_KEY, {}))
    entries[token] = {
        "file_name": file_name,
        "kind": kind,
        "target": target,
        "sha256": hashlib.sha256(data).hexdigest(),
        "at": time.time(),
    }
    for old in sorted(entries, key=lambda key: entries[key]["at"])[:-MAX_STAGED]:
        discard(request, old, entries=entries)
    request.session[SESSION_KEY] = entries
    return token


def load(request: HttpRequest, token: str, *, target: str) -> StagedFile | None:
    """The staged file, if ``token`` is this user's, for this target, and the file is unchanged."""
    if not _TOKEN.match(token or ""):
        return None
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry["target"] != target:
        return None
    path = _directory(request) / token
    if not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        return None
    return StagedFile(token=token, file_name=entry["file_name"], kind=entry["kind"], data=data)


def discard(request: HttpRequest, token: str, *, entries: dict | None = None) -> None:
    if not _TOKEN.match(token or ""):
        return
    (_directory(request) / token).unlink(missing_ok=True)
    if entries is None:
        entries = dict(request.session.get(SESSION_KEY, {}))
        entries.pop(token, None)
        request.session[SESSION_KEY] = entries
    else:
        entries.pop(token, None)


def _remove_stale(directory: Path) -> None:
    """Files of previews that were never confirmed nor cancelled."""
    limit = time.time() - STALE_SECONDS
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
