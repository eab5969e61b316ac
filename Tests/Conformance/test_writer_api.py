"""The writer's newer verbs, read back by TensorBoard itself.

`tbkit demo-writer-api <logdir>` writes v1 and CHW images, a custom scalars layout merged with the
chart of `scalars()`, two `hparams(_:metrics:)` runs and histograms from raw float16/bfloat16
bytes. These tests read them with TensorBoard's legacy EventAccumulator (which knows images only
as v1 `Summary.Image`) and through a TensorBoard server's plugin routes (both loaders). `-o -`
is checked on the commands that take `-o`.
"""
import io
import os
import subprocess
import tempfile

import numpy as np
import pytest
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.plugins.custom_scalar import layout_pb2
from tensorboard.util import tensor_util

from conftest import TensorBoardServer, tbkit_binary


def gradient(step):
    y, x = np.mgrid[0:8, 0:16]
    return np.stack([16 * x, 32 * y, np.full_like(x, 40 * step)], axis=-1).astype(np.uint8)


@pytest.fixture(scope="module")
def logdir():
    d = tempfile.mkdtemp(prefix="tbkit-writer-api-")
    subprocess.run([tbkit_binary(), "demo-writer-api", d], check=True, capture_output=True)
    return d


def accumulator(path):
    acc = event_accumulator.EventAccumulator(
        path, size_guidance={"tensors": 0, "scalars": 0, "images": 0, "histograms": 0})
    acc.Reload()
    return acc


def test_event_accumulator_images_finds_v1_images_with_their_pixels(logdir):
    acc = accumulator(os.path.join(logdir, "images"))
    assert "v1/gradient" in acc.Tags()["images"]
    events = acc.Images("v1/gradient")
    assert [e.step for e in events] == [0, 1]
    for e in events:
        assert (e.width, e.height) == (16, 8)
        pixels = np.array(Image.open(io.BytesIO(e.encoded_image_string)))
        assert np.array_equal(pixels, gradient(e.step))


def test_a_chw_buffer_is_drawn_as_the_image_it_holds(logdir):
    acc = accumulator(os.path.join(logdir, "images"))
    (ev,) = acc.Tensors("chw/gradient")
    width, height, png = tensor_util.make_ndarray(ev.tensor_proto)
    assert (width, height) == (b"16", b"8")
    assert np.array_equal(np.array(Image.open(io.BytesIO(png))), gradient(0))


def test_the_last_layout_holds_the_callers_category_and_the_scalars_chart(logdir):
    acc = accumulator(os.path.join(logdir, "layout"))
    last = acc.Tensors("custom_scalars__config__")[-1]
    layout = layout_pb2.Layout()
    layout.ParseFromString(tensor_util.make_ndarray(last.tensor_proto).item())
    assert [c.title for c in layout.category] == ["Mine", "loss"]
    assert list(layout.category[0].chart[0].multiline.tag) == ["acc$"]
    assert list(layout.category[1].chart[0].multiline.tag) == ["^loss/test$", "^loss/train$"]


def test_half_precision_histograms_count_every_value(logdir):
    acc = accumulator(os.path.join(logdir, "half"))
    values = (np.arange(100) - 50) / 16
    for tag in ["weights", "weights_bf16"]:
        (h,) = acc.Histograms(tag)
        assert h.histogram_value.num == 100
        assert h.histogram_value.min == values.min() and h.histogram_value.max == values.max()
        assert abs(h.histogram_value.sum - values.sum()) < 1e-9
        assert sum(h.histogram_value.bucket) == 100


@pytest.fixture(scope="module", params=["auto", "false"])
def server(request, logdir):
    s = TensorBoardServer(logdir, request.param)
    s.wait_for(lambda s: {"hp-a", "hp-b", "layout", "images", "half"} <= set(s.json("/data/runs")), "the runs")
    yield s
    s.close()


def test_hparams_dashboard_shows_each_run_with_its_metrics(server):
    def loaded(s):
        exp = s.json("/data/plugin/hparams/experiment", {"experimentName": ""})
        tags = {m["name"]["tag"] for m in exp.get("metricInfos", [])}
        return exp if {"hparam/accuracy", "hparam/loss"} <= tags else None

    exp = server.wait_for(loaded, "the hparams metrics")
    assert {h["name"] for h in exp["hparamInfos"]} == {"lr", "init"}
    body = {
        "experimentName": "",
        "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
        "colParams": [{"hparam": "lr"}, {"hparam": "init"},
                      {"metric": {"group": "", "tag": "hparam/accuracy"}},
                      {"metric": {"group": "", "tag": "hparam/loss"}}],
        "startIndex": 0, "sliceSize": 100,
    }
    groups = server.json("/data/plugin/hparams/session_groups", body)
    by_init = {g["hparams"]["init"]: g for g in groups["sessionGroups"]}
    assert set(by_init) == {"he", "xavier"}
    for init, lr, acc, loss in [("he", 0.01, 0.9, 0.25), ("xavier", 0.001, 0.8, 0.5)]:
        group = by_init[init]
        assert abs(group["hparams"]["lr"] - lr) < 1e-12
        (session,) = group["sessions"]
        assert session["status"] == "STATUS_SUCCESS"
        metrics = {m["name"]["tag"]: m["value"] for m in group["metricValues"]}
        assert abs(metrics["hparam/accuracy"] - acc) < 1e-6 and abs(metrics["hparam/loss"] - loss) < 1e-6


def test_custom_scalars_dashboard_shows_both_the_callers_and_the_scalars_charts(server):
    layout = server.wait_for(lambda s: s.json("/data/plugin/custom_scalars/layout").get("category"), "the layout")
    assert [c["title"] for c in layout] == ["Mine", "loss"]
    assert layout[1]["chart"][0]["multiline"]["tag"] == ["^loss/test$", "^loss/train$"]


def test_images_dashboard_lists_the_v1_image(server):
    tags = server.wait_for(lambda s: s.json("/data/plugin/images/tags").get("images"), "image tags")
    assert set(tags) == {"v1/gradient", "chw/gradient"}


def test_dash_o_writes_export_and_report_to_standard_output(logdir, tmp_path):
    binary = tbkit_binary()
    export = subprocess.run([binary, "export", logdir, "--run", "layout", "-o", "-"],
                            capture_output=True, text=True, cwd=tmp_path, check=True)
    assert export.stdout.splitlines()[0].startswith("run,")
    assert "loss/train" in export.stdout
    report = subprocess.run([binary, "report", logdir, "-o", "-"],
                            capture_output=True, text=True, cwd=tmp_path, check=True)
    assert report.stdout.lstrip().lower().startswith("<!doctype html")
    assert "written to standard output" in report.stderr
    assert not (tmp_path / "-").exists()
