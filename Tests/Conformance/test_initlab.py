"""InitLab's runs read back by TensorBoard's own EventAccumulator: every tag the study names is
there, every histogram holds as many values as its tensor has elements, and each mat_mul_var_N
scalar is the variance recomputed from the mat_mul_hist_N histogram's sums."""
import glob
import gzip
from pathlib import Path

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator

ROOT = Path(__file__).resolve().parents[2]
MNIST = ROOT / "Sources" / "InitLab" / "Resources" / "mnist-5k"

# Tensor sizes in the 784-100-100-10 net for a batch of `b`.
def sizes(b, gradients):
    out = {"mat_mul_hist_1": b * 100, "mat_mul_hist_2": b * 100, "mat_mul_hist_3": b * 10,
           "fc_out_1": b * 100, "fc_out_2": b * 100, "fc_out_3": b * 10,
           "weights_1": 78400, "weights_2": 10000, "weights_3": 1000}
    if gradients:
        out.update({"grads_1": 78400, "grads_2": 10000, "grads_3": 1000})
    return out


def load(run_dir):
    files = glob.glob(str(run_dir / "events.out.tfevents.*"))
    assert len(files) == 1, files
    acc = event_accumulator.EventAccumulator(str(run_dir), size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0})
    acc.Reload()
    return acc


@pytest.fixture(scope="module")
def runs(tmp_path_factory, tbkit):
    logdir = tmp_path_factory.mktemp("initlab")
    tbkit("train", "--scenario", "first_pass_normal", "--scenario", "full_train_he_relu",
          "--iterations", "20", "--log-every", "10", "--logdir", logdir)
    return logdir


def test_embedded_training_pixels_have_the_stated_mean_and_variance():
    raw = gzip.decompress((MNIST / "train-images-idx3-ubyte.gz").read_bytes())
    assert int.from_bytes(raw[:4], "big") == 0x803
    pixels = np.frombuffer(raw[16:], dtype=np.uint8).astype(np.float64) / 255
    assert pixels.size == 4000 * 784
    assert abs(pixels.mean() - 0.1309) < 5e-5 and abs(pixels.var() - 0.0949) < 5e-5


@pytest.mark.parametrize("run,batch,steps,gradients", [
    ("first_pass_normal", 100, [0], False),
    ("full_train_he_relu", 30, [0, 10], True),
])
def test_histograms_hold_every_element_and_match_the_variance_scalars(runs, run, batch, steps, gradients):
    acc = load(runs / run)
    tags = acc.Tags()
    expected = sizes(batch, gradients)
    assert set(tags["histograms"]) == set(expected)
    for tag, size in expected.items():
        events = acc.Histograms(tag)
        assert [e.step for e in events] == steps, tag
        for e in events:
            h = e.histogram_value
            assert h.num == size, (tag, e.step)
            assert sum(h.bucket) == size, (tag, e.step)
    for n in (1, 2, 3):
        for hist, scalar in zip(acc.Histograms(f"mat_mul_hist_{n}"), acc.Scalars(f"mat_mul_var_{n}")):
            h = hist.histogram_value
            variance = h.sum_squares / h.num - (h.sum / h.num) ** 2
            assert scalar.value == pytest.approx(variance, rel=2e-3), (run, n, hist.step)
    for tag in ["input_var", "loss", "acc", "saturation_1", "saturation_2"]:
        assert [e.step for e in acc.Scalars(tag)] == steps, tag
    input_var = acc.Scalars("input_var")[0].value
    assert 0.07 < input_var < 0.11


def test_full_runs_log_test_accuracy_at_the_end(runs):
    acc = load(runs / "full_train_he_relu")
    points = acc.Scalars("test_acc")
    assert [p.step for p in points] == [20]
    assert 0.3 < points[0].value <= 1


def test_a_second_train_into_the_same_run_is_refused_and_overwrite_replaces_the_file(runs, tbkit):
    before = glob.glob(str(runs / "first_pass_normal" / "events.out.tfevents.*"))
    refused = tbkit("train", "--scenario", "first_pass_normal", "--logdir", runs, check=False)
    assert refused.returncode != 0 and "--overwrite" in refused.stderr
    assert glob.glob(str(runs / "first_pass_normal" / "events.out.tfevents.*")) == before
    tbkit("train", "--scenario", "first_pass_normal", "--logdir", runs, "--overwrite")
    after = glob.glob(str(runs / "first_pass_normal" / "events.out.tfevents.*"))
    assert len(after) == 1 and after != before
