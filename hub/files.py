"""Atomic file writes: a reader (or a crash) never sees half a file."""

from __future__ import annotations

import os
import tempfile
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
