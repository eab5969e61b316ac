"""InitLab's runs read back by TensorBoard's own EventAccumulator: every tag the study names is
there, every histogram holds as many values as its tensor has elements, and each mat_mul_var_N
scalar is the variance recomputed from the mat_mul_hist_N histogram's sums. Then the seven runs
served by a real TensorBoard (both loaders): images, text, hparams (the seven sessions with their
test_acc), custom scalars, PR curves and projector all show the lab's data."""
import glob
import gzip
import json
import struct
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator

from conftest import TensorBoardServer

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
    # The root experiment is rewritten, never doubled: TensorBoard uses one per logdir.
    assert len(glob.glob(str(runs / "events.out.tfevents.*.hparams"))) == 1


def everything_logged(run_dir):
    """What TensorBoard's loader reads from a run, wall times aside: scalars, histograms, images."""
    acc = event_accumulator.EventAccumulator(str(run_dir), size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0, event_accumulator.IMAGES: 0})
    acc.Reload()
    tags = acc.Tags()
    return {
        "scalars": {t: [(e.step, e.value) for e in acc.Scalars(t)] for t in tags["scalars"]},
        "histograms": {t: [(e.step, e.histogram_value.min, e.histogram_value.max, e.histogram_value.num,
                            e.histogram_value.sum, tuple(e.histogram_value.bucket_limit),
                            tuple(e.histogram_value.bucket)) for e in acc.Histograms(t)]
                       for t in tags["histograms"]},
        "images": {t: [(e.step, e.encoded_image_string) for e in acc.Images(t)] for t in tags["images"]},
    }


def test_runs_trained_at_once_log_what_runs_trained_one_by_one_log(tmp_path, tbkit):
    scenarios = ["first_pass_normal", "full_train_normal", "full_train_he_relu"]
    args = [*sum((["--scenario", s] for s in scenarios), []), "--iterations", 30, "--log-every", 10]
    outputs = {}
    for jobs in (1, 3):
        result = tbkit("train", *args, "--jobs", jobs, "--logdir", tmp_path / f"jobs{jobs}")
        outputs[jobs] = result.stdout.splitlines()
    for run in scenarios:
        one, three = everything_logged(tmp_path / "jobs1" / run), everything_logged(tmp_path / "jobs3" / run)
        assert one == three, run
        assert one["scalars"]["loss"] and one["histograms"]
    # The study table lists the runs in the order asked for, with the same figures (secs aside).
    def table(lines):
        rows = [line for line in lines if line.split()[:1] and line.split()[0] in scenarios
                and line.split()[1] != "step"]
        return [row.split()[:-1] for row in rows]
    assert [row[0] for row in table(outputs[3])] == scenarios
    assert table(outputs[1]) == table(outputs[3])
    # Each run's progress ends once, whichever thread trained it.
    for run in scenarios[1:]:
        assert sum(line.startswith(f"{run} step 30/30 ") for line in outputs[3]) == 1
    bad = tbkit("train", "--jobs", 0, "--logdir", tmp_path / "none", check=False)
    assert bad.returncode == 2 and "--jobs must be positive" in bad.stderr


# ---------------------------------------------------------------- the seven runs over HTTP

ARTICLE = {  # run: (initializer, activation, trains)
    "first_pass_normal": ("normal", "sigmoid", False),
    "first_pass_variance": ("xavier", "sigmoid", False),
    "full_train_normal": ("normal", "sigmoid", True),
    "full_train_variance": ("xavier", "sigmoid", True),
    "full_train_normal_relu": ("normal", "relu", True),
    "full_train_variance_relu": ("xavier", "relu", True),
    "full_train_he_relu": ("he", "relu", True),
}
FULL = [r for r, (_, _, trains) in ARTICLE.items() if trains]
STEPS = 20


@pytest.fixture(scope="module")
def lab(tmp_path_factory, tbkit):
    logdir = tmp_path_factory.mktemp("lab")
    tbkit("train", "--iterations", STEPS, "--log-every", 10, "--logdir", logdir)
    return logdir


@pytest.fixture(scope="module", params=["auto", "false"])
def lab_server(request, lab):
    s = TensorBoardServer(lab, request.param)
    s.wait_for(lambda s: all("pr_curve/class_9" in s.json("/data/plugin/pr_curves/tags").get(r, {}) for r in FULL)
               and "." in s.json("/data/runs"), "the seven runs")
    yield s
    s.close()


