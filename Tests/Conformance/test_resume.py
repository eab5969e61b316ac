"""`tbkit train --checkpoint-every` and `--resume` read by the real TensorBoard. A run is killed with
SIGKILL after it has logged past its last checkpoint, then resumed: TensorBoard's Python loader
(EventAccumulator, and the HTTP API with --load_fast=false) and its Rust loader (--load_fast=true)
show one point per step for every scalar and histogram (no zig-zag), every value equal to an
uninterrupted run's with the same seed, the final test_acc included, and the end-of-run extras
once."""
import math
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from tensorboard.backend.event_processing import event_accumulator, event_file_loader

from conftest import tbkit_binary

RUN = "full_train_he_relu"
ITERATIONS = 240
LOG_EVERY = 5
CHECKPOINT_EVERY = 60
ARGS = ["train", "--scenario", RUN, "--iterations", str(ITERATIONS), "--batch-size", "10",
        "--log-every", str(LOG_EVERY)]
STEPS = list(range(0, ITERATIONS, LOG_EVERY))
SCALARS = ["loss", "acc", "input_var", "mat_mul_var_1", "saturation_1", "fc_out_var_2"]
HISTOGRAMS = ["weights_1", "grads_2", "mat_mul_hist_3"]


def latest_checkpoint(run_dir):
    names = sorted(p.name for p in (run_dir / "checkpoints").glob("step-*.tbkckpt"))
    return int(re.match(r"step-(\d+)\.tbkckpt", names[-1]).group(1)) if names else None


def last_logged_loss_step(run_dir):
    """The last step of `loss` that TensorBoard's own record reader finds flushed so far."""
    last = None
    for path in sorted(run_dir.glob("events.out.tfevents.*")):
        for event in event_file_loader.EventFileLoader(str(path)).Load():
            if any(v.tag == "loss" for v in event.summary.value):
                last = event.step
    return last


def accumulator(run_dir):
    acc = event_accumulator.EventAccumulator(str(run_dir), size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0, event_accumulator.TENSORS: 0})
    acc.Reload()
    return acc


