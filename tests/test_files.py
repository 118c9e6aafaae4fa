"""Atomic writes keep what a reader and a person expect of the file."""

import os
import stat

from hub.files import write_atomic


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_is_readable_like_any_other(tmp_path):
    path = tmp_path / "post.md"
    write_atomic(path, "hello", durable=False)
    umask = os.umask(0)
    os.umask(umask)
    assert path.read_text() == "hello"
    assert mode(path) == 0o666 & ~umask


def test_replacing_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "post.md"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert mode(path) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]