# EXPERIMENT.md's tags (fc_out_N for N = 1..3), plus the lab's own per-layer extras.
STUDY_SCALARS = {"input_var", "mat_mul_var_1", "mat_mul_var_2", "mat_mul_var_3", "loss", "acc",
                 "saturation_1", "saturation_2"}
STUDY_HISTOGRAMS = {"mat_mul_hist_1", "mat_mul_hist_2", "mat_mul_hist_3", "fc_out_1", "fc_out_2", "fc_out_3",
                    "weights_1", "weights_2", "weights_3"}


@pytest.mark.parametrize("run", list(ARTICLE))
def test_tensorboards_loader_lists_every_study_tag_of_every_run(lab, run):
    acc = event_accumulator.EventAccumulator(str(lab / run), size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0, event_accumulator.TENSORS: 0})
    acc.Reload()
    tags = acc.Tags()
    trains = ARTICLE[run][2]
    scalars = STUDY_SCALARS | ({"test_acc"} if trains else set())
    histograms = STUDY_HISTOGRAMS | ({"grads_1", "grads_2", "grads_3"} if trains else set())
    assert scalars <= set(tags["scalars"]), scalars - set(tags["scalars"])
    assert histograms <= set(tags["histograms"]), histograms - set(tags["histograms"])
    logged_steps = [0, 10] if trains else [0]
    for tag in sorted(scalars - {"test_acc"}):
        assert [e.step for e in acc.Scalars(tag)] == logged_steps, tag
    for tag in sorted(histograms):
        assert [e.step for e in acc.Histograms(tag)] == logged_steps, tag
    if trains:
        assert [e.step for e in acc.Scalars("test_acc")] == [STEPS]


def test_the_lab_enables_every_dashboard_it_feeds(lab_server):
    lab_server.wait_for(lambda s: s.json("/data/plugins_listing")["projector"]["enabled"], "projector")
    listing = lab_server.json("/data/plugins_listing")
    for name in ["scalars", "histograms", "distributions", "images", "text", "hparams", "custom_scalars",
                 "pr_curves", "projector"]:
        assert listing[name]["enabled"], name


def png_size(raw):
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR"
    return struct.unpack(">II", raw[16:24])


def test_images_show_the_filters_grid_and_the_input_digits(lab_server):
    tags = lab_server.json("/data/plugin/images/tags")
    for run, (_, _, trains) in ARTICLE.items():
        assert set(tags[run]) == {"filters_1", "input_digits"}, run
        q = urllib.parse.urlencode({"run": run, "tag": "filters_1"})
        entries = lab_server.json("/data/plugin/images/images?" + q)
        assert [e["step"] for e in entries] == ([0, STEPS] if trains else [0]), run
        raw, ctype = lab_server.raw("/data/plugin/images/individualImage?" + entries[-1]["query"])
        assert ctype == "image/png" and png_size(raw) == (8 * 28 + 9, 8 * 28 + 9)
        q = urllib.parse.urlencode({"run": run, "tag": "input_digits"})
        (digits,) = lab_server.json("/data/plugin/images/images?" + q)
        raw, _ = lab_server.raw("/data/plugin/images/individualImage?" + digits["query"])
        # 100 digits (10 x 10) for a first pass, the 30 of the first batch (6 x 5) for a full run.
        assert png_size(raw) == ((6 * 28 + 7, 5 * 28 + 6) if trains else (10 * 28 + 11, 10 * 28 + 11)), run


def test_text_shows_each_runs_configuration_table(lab_server):
    for run, (initializer, activation, _) in ARTICLE.items():
        q = urllib.parse.urlencode({"run": run, "tag": "config"})
        (entry,) = lab_server.json("/data/plugin/text/text?" + q)
        html = entry["text"]
        assert entry["step"] == 0 and "<table>" in html, run
        assert f"<td>{initializer}: <code>" in html and f"<td>{activation}</td>" in html, run
        assert "<td>glorot_uniform</td>" in html and "mnist-5k" in html