@pytest.fixture(scope="module")
def runs(tmp_path_factory, tbkit):
    root = tmp_path_factory.mktemp("resume")
    straight, resumed = root / "straight", root / "resumed"
    tbkit(*ARGS, "--logdir", straight)

    # Kill the checkpointing run once its flushed events reach a log step past its last checkpoint.
    # A kill that still races a new checkpoint (the dead run's newest checkpoint is then past its
    # last logged step) proves nothing about superseding, and a run that finishes before the polling
    # catches it (a busy machine) proves nothing at all: either way the attempt is made again afresh.
    for attempt in range(3):
        if resumed.exists():
            shutil.rmtree(resumed)
        process = subprocess.Popen([tbkit_binary(), *ARGS, "--checkpoint-every", str(CHECKPOINT_EVERY),
                                    "--logdir", str(resumed)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        run_dir = resumed / RUN
        deadline = time.time() + 300
        killed_at = None
        while process.poll() is None and time.time() < deadline:
            checkpoint = latest_checkpoint(run_dir) if run_dir.exists() else None
            logged = last_logged_loss_step(run_dir) if checkpoint is not None else None
            # Reading the events takes a while: a checkpoint written meanwhile makes this look stale.
            if (logged is not None and logged >= checkpoint + LOG_EVERY
                    and latest_checkpoint(run_dir) == checkpoint):
                process.send_signal(signal.SIGKILL)
                killed_at = (checkpoint, logged)
                break
            time.sleep(0.05)
        process.wait(timeout=60)
        if killed_at is None and process.returncode == 0 and attempt < 2:
            continue  # the run outpaced the polling (a busy machine): again, afresh
        assert killed_at is not None and process.returncode == -signal.SIGKILL, (
            f"the run ended ({process.returncode}) before it could be killed past a checkpoint: "
            f"{process.stderr.read().decode()}")
        # What the dead process left: the checkpoint it resumes from may be newer than the one seen.
        checkpoint = latest_checkpoint(run_dir)
        logged = last_logged_loss_step(run_dir)
        if logged > checkpoint:
            break
    assert logged > checkpoint, (logged, checkpoint, f"{attempt + 1} attempts")

    result = tbkit(*ARGS, "--logdir", resumed, "--resume")
    said = re.search(rf"{RUN}: resuming at step {checkpoint} from \S+; its points at steps {checkpoint}\.\.\.(\d+) "
                     r"are superseded", result.stdout)
    assert said and int(said.group(1)) >= logged, result.stdout
    return {"root": root, "straight": straight / RUN, "resumed": run_dir, "checkpoint": checkpoint,
            "logged_before_kill": logged, "stdout": result.stdout}


def test_the_killed_run_had_logged_past_its_checkpoint_and_left_no_end_of_run(runs):
    files = sorted(runs["resumed"].glob("events.out.tfevents.*"))
    assert len(files) == 2, files
    tags = set()
    for event in event_file_loader.EventFileLoader(str(files[0])).Load():
        tags.update(v.tag for v in event.summary.value)
    assert "loss" in tags and "test_acc" not in tags and "pr_curve/class_0" not in tags
    assert runs["logged_before_kill"] >= runs["checkpoint"] + LOG_EVERY


def test_python_loader_keeps_one_point_per_step_equal_to_the_straight_run(runs):
    straight, resumed = accumulator(runs["straight"]), accumulator(runs["resumed"])
    for tag in SCALARS:
        points = resumed.Scalars(tag)
        assert [p.step for p in points] == STEPS, tag
        assert [p.value for p in points] == [p.value for p in straight.Scalars(tag)], tag
    for tag in HISTOGRAMS:
        points = resumed.Histograms(tag)
        assert [p.step for p in points] == STEPS, tag
        for a, b in zip(points, straight.Histograms(tag)):
            assert (a.histogram_value.bucket, a.histogram_value.bucket_limit, a.histogram_value.sum) == \
                   (b.histogram_value.bucket, b.histogram_value.bucket_limit, b.histogram_value.sum), (tag, a.step)
    test_acc = resumed.Scalars("test_acc")
    assert [(p.step, p.value) for p in test_acc] == [(p.step, p.value) for p in straight.Scalars("test_acc")]
    assert [p.step for p in test_acc] == [ITERATIONS]
    # The end-of-run extras and the session end come once, from the run that finished.
    for k in (0, 9):
        assert [e.step for e in resumed.Tensors(f"pr_curve/class_{k}")] == [ITERATIONS]
    assert len(resumed.Tensors("_hparams_/session_end_info")) == 1
    assert len(resumed.Tensors("_hparams_/session_start_info")) == 1


@pytest.mark.parametrize("load_fast", ["false", "true"])
def test_both_loaders_serve_one_point_per_step_and_the_straight_runs_final_test_acc(runs, tensorboard_server,
                                                                                   load_fast):
    server = tensorboard_server(runs["root"], load_fast)
    straight_run, resumed_run = f"straight/{RUN}", f"resumed/{RUN}"

    def scalars(run, tag):
        return server.get("data/plugin/scalars/scalars", run=run, tag=tag)

    server.wait_for(lambda s: len(scalars(resumed_run, "test_acc")) == 1 and len(scalars(straight_run, "test_acc")) == 1
                    and len(scalars(resumed_run, "loss")) == len(STEPS), "both runs' test_acc and loss")
    for tag in SCALARS + ["test_acc"]:
        resumed, straight = scalars(resumed_run, tag), scalars(straight_run, tag)
        steps = [p[1] for p in resumed]
        assert steps == ([ITERATIONS] if tag == "test_acc" else STEPS), (load_fast, tag, steps)
        assert [p[2] for p in resumed] == [p[2] for p in straight], (load_fast, tag)
    acc = scalars(resumed_run, "test_acc")[0][2]
    assert math.isfinite(acc) and 0 < acc <= 1
    for tag in HISTOGRAMS:
        resumed = server.get("data/plugin/histograms/histograms", run=resumed_run, tag=tag)
        straight = server.get("data/plugin/histograms/histograms", run=straight_run, tag=tag)
        # The Rust loader keeps at most 100 histograms a tag; 40 are logged.
        assert [h[1] for h in resumed] == STEPS, (load_fast, tag)
        assert [h[2] for h in resumed] == [h[2] for h in straight], (load_fast, tag)


def test_resuming_a_finished_run_does_nothing_and_says_so(runs, tbkit):
    files = sorted(p.name for p in runs["resumed"].glob("events.out.tfevents.*"))
    result = tbkit(*ARGS, "--logdir", runs["resumed"].parent, "--resume")
    assert f"{RUN}: already finished (step {ITERATIONS}); nothing to do" in result.stdout
    assert sorted(p.name for p in runs["resumed"].glob("events.out.tfevents.*")) == files


def test_a_checkpoint_from_other_settings_is_refused_naming_the_setting(runs, tbkit):
    other = ARGS[:ARGS.index("--batch-size")] + ["--batch-size", "20"] + ARGS[ARGS.index("--batch-size") + 2:]
    result = tbkit(*other, "--logdir", runs["resumed"].parent, "--resume", check=False)
    assert result.returncode != 0
    assert "was made by a run with other settings (batch size: checkpoint '10', now '20')" in result.stderr, \
        result.stderr


def test_a_run_without_a_checkpoint_starts_fresh_and_says_so(tmp_path, tbkit):
    result = tbkit("train", "--scenario", "first_pass_normal", "--logdir", tmp_path, "--resume")
    assert "first_pass_normal: no checkpoint; starting fresh" in result.stdout
    assert len(list((tmp_path / "first_pass_normal").glob("events.out.tfevents.*"))) == 1
