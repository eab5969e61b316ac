"""Long runs (issue 9): what survives SIGKILL and SIGTERM, rotation, resume with purge_step, and
several processes in one run, read back with TensorBoard's own loaders.

The child is `tbkit log-loop` (Sources/tbkit/LogLoopCommand.swift): the scalar of step s is
s * 0.5 + offset; the histogram of step s holds n values (i % 97) * 0.25 + (s % 11) + offset."""
import glob
import os
import random
import signal
import subprocess
import time

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_file_loader import EventFileLoader, LegacyEventFileLoader
from tensorboard.util import tensor_util

from conftest import tbkit_binary


def start_child(*args):
    return subprocess.Popen([tbkit_binary(), "log-loop", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def last_line_step(stdout, word):
    steps = [int(line.split()[1]) for line in stdout.splitlines() if line.startswith(word + " ")]
    return steps[-1] if steps else None


def loaded(run_dir):
    """(tag, step, value-or-tensor) of every summary value, TensorBoard's Python file loader
    reading the run's files in name order (as its directory loader does)."""
    out = []
    for path in sorted(glob.glob(os.path.join(run_dir, "*tfevents*"))):
        for event in LegacyEventFileLoader(path).Load():
            for v in event.summary.value:
                out.append((v.tag, event.step, v))
    return out


def hist_values(step, n=500, offset=0.0):
    i = np.arange(n)
    return ((i % 97).astype(np.float32) * np.float32(0.25) + np.float32(step % 11) + np.float32(offset))


def verify_problems(tbkit, path):
    """The problem kinds `tbkit verify` names (e.g. "truncated-tail")."""
    result = tbkit("verify", path, check=False)
    assert result.returncode in (0, 1), result.stderr
    kinds = [line.split("[", 1)[1].split("]", 1)[0] for line in result.stdout.splitlines()
             if line.strip().startswith("byte ") and "[" in line]
    assert (result.returncode == 0) == (not kinds), result.stdout
    return kinds


def test_sigkill_at_22_random_moments_keeps_every_flushed_step_in_order(tmp_path, tbkit):
    rng = random.Random(9)
    for trial in range(22):
        run = tmp_path / f"kill{trial}"
        child = start_child(run, "--steps", 100000, "--flush-every", rng.randint(1, 25), "--histogram-every", 5,
                            "--sleep-ms", 1, "--flush-interval", 0)
        seen = ""
        while not seen.startswith("flushed"):  # running: a random moment after the first flush
            seen = child.stdout.readline()
            assert seen, f"trial {trial}: the child stopped early"
        time.sleep(rng.uniform(0.0, 0.6))
        child.send_signal(signal.SIGKILL)
        stdout, _ = child.communicate(timeout=30)
        stdout = seen + stdout
        assert child.returncode == -signal.SIGKILL
        flushed = last_line_step(stdout, "flushed")
        assert flushed is not None and flushed > 0, f"trial {trial}: nothing flushed before the kill"
        values = loaded(run)
        steps = [s for tag, s, _ in values if tag == "loss"]
        # Every flushed step is there, in order, once; a few more may have been written out.
        assert steps == list(range(len(steps))), f"trial {trial}"
        assert len(steps) >= flushed + 1, f"trial {trial}: flushed {flushed}, read {len(steps)}"
        for tag, s, v in values:
            if tag == "loss":
                assert v.simple_value == s * 0.5
            else:
                assert tag == "loss_hist" and s % 5 == 0
                h = v.histo
                expected = hist_values(s)
                assert (h.num, h.min, h.max) == (500, expected.min(), expected.max())
                assert h.sum == pytest.approx(float(expected.astype(np.float64).sum()))
        assert set(verify_problems(tbkit, run)) <= {"truncated-tail"}, f"trial {trial}"


def logged_then_terminated(run, *extra):
    """Starts a child that never flushes by itself, SIGTERMs it mid-run; returns it and the last
    step it had logged before the signal."""
    child = start_child(run, "--steps", 100000, "--sleep-ms", 1, "--flush-interval", 0, *extra)
    time.sleep(0.3)
    lines = []
    deadline = time.time() + 20
    while time.time() < deadline and len(lines) < 200:
        lines.append(child.stdout.readline())
    child.send_signal(signal.SIGTERM)
    return child, lines


def disk_steps(run):
    return [s for tag, s, _ in loaded(run) if tag == "loss"]


def test_sigterm_flushes_everything_logged_and_still_ends_the_process(tmp_path):
    child, lines = logged_then_terminated(tmp_path / "term", "--flush-on-termination")
    rest, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGTERM
    last = last_line_step("".join(lines) + rest, "logged")
    steps = disk_steps(tmp_path / "term")
    assert steps == list(range(len(steps))) and len(steps) >= last + 1


def test_without_flush_on_termination_sigterm_loses_the_buffered_steps(tmp_path):
    child, _ = logged_then_terminated(tmp_path / "lost")
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGTERM
    assert disk_steps(tmp_path / "lost") == []  # the control: the flush above is the handler's doing


@pytest.mark.parametrize("previous", ["ignore", "handler"])
def test_sigterm_keeps_an_earlier_disposition_after_flushing(tmp_path, previous):
    child, lines = logged_then_terminated(tmp_path / previous, "--flush-on-termination", "--previous-sigterm",
                                          previous)
    last = last_line_step("".join(lines), "logged")
    time.sleep(1.0)
    assert child.poll() is None, "the process must live on: SIGTERM was ignored or handled before"
    child.send_signal(signal.SIGKILL)
    _, stderr = child.communicate(timeout=30)
    steps = disk_steps(tmp_path / previous)
    assert steps == list(range(len(steps))) and len(steps) >= last + 1
    assert ("previous handler" in stderr) == (previous == "handler"), stderr


def test_sigterm_during_tbkit_train_leaves_whole_files_with_every_step_logged(tmp_path, tbkit):
    logdir = tmp_path / "logs"
    child = subprocess.Popen([tbkit_binary(), "train", "--scenario", "full_train_he_relu", "--iterations", "1000000",
                              "--log-every", "1", "--logdir", str(logdir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    files = []
    while time.time() < deadline and not (files and os.path.getsize(files[0]) > 2000):
        time.sleep(0.2)
        files = glob.glob(str(logdir / "*" / "*tfevents*"))
    size_at_signal = os.path.getsize(files[0])
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGTERM
    assert verify_problems(tbkit, logdir) == []
    assert os.path.getsize(files[0]) >= size_at_signal
    steps = sorted({s for _, s, _ in loaded(os.path.dirname(files[0]))})
    assert steps == list(range(len(steps))) and len(steps) >= 5
