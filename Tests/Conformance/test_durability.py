"""Nothing flushed is ever lost: records reach the file at normal exit without close(), and a full
disk stops the writer with a clear error while every record before it stays readable."""
import glob
import os
import struct
import subprocess

import pytest
from tensorboard.backend.event_processing.event_file_loader import LegacyEventFileLoader


def whole_records(path):
    """Walks the TFRecord framing; returns the record count, asserting the file ends on a boundary."""
    data = open(path, "rb").read()
    offset = n = 0
    while offset < len(data):
        assert len(data) - offset >= 16, f"partial header at byte {offset}"
        (length,) = struct.unpack_from("<Q", data, offset)
        assert offset + 16 + length <= len(data), f"partial record at byte {offset}"
        offset += 16 + length
        n += 1
    return n


def test_records_of_writers_left_open_are_flushed_at_normal_exit(tmp_path, tbkit):
    tbkit("write-sample", tmp_path / "logs", "--steps", 5, "--exit-without-close")
    for run, per_step in [("scalars_v1", 2), ("scalars_v2", 2), ("histograms", 6)]:
        (path,) = glob.glob(str(tmp_path / "logs" / run / "*tfevents*"))
        events = list(LegacyEventFileLoader(path).Load())
        values = sum(len(e.summary.value) for e in events)
        assert values == 5 * per_step, run


@pytest.fixture
def tiny_disk(tmp_path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"cannot mount a 64 KiB tmpfs to fill (needs root): {result.stderr}"
    yield mount_point
    subprocess.run(["umount", str(mount_point)])


def test_a_full_disk_is_a_clear_error_and_every_flushed_record_stays_readable(tiny_disk, tbkit):
    result = tbkit("write-sample", tiny_disk, "--stress-scalars", 100000, check=False)
    assert result.returncode == 1
    assert "disk is full" in result.stderr and "stress" in result.stderr, result.stderr
    last = int(result.stdout.strip().rsplit(" ", 1)[1])
    assert last > 500  # the disk held some thousand records before it filled up
    (path,) = glob.glob(str(tiny_disk / "stress" / "*tfevents*"))
    n = whole_records(path)  # no partial record at the end
    steps = [e.step for e in LegacyEventFileLoader(path).Load() if e.summary.value]
    assert n == len(steps) + 1
    assert steps == list(range(len(steps)))
    assert len(steps) >= last + 1  # everything flushed before the error is there
