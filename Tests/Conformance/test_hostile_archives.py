"""Hostile archives, built with Python's tarfile, fed to `tbkit extract`.

Each archive carries a valid TBKit manifest first (so the extractor gets past it) and one good
member before the bad one (so a clean rollback is proven, not just an early refusal). Every case
must: exit non-zero, name the bad member in its message, and leave the destination exactly as it
was (absent when it did not exist) with nothing written outside it.

Run: TBKIT_BIN=.build/debug/tbkit python -m pytest Tests/Conformance/test_hostile_archives.py
(TBKIT_BIN defaults to .build/debug/tbkit relative to the package root.)
"""
import gzip
import hashlib
import io
import json
import os
import random
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TBKIT = Path(os.environ.get("TBKIT_BIN", ROOT / ".build" / "debug" / "tbkit"))
GOOD = b"a good file that comes first\n"


def manifest(files, directories=()):
    rows = []
    for path, data in files:
        rows.append({"path": path, "kind": "file", "size": len(data),
                     "sha256": hashlib.sha256(data).hexdigest()})
    return json.dumps({"format": "tbkit-log-archive/1", "directories": sorted(directories),
                       "files": sorted(rows, key=lambda r: r["path"])}).encode()


def add_file(tar, name, data, **fields):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1_700_000_000
    for key, value in fields.items():
        setattr(info, key, value)
    tar.addfile(info, io.BytesIO(data))


