"""The long-run checks over TensorBoard's HTTP API, under both loaders (--load_fast=false and true):
a run rotated every 100 kB, a crash at step 600 resumed with purge_step 500, and two processes
writing one run in the same second each serve every step once. --samples_per_plugin asks for more
points than any series has (0 would mean none to the data provider). Helpers come from
test_long_runs.py."""
import glob
import os
import signal
import time

import pytest
from tensorboard.backend.event_processing.event_file_loader import EventFileLoader

from test_long_runs import start_child, verify_problems


def scalar_steps(server, run, tag):
    return server.get("data/plugin/scalars/scalars", run=run, tag=tag)


def wait_for_steps(server, run, tag, count):
    return server.wait_for(lambda s: len(scalar_steps(s, run, tag)) == count and scalar_steps(s, run, tag),
                           f"{count} points of {run}/{tag}", timeout=300)


ALL_SAMPLES = ("--samples_per_plugin", "scalars=100000,histograms=100000")


@pytest.mark.parametrize("load_fast", ["false", "true"])
def test_rotation_every_100kb_over_1_5mb_serves_every_step_once(tmp_path, tbkit, tensorboard_server, load_fast):
    logdir = tmp_path / "logs"
    tbkit("log-loop", logdir / "rotated", "--steps", 6000, "--histogram-every", 2, "--rotate-bytes", 100_000)
    files = sorted(glob.glob(str(logdir / "rotated" / "*tfevents*")))
    total = sum(os.path.getsize(f) for f in files)
    assert total >= 1_500_000 and len(files) >= 4, (total, len(files))
    assert verify_problems(tbkit, logdir) == []
    for f in files:  # each file starts with its own file_version
        assert next(iter(EventFileLoader(f).Load())).file_version == "brain.Event:2"
    server = tensorboard_server(logdir, load_fast=load_fast, extra=ALL_SAMPLES)
    points = wait_for_steps(server, "rotated", "loss", 6000)
    assert [p[1] for p in points] == list(range(6000))
    assert [p[2] for p in points] == [s * 0.5 for s in range(6000)]
    # The histograms route itself thins a series to 51 steps (TensorBoard's own downsampling): what
    # it serves must be logged steps, each once, in order, ending with the last.
    hist = [h[1] for h in server.get("data/plugin/histograms/histograms", run="rotated", tag="loss_hist")]
    assert len(hist) == 51 and hist == sorted(set(hist)) and hist[-1] == 5998
    assert set(hist) <= set(range(0, 6000, 2))


@pytest.mark.parametrize("load_fast", ["false", "true"])
def test_crash_at_600_and_resume_with_purge_step_500_serves_steps_0_to_999_once(
        tmp_path, tbkit, tensorboard_server, load_fast):
    logdir = tmp_path / "logs"
    first = start_child(logdir / "resumed", "--steps", 600, "--flush-every", 100, "--kill-self")
    first.communicate(timeout=60)
    assert first.returncode == -signal.SIGKILL
    time.sleep(1.1)  # the resumed file's name sorts after the crashed one's (a later second)
    tbkit("log-loop", logdir / "resumed", "--first-step", 500, "--steps", 500, "--purge-step", 500,
          "--offset", 1000)
    server = tensorboard_server(logdir, load_fast=load_fast, extra=ALL_SAMPLES)
    points = wait_for_steps(server, "resumed", "loss", 1000)
    assert [p[1] for p in points] == list(range(1000))
    assert [p[2] for p in points] == [s * 0.5 + (1000 if s >= 500 else 0) for s in range(1000)]


@pytest.mark.parametrize("load_fast", ["false", "true"])
def test_two_processes_writing_one_run_in_the_same_second_keep_both_series_whole(
        tmp_path, tensorboard_server, load_fast):
    logdir = tmp_path / "logs"
    start_at = int(time.time()) + 2
    children = [start_child(logdir / "shared", "--tag", tag, "--offset", offset, "--steps", 300,
                            "--flush-every", 50, "--start-at", start_at)
                for tag, offset in [("a", 0), ("b", 1000)]]
    for child in children:
        _, stderr = child.communicate(timeout=60)
        assert child.returncode == 0, stderr
    names = sorted(os.path.basename(f) for f in glob.glob(str(logdir / "shared" / "*tfevents*")))
    assert len(names) == 2
    seconds_and_host = {tuple(n.split(".")[3:-3]) for n in names}
    assert len(seconds_and_host) == 1, names  # the same second and host: only pid and the random part differ
    server = tensorboard_server(logdir, load_fast=load_fast, extra=ALL_SAMPLES)
    for tag, offset in [("a", 0), ("b", 1000)]:
        points = wait_for_steps(server, "shared", tag, 300)
        assert [(p[1], p[2]) for p in points] == [(s, s * 0.5 + offset) for s in range(300)]