def test_hparams_compare_the_seven_sessions_by_initializer_activation_and_sigma(lab, lab_server):
    exp = lab_server.json("/data/plugin/hparams/experiment", {"experimentName": ""})
    infos = {h["name"]: h for h in exp["hparamInfos"]}
    assert {"initializer", "activation", "init_stddev", "num_hidden_layers", "batch_size", "iterations", "seed",
            "output_initializer"} <= set(infos)
    assert {"normal", "xavier", "he"} <= set(infos["initializer"]["domainDiscrete"])
    assert [m["name"]["tag"] for m in exp["metricInfos"]] == ["test_acc", "loss", "acc"]
    body = {
        "experimentName": "",
        "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
        "colParams": [{"hparam": h} for h in infos] + [{"metric": {"group": "", "tag": t}} for t in ["test_acc", "loss", "acc"]],
        "startIndex": 0, "sliceSize": 100,
    }
    groups = lab_server.json("/data/plugin/hparams/session_groups", body)
    assert groups["totalSize"] == 7
    by_run = {g["sessions"][0]["name"]: g for g in groups["sessionGroups"]}
    assert set(by_run) == set(ARTICLE)
    for run, (initializer, activation, trains) in ARTICLE.items():
        g = by_run[run]
        assert g["hparams"]["initializer"] == initializer and g["hparams"]["activation"] == activation, run
        assert g["sessions"][0]["status"] == "STATUS_SUCCESS"
        sigma = g["hparams"]["init_stddev"]
        assert sigma == pytest.approx(1.0 if initializer == "normal" else (2 / 884) ** 0.5 if initializer == "xavier"
                                      else (2 / 784) ** 0.5), run
        metrics = {m["name"]["tag"]: m for m in g["metricValues"]}
        assert "loss" in metrics, run
        if trains:
            acc = event_accumulator.EventAccumulator(str(lab / run))
            acc.Reload()
            (last,) = acc.Scalars("test_acc")
            assert metrics["test_acc"]["value"] == pytest.approx(last.value) and metrics["test_acc"]["trainingStep"] == STEPS
        else:
            assert "test_acc" not in metrics, run


def test_custom_scalars_chart_every_layers_matmul_variance_and_saturation(lab_server):
    layout = lab_server.json("/data/plugin/custom_scalars/layout")
    charts = [c for cat in layout["category"] for c in cat["chart"]]
    tags = [t for c in charts for t in c.get("multiline", {}).get("tag", [])]
    assert r"mat_mul_var_\d+$" in tags and r"saturation_\d+$" in tags
    # Every run carries the same layout; TensorBoard merges them into one set of charts.
    assert len(charts) == len({c["title"] for c in charts})
    q = urllib.parse.urlencode({"run": "full_train_he_relu", "tag": r"mat_mul_var_\d+$"})
    scalars = lab_server.json("/data/plugin/custom_scalars/scalars?" + q)
    assert scalars["regex_valid"]
    assert set(scalars["tag_to_events"]) == {"mat_mul_var_1", "mat_mul_var_2", "mat_mul_var_3"}
    q = urllib.parse.urlencode({"run": "first_pass_normal", "tag": r"saturation_\d+$"})
    assert set(lab_server.json("/data/plugin/custom_scalars/scalars?" + q)["tag_to_events"]) == {"saturation_1", "saturation_2"}


def test_pr_curves_one_per_class_for_every_full_run(lab_server):
    tags = lab_server.json("/data/plugin/pr_curves/tags")
    for run in FULL:
        assert set(tags[run]) == {f"pr_curve/class_{k}" for k in range(10)}, run
    assert not any(r in tags for r in ARTICLE if r not in FULL)
    q = urllib.parse.urlencode({"run": "full_train_he_relu", "tag": "pr_curve/class_3"})
    (entry,) = lab_server.json("/data/plugin/pr_curves/pr_curves?" + q)["full_train_he_relu"]
    assert entry["step"] == STEPS
    # 100 threes among the 1,000 embedded test images: at threshold 0 all are predicted positive.
    assert entry["true_positives"][0] == 100 and entry["false_positives"][0] == 900


def test_projector_shows_the_last_hidden_layer_of_the_test_images(lab_server):
    lab_server.wait_for(lambda s: set(FULL) <= set(s.json("/data/plugin/projector/runs")), "projector runs")
    info = lab_server.json("/data/plugin/projector/info?run=full_train_variance")
    (e,) = info["embeddings"]
    assert e["tensorName"] == "fc_out_2" and e["tensorShape"] == [1000, 100]
    raw, _ = lab_server.raw("/data/plugin/projector/tensor?run=full_train_variance&name=fc_out_2")
    t = np.frombuffer(raw, dtype=np.float32).reshape(1000, 100)
    assert np.all((t > 0) & (t < 1))  # sigmoid outputs
    raw, _ = lab_server.raw("/data/plugin/projector/metadata?run=full_train_variance&name=fc_out_2")
    labels = raw.decode().splitlines()
    assert len(labels) == 1000 and set(labels) == {str(d) for d in range(10)}