def add_special(tar, name, kind, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mtime = 1_700_000_000
    tar.addfile(info)


def build_tar(members, listed):
    """Uncompressed tar bytes: manifest (listing `listed`), the good member, then `members(tar)`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        add_file(tar, "tbkit-manifest.json", manifest([("good.txt", GOOD)] + listed))
        add_file(tar, "good.txt", GOOD)
        members(tar)
    return buffer.getvalue()


def gz(raw):
    return gzip.compress(raw, mtime=0)


def tree(path):
    """Every entry under `path` (relative), with file contents; None when `path` does not exist."""
    if not path.exists():
        return None
    result = {}
    for entry in sorted(path.rglob("*")):
        rel = str(entry.relative_to(path))
        result[rel] = entry.read_bytes() if entry.is_file() and not entry.is_symlink() else entry.is_dir()
    return result


def extract(archive_bytes, tmp_path, member, prepare=None, extra=()):
    archive = tmp_path / "hostile.tar.gz"
    archive.write_bytes(archive_bytes)
    dest = tmp_path / "dest"
    if prepare:
        prepare(dest)
    before = tree(dest)
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    result = subprocess.run([str(TBKIT), "extract", *extra, str(archive), str(dest)],
                            capture_output=True, text=True, timeout=60)
    message = result.stdout + result.stderr
    assert result.returncode != 0, f"extraction succeeded: {message}"
    assert member in message, f"message does not name {member!r}: {message}"
    assert tree(dest) == before, f"destination changed: {tree(dest)} (was {before})"
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before, "something was written beside dest"
    return message


@pytest.fixture(scope="session", autouse=True)
def binary_exists():
    assert TBKIT.exists(), f"tbkit binary not found at {TBKIT}: run `swift build` or set TBKIT_BIN"


def test_absolute_path_is_refused(tmp_path):
    target = tmp_path / "absolute-target.txt"
    data = build_tar(lambda t: add_file(t, str(target), b"owned"), [(str(target), b"owned")])
    message = extract(gz(data), tmp_path, str(target))
    assert "absolute" in message
    assert not target.exists()


def test_parent_component_is_refused(tmp_path):
    data = build_tar(lambda t: add_file(t, "../x", b"escaped"), [("../x", b"escaped")])
    message = extract(gz(data), tmp_path, "../x")
    assert ".." in message
    assert not (tmp_path / "x").exists()


def test_symlink_to_etc_is_refused(tmp_path):
    data = build_tar(lambda t: add_special(t, "etc-link", tarfile.SYMTYPE, "/etc"), [])
    message = extract(gz(data), tmp_path, "etc-link")
    assert "outside" in message


def test_hardlink_outside_is_refused(tmp_path):
    data = build_tar(lambda t: add_special(t, "passwd-link", tarfile.LNKTYPE, "/etc/passwd"), [])
    extract(gz(data), tmp_path, "passwd-link")


def test_hardlink_climbing_out_is_refused(tmp_path):
    data = build_tar(lambda t: add_special(t, "up-link", tarfile.LNKTYPE, "../outside.txt"), [])
    extract(gz(data), tmp_path, "up-link")


def test_device_file_is_refused(tmp_path):
    def members(tar):
        info = tarfile.TarInfo("dev-null")
        info.type = tarfile.CHRTYPE
        info.devmajor, info.devminor = 1, 3
        tar.addfile(info)
    message = extract(gz(build_tar(members, [])), tmp_path, "dev-null")
    assert "device" in message


def test_fifo_is_refused(tmp_path):
    message = extract(gz(build_tar(lambda t: add_special(t, "pipe", tarfile.FIFOTYPE), [])), tmp_path, "pipe")
    assert "FIFO" in message


def test_truncated_gzip_is_refused(tmp_path):
    noise = random.Random(7).randbytes(400_000)
    data = gz(build_tar(lambda t: add_file(t, "run/events.out.tfevents.1.host", noise),
                        [("run/events.out.tfevents.1.host", noise)]))
    message = extract(data[: len(data) // 2], tmp_path, "run/events.out.tfevents.1.host")
    assert "truncated" in message


def test_corrupted_header_checksum_is_refused(tmp_path):
    raw = bytearray(build_tar(lambda t: add_file(t, "run/bad-header.bin", b"x" * 10),
                              [("run/bad-header.bin", b"x" * 10)]))
    # The name field of its header block (the name also appears earlier, inside the manifest).
    offset = next(i for i in range(0, len(raw), 512) if raw[i:i + 18] == b"run/bad-header.bin")
    raw[offset + 124 + 10] ^= 0x01  # a size digit: the stored checksum no longer matches
    message = extract(gz(bytes(raw)), tmp_path, "run/bad-header.bin")
    assert "checksum" in message


def test_data_that_mismatches_the_manifest_is_refused(tmp_path):
    data = build_tar(lambda t: add_file(t, "run/tampered.bin", b"evil data!"),
                     [("run/tampered.bin", b"good data!")])
    message = extract(gz(data), tmp_path, "run/tampered.bin")
    assert "SHA-256" in message


def test_existing_file_without_overwrite_is_refused(tmp_path):
    def prepare(dest):
        (dest / "run").mkdir(parents=True)
        (dest / "run" / "keep.txt").write_bytes(b"precious")
    data = build_tar(lambda t: add_file(t, "run/keep.txt", b"replacement"), [("run/keep.txt", b"replacement")])
    message = extract(gz(data), tmp_path, "run/keep.txt", prepare=prepare)
    assert "--overwrite" in message
    assert (tmp_path / "dest" / "run" / "keep.txt").read_bytes() == b"precious"


def test_existing_file_with_overwrite_is_replaced(tmp_path):
    """The control for the case above: the same archive does extract with --overwrite."""
    dest = tmp_path / "dest"
    (dest / "run").mkdir(parents=True)
    (dest / "run" / "keep.txt").write_bytes(b"precious")
    archive = tmp_path / "ok.tar.gz"
    archive.write_bytes(gz(build_tar(lambda t: add_file(t, "run/keep.txt", b"replacement"),
                                     [("run/keep.txt", b"replacement")])))
    result = subprocess.run([str(TBKIT), "extract", "--overwrite", str(archive), str(dest)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (dest / "run" / "keep.txt").read_bytes() == b"replacement"
    assert (dest / "good.txt").read_bytes() == GOOD


def test_file_written_through_an_archive_symlink_is_refused(tmp_path):
    """A symlink to '.' is harmless alone; a file member below it must not be written through it."""
    def members(tar):
        add_special(tar, "here", tarfile.SYMTYPE, ".")
        add_file(tar, "here/sneaky.txt", b"through a link")
    data = json.loads(manifest([("good.txt", GOOD), ("here/sneaky.txt", b"through a link")]))
    data["files"].append({"path": "here", "kind": "symlink", "size": 0, "target": "."})
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        add_file(tar, "tbkit-manifest.json", json.dumps(data).encode())
        add_file(tar, "good.txt", GOOD)
        members(tar)
    extract(gz(raw.getvalue()), tmp_path, "here/sneaky.txt")


def test_symlink_chain_that_climbs_out_physically_is_refused(tmp_path):
    """'d/s' -> '..' lands on dest itself; 'd/a' -> 's/../x' stays inside lexically but would
    resolve to dest/../x through 'd/s'."""
    def members(tar):
        add_special(tar, "d/s", tarfile.SYMTYPE, "..")
        add_special(tar, "d/a", tarfile.SYMTYPE, "s/../x")
    data = json.loads(manifest([("good.txt", GOOD)]))
    data["files"] += [{"path": "d/a", "kind": "symlink", "size": 0, "target": "s/../x"},
                      {"path": "d/s", "kind": "symlink", "size": 0, "target": ".."}]
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        add_file(tar, "tbkit-manifest.json", json.dumps(data).encode())
        add_file(tar, "good.txt", GOOD)
        members(tar)
    extract(gz(raw.getvalue()), tmp_path, "d/a")
