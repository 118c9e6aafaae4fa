"""Atomic file writes: a reader (or a crash) never sees half a file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_UMASK = _umask()  # read once: setting it is process-wide, not safe while threads write


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    Readers see the old file or the new one, never half of either. `durable`
    also flushes the bytes to disk before the rename, so a crash cannot leave
    an empty file where a person's edits were; new files the next run would
    simply write again can skip that (it costs milliseconds per file).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = path.stat().st_mode & 0o777  # a replaced file keeps its permissions
    except FileNotFoundError:
        mode = 0o666 & ~_UMASK  # a new file gets what open() would give it
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes files private (0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@cache
def code_version() -> str:
    """What a build's caches depend on besides their inputs: the package's code,
    templates and catalogs, and the versions of Jinja and MarkupSafe."""
    from importlib.metadata import version

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"jinja2={version('jinja2')};markupsafe={version('markupsafe')}"
                            .encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2", ".po") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
