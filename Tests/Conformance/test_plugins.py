"""Conformance of TBKit's dashboard summaries with the real TensorBoard.

`tbkit demo-plugins <logdir>` writes one summary of every kind (see
Sources/tbkit/DemoPluginsCommand.swift for the exact contents). These tests
(a) read the files with TensorBoard's own EventAccumulator and plugin protos and
check every value, and (b) start `tensorboard` on the logdir, once per loader
(`--load_fast=auto`, i.e. the Rust data server, and `--load_fast=false`, the
Python one), and query each dashboard's HTTP routes.

PNGs are decoded by a small independent decoder below (zlib + the PNG filters), which also
checks every chunk CRC; Pillow, when installed, is used as a second opinion.

Run with the other conformance tests (Scripts/test), or alone after `swift build`:
    TBKIT_BIN=.build/debug/tbkit .venv/bin/python -m pytest Tests/Conformance/test_plugins.py
"""

import io
import json
import math
import os
import shutil
import struct
import subprocess
import tempfile
import urllib.parse
import urllib.request
import wave
import zlib

import numpy as np
import pytest

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.plugins.audio import plugin_data_pb2 as audio_pb2
from tensorboard.plugins.custom_scalar import layout_pb2
from tensorboard.plugins.hparams import plugin_data_pb2 as hparams_pb2
from tensorboard.plugins.pr_curve import plugin_data_pb2 as pr_pb2
from tensorboard.util import tensor_util

from conftest import TensorBoardServer, tbkit_binary

MARKDOWN = "# Demo run\n| init | accuracy |\n|------|----------|\n| he   | 0.97     |"


# ---------------------------------------------------------------- PNG decoding

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 4: 2, 2: 3, 6: 4}  # PNG colour type -> samples per pixel


def decode_png(data):
    """Decodes an 8-bit, non-interlaced PNG into a (height, width, channels) uint8 array,
    checking the signature, chunk order and every chunk CRC. Returns (pixels, colour type)."""
    assert data[:8] == PNG_SIGNATURE
    pos, chunks = 8, []
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        pos += 12 + n
    assert pos == len(data)
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, ctype, comp, filt, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, comp, filt, interlace) == (8, 0, 0, 0)
    bpp = CHANNELS[ctype]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * bpp
    assert len(raw) == (stride + 1) * height
    out = np.zeros((height, stride), dtype=np.int64)
    prev = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1).astype(np.int64)
        cur = np.zeros(stride, dtype=np.int64)
        for x in range(stride):
            a = cur[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 0:
                pred = 0
            elif ftype == 1:
                pred = a
            elif ftype == 2:
                pred = b
            elif ftype == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + pred) & 0xFF
        out[y] = cur
        prev = cur
    pixels = out.astype(np.uint8).reshape(height, width, bpp)
    try:  # a second opinion when Pillow is installed
        from PIL import Image
        img = np.asarray(Image.open(io.BytesIO(data)))
        assert np.array_equal(img.reshape(pixels.shape), pixels)
    except ImportError:
        pass
    return pixels, ctype


# ---------------------------------------------------------------- expected data

def gradient_pixels(step):
    """images/gradient: 16×8 RGB, pixel (x, y) = (16x, 32y, 40·step)."""
    a = np.zeros((8, 16, 3), dtype=np.uint8)
    for y in range(8):
        for x in range(16):
            a[y, x] = (16 * x, 32 * y, 40 * step)
    return a


def gray_alpha_pixels():
    i = np.arange(20)
    return np.stack([i * 12, 255 - i * 10], axis=1).reshape(4, 5, 2).astype(np.uint8)


def to_byte(x):
    """TBKit's PixelScaling: round-half-away(clamp(x, 0, 1) × 255), in float32."""
    y = np.clip(np.float32(x), 0, 1) * np.float32(255)
    return np.floor(y + np.float32(0.5)).astype(np.uint8)


def rgba_pixels():
    x = np.arange(36, dtype=np.float32) / np.float32(35)
    return to_byte(x).reshape(3, 3, 4)


def grid_pixels():
    """Six 5×5 tiles (per-tile min–max normalized), 3 columns, 1 px zero padding."""
    out = np.zeros((2 * 5 + 3, 3 * 5 + 4), dtype=np.uint8)
    tile = to_byte(np.arange(25, dtype=np.float32) * (np.float32(1) / np.float32(24)))
    for t in range(6):
        r, c = divmod(t, 3)
        y0, x0 = 1 + r * 6, 1 + c * 6
        out[y0:y0 + 5, x0:x0 + 5] = tile.reshape(5, 5)
    return out


def pr_expected(n=11):
    """TensorBoard's pr_curve summary.pb computation for the demo's 20 examples."""
    predictions = np.arange(20, dtype=np.float32) / np.float32(19)
    labels = np.array([i >= 8 or i == 3 for i in range(20)])
    bucket = np.int32(np.floor(predictions * (n - 1)))
    fl = labels.astype(float)
    tp_b, _ = np.histogram(bucket, bins=n, range=(0, n - 1), weights=fl)
    fp_b, _ = np.histogram(bucket, bins=n, range=(0, n - 1), weights=1.0 - fl)
    tp = np.cumsum(tp_b[::-1])[::-1]
    fp = np.cumsum(fp_b[::-1])[::-1]
    tn = fp[0] - fp
    fn = tp[0] - tp
    precision = tp / np.maximum(1e-7, tp + fp)
    recall = tp / np.maximum(1e-7, tp + fn)
    return np.float32(np.stack([tp, fp, tn, fn, precision, recall]))


def tone():
    x = 0.5 * np.sin(2 * np.pi * 440 * np.arange(2000) / 8000)
    return np.round(np.float32(x) * np.float32(32767)).astype(np.int16)


def spiral():
    pts = []
    for i in range(20):
        t = i / 3
        pts.append([np.float32(math.cos(t)), np.float32(math.sin(t)), np.float32(i) / np.float32(20)])
    return np.array(pts, dtype=np.float32)


SPIRAL_LABELS = [("even %d" if i % 2 == 0 else "odd %d") % i for i in range(20)]


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def logdir():
    d = tempfile.mkdtemp(prefix="tbkit-plugins-")
    subprocess.run([tbkit_binary(), "demo-plugins", d], check=True, capture_output=True)
    return d


def accumulator(path):
    acc = event_accumulator.EventAccumulator(path, size_guidance={"tensors": 0, "scalars": 0})
    acc.Reload()
    return acc


@pytest.fixture(scope="module")
def demo(logdir):
    return accumulator(os.path.join(logdir, "demo"))


def png_of(acc, tag, index=0):
    ev = acc.Tensors(tag)[index]
    values = tensor_util.make_ndarray(ev.tensor_proto)
    return ev, values


# ---------------------------------------------------------------- (a) files

def test_images_are_v2_string_tensors_with_width_height_and_png(demo):
    assert demo.SummaryMetadata("images/gradient").plugin_data.plugin_name == "images"
    assert demo.SummaryMetadata("images/gradient").plugin_data.content == b""
    events = demo.Tensors("images/gradient")
    assert [e.step for e in events] == [0, 1]
    for e in events:
        v = tensor_util.make_ndarray(e.tensor_proto)
        assert v.shape == (3,)
        assert v[0] == b"16" and v[1] == b"8"
        pixels, ctype = decode_png(v[2])
        assert ctype == 2 and pixels.shape == (8, 16, 3)
        assert np.array_equal(pixels, gradient_pixels(e.step))


def test_gray_alpha_rgba_and_float_images_decode_to_the_written_pixels(demo):
    _, v = png_of(demo, "images/gray_alpha")
    pixels, ctype = decode_png(v[2])
    assert ctype == 4 and np.array_equal(pixels, gray_alpha_pixels())
    _, v = png_of(demo, "images/rgba")
    pixels, ctype = decode_png(v[2])
    assert ctype == 6 and np.array_equal(pixels, rgba_pixels())


def test_image_grid_tiles_normalized_tiles_with_padding(demo):
    _, v = png_of(demo, "images/grid")
    assert (v[0], v[1]) == (b"19", b"13")
    pixels, ctype = decode_png(v[2])
    assert ctype == 0 and np.array_equal(pixels[:, :, 0], grid_pixels())


def test_png_is_recognized_by_file(demo, tmp_path):
    if shutil.which("file") is None:
        pytest.skip("the file(1) command is not installed")
    _, v = png_of(demo, "images/gradient")
    p = tmp_path / "g.png"
    p.write_bytes(v[2])
    out = subprocess.run(["file", str(p)], capture_output=True, text=True, check=True).stdout
    assert "PNG image data, 16 x 8, 8-bit/color RGB" in out


def test_png_passes_pillow_verify_including_chunk_crcs(demo):
    Image = pytest.importorskip("PIL.Image")
    for tag in ["images/gradient", "images/gray_alpha", "images/rgba", "images/grid"]:
        _, v = png_of(demo, tag)
        Image.open(io.BytesIO(v[2])).verify()  # checks every chunk CRC


def test_text_is_a_rank0_string_tensor_of_markdown(demo):
    assert demo.SummaryMetadata("notes").plugin_data.plugin_name == "text"
    ev = demo.Tensors("notes")[0]
    assert list(ev.tensor_proto.tensor_shape.dim) == []
    assert tensor_util.make_ndarray(ev.tensor_proto).item().decode() == MARKDOWN


def test_custom_scalars_layout_parses_as_tensorboard_layout(demo):
    assert demo.SummaryMetadata("custom_scalars__config__").plugin_data.plugin_name == "custom_scalars"
    ev = demo.Tensors("custom_scalars__config__")[0]
    layout = layout_pb2.Layout.FromString(ev.tensor_proto.string_val[0])
    assert [c.title for c in layout.category] == ["Losses", "Accuracy"]
    assert list(layout.category[0].chart[0].multiline.tag) == ["loss/train$", "loss/test$"]
    assert layout.category[0].chart[0].title == "train and test"
    s = layout.category[1].chart[0].margin.series[0]
    assert (s.value, s.lower, s.upper) == ("acc/mid", "acc/low", "acc/high")
    assert layout.category[1].closed and not layout.category[0].closed
    # Re-serializing through protobuf gives our bytes back.
    assert layout.SerializeToString() == ev.tensor_proto.string_val[0]


def test_pr_curve_matches_tensorboards_own_computation(demo):
    meta = demo.SummaryMetadata("pr/demo").plugin_data
    assert meta.plugin_name == "pr_curves"
    assert meta.content == b"\x10\x0b"
    assert pr_pb2.PrCurvePluginData.FromString(meta.content).num_thresholds == 11
    data = tensor_util.make_ndarray(demo.Tensors("pr/demo")[0].tensor_proto)
    assert data.dtype == np.float32 and data.shape == (6, 11)
    assert np.array_equal(data, pr_expected())


def test_audio_is_a_wav_blob_with_the_written_samples(demo):
    meta = demo.SummaryMetadata("audio/tone").plugin_data
    assert meta.plugin_name == "audio" and meta.content == b"\x10\x0b"
    assert audio_pb2.AudioPluginData.FromString(meta.content).encoding == audio_pb2.AudioPluginData.WAV
    v = tensor_util.make_ndarray(demo.Tensors("audio/tone")[0].tensor_proto)
    assert v.shape == (1,)
    with wave.open(io.BytesIO(v[0])) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, 8000, 2000)
        samples = np.frombuffer(w.readframes(2000), dtype="<i2")
    assert np.abs(samples.astype(int) - tone().astype(int)).max() <= 1


def test_hparams_experiment_is_at_the_logdir_root(logdir):
    acc = accumulator(logdir)
    meta = acc.SummaryMetadata("_hparams_/experiment")
    assert meta.plugin_data.plugin_name == "hparams"
    ev = acc.Tensors("_hparams_/experiment")[0]
    assert ev.tensor_proto.SerializeToString() == b"\x08\x01\x12\x02\x12\x00"
    data = hparams_pb2.HParamsPluginData.FromString(meta.plugin_data.content)
    assert data.version == 0 and data.WhichOneof("data") == "experiment"
    infos = {h.name: h for h in data.experiment.hparam_infos}
    assert [v.string_value for v in infos["init"].domain_discrete.values] == ["he", "xavier"]
    assert infos["init"].type == 1
    assert (infos["lr"].domain_interval.min_value, infos["lr"].domain_interval.max_value) == (0.0001, 0.1)
    assert infos["lr"].type == 3
    assert [v.bool_value for v in infos["bias"].domain_discrete.values] == [True, False]
    assert infos["bias"].type == 2
    (metric,) = data.experiment.metric_infos
    assert (metric.name.group, metric.name.tag, metric.display_name) == ("", "accuracy", "Accuracy")
    assert data.SerializeToString() == meta.plugin_data.content


@pytest.mark.parametrize("run,expected", [
    ("trial-1", {"init": "he", "lr": 0.01, "bias": True}),
    ("trial-2", {"init": "xavier", "lr": 0.001, "bias": False}),
])
def test_hparams_sessions_hold_their_values_and_end_successfully(logdir, run, expected):
    acc = accumulator(os.path.join(logdir, run))
    start = hparams_pb2.HParamsPluginData.FromString(
        acc.SummaryMetadata("_hparams_/session_start_info").plugin_data.content).session_start_info
    got = {}
    for k, v in start.hparams.items():
        got[k] = getattr(v, v.WhichOneof("kind"))
    assert got == expected
    assert start.group_name == "" and start.start_time_secs > 1.6e9
    end = hparams_pb2.HParamsPluginData.FromString(
        acc.SummaryMetadata("_hparams_/session_end_info").plugin_data.content).session_end_info
    assert end.status == 1 and end.end_time_secs >= start.start_time_secs


def test_projector_files_resolve_inside_the_run(logdir):
    run = os.path.join(logdir, "demo")
    from google.protobuf import text_format
    from tensorboard.plugins.projector import projector_config_pb2
    config = text_format.Parse(open(os.path.join(run, "projector_config.pbtxt")).read(),
                               projector_config_pb2.ProjectorConfig())
    (e,) = config.embeddings
    assert e.tensor_name == "spiral" and list(e.tensor_shape) == [20, 3]
    t = np.loadtxt(os.path.join(run, e.tensor_path), delimiter="\t", dtype=np.float32)
    assert np.array_equal(t, spiral())
    labels = open(os.path.join(run, e.metadata_path)).read().splitlines()
    assert labels == SPIRAL_LABELS


# ---------------------------------------------------------------- (b) HTTP


@pytest.fixture(scope="module", params=["auto", "false"])
def server(request, logdir):
    s = TensorBoardServer(logdir, request.param)
    # Wait until every run and the last-written tags are loaded.
    s.wait_for(lambda s: "audio/tone" in s.json("/data/plugin/audio/tags").get("demo", {})
               and "trial-2" in s.json("/data/runs"), "the demo runs")
    yield s
    s.close()


def test_every_dashboard_is_listed_and_enabled(server):
    server.wait_for(lambda s: s.json("/data/plugins_listing")["projector"]["enabled"], "projector")
    listing = server.json("/data/plugins_listing")
    for name in ["scalars", "images", "text", "hparams", "custom_scalars", "pr_curves", "audio", "projector",
                 "graphs"]:
        assert listing[name]["enabled"], name


def test_images_route_serves_the_written_pngs(server):
    tags = server.json("/data/plugin/images/tags")
    assert set(tags["demo"]) == {"images/gradient", "images/gray_alpha", "images/rgba", "images/grid"}
    q = urllib.parse.urlencode({"run": "demo", "tag": "images/gradient"})
    entries = server.json("/data/plugin/images/images?" + q)
    assert [e["step"] for e in entries] == [0, 1]
    for e in entries:
        raw, ctype = server.raw("/data/plugin/images/individualImage?" + e["query"])
        assert ctype == "image/png"
        assert np.array_equal(decode_png(raw)[0], gradient_pixels(e["step"]))
    q = urllib.parse.urlencode({"run": "demo", "tag": "images/grid"})
    (e,) = server.json("/data/plugin/images/images?" + q)
    raw, _ = server.raw("/data/plugin/images/individualImage?" + e["query"])
    assert np.array_equal(decode_png(raw)[0][:, :, 0], grid_pixels())


def test_text_route_renders_the_markdown_table(server):
    q = urllib.parse.urlencode({"run": "demo", "tag": "notes"})
    (entry,) = server.json("/data/plugin/text/text?" + q)
    assert entry["step"] == 0
    assert "<h1>Demo run</h1>" in entry["text"]
    assert "<table>" in entry["text"] and "<td>he</td>" in entry["text"]


def test_hparams_routes_show_the_experiment_and_both_sessions(server):
    exp = server.json("/data/plugin/hparams/experiment", {"experimentName": ""})
    infos = {h["name"]: h for h in exp["hparamInfos"]}
    assert set(infos) == {"init", "lr", "bias"}
    assert infos["init"]["domainDiscrete"] == ["he", "xavier"]
    assert infos["lr"]["domainInterval"] == {"minValue": 0.0001, "maxValue": 0.1}
    assert [m["name"]["tag"] for m in exp["metricInfos"]] == ["accuracy"]
    body = {
        "experimentName": "",
        "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
        "colParams": [{"hparam": "init"}, {"hparam": "lr"}, {"hparam": "bias"},
                      {"metric": {"group": "", "tag": "accuracy"}}],
        "startIndex": 0, "sliceSize": 100,
    }
    groups = server.json("/data/plugin/hparams/session_groups", body)
    assert groups["totalSize"] == 2
    by_init = {g["hparams"]["init"]: g for g in groups["sessionGroups"]}
    assert by_init["he"]["hparams"] == {"init": "he", "lr": 0.01, "bias": True}
    assert by_init["xavier"]["hparams"] == {"init": "xavier", "lr": 0.001, "bias": False}
    for init, last in [("he", 0.9), ("xavier", 0.7)]:
        (session,) = by_init[init]["sessions"]
        assert session["status"] == "STATUS_SUCCESS"
        (metric,) = by_init[init]["metricValues"]
        assert metric["name"]["tag"] == "accuracy"
        assert abs(metric["value"] - last) < 1e-6 and metric["trainingStep"] == 2


def test_custom_scalars_layout_route_returns_the_layout(server):
    layout = server.json("/data/plugin/custom_scalars/layout")
    titles = [c["title"] for c in layout["category"]]
    assert titles == ["Losses", "Accuracy"]
    assert layout["category"][0]["chart"][0]["multiline"]["tag"] == ["loss/train$", "loss/test$"]
    assert layout["category"][1]["chart"][0]["margin"]["series"][0] == {
        "value": "acc/mid", "lower": "acc/low", "upper": "acc/high"}
    q = urllib.parse.urlencode({"run": "demo", "tag": "loss/train$"})
    scalars = server.json("/data/plugin/custom_scalars/scalars?" + q)
    assert scalars["regex_valid"]
    (events,) = scalars["tag_to_events"].values()
    assert [row[1] for row in events] == [0, 1, 2, 3, 4]


def test_pr_curves_route_returns_the_written_curve(server):
    q = urllib.parse.urlencode({"run": "demo", "tag": "pr/demo"})
    (entry,) = server.json("/data/plugin/pr_curves/pr_curves?" + q)["demo"]
    exp = pr_expected()
    # The route trims columns after the last threshold with TP + FP > 0 (here none: all kept).
    k = len(entry["precision"])
    assert k == 11
    assert np.allclose(entry["thresholds"], np.linspace(0, 1, 11)[:k])
    for row, name in enumerate(["true_positives", "false_positives", "true_negatives",
                                "false_negatives", "precision", "recall"]):
        assert np.allclose(entry[name], exp[row][:k]), name


def test_audio_routes_serve_the_wav(server):
    q = urllib.parse.urlencode({"run": "demo", "tag": "audio/tone"})
    (entry,) = server.json("/data/plugin/audio/audio?" + q)
    assert entry["contentType"] == "audio/wav"
    raw, ctype = server.raw("/data/plugin/audio/individualAudio?" + entry["query"])
    assert ctype == "audio/wav"
    with wave.open(io.BytesIO(raw)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    assert np.abs(samples.astype(int) - tone().astype(int)).max() <= 1


def test_projector_routes_serve_the_embedding_and_labels(server):
    server.wait_for(lambda s: "demo" in s.json("/data/plugin/projector/runs"), "projector runs")
    info = server.json("/data/plugin/projector/info?run=demo")
    (e,) = info["embeddings"]
    assert e["tensorName"] == "spiral" and e["tensorShape"] == [20, 3]
    raw, _ = server.raw("/data/plugin/projector/tensor?run=demo&name=spiral")
    assert np.array_equal(np.frombuffer(raw, dtype=np.float32).reshape(20, 3), spiral())
    raw, _ = server.raw("/data/plugin/projector/metadata?run=demo&name=spiral")
    assert raw.decode().splitlines() == SPIRAL_LABELS


def test_graph_route_serves_the_nodes_and_edges(server):
    raw, _ = server.raw("/data/plugin/graphs/graph?run=demo&conceptual=false")
    from google.protobuf import text_format
    from tensorboard.compat.proto import graph_pb2
    graph = text_format.Parse(raw.decode(), graph_pb2.GraphDef())
    nodes = {n.name: n for n in graph.node}
    assert set(nodes) == {"input", "dense1/W", "dense1/MatMul", "dense1/Relu", "dense2/W", "dense2/MatMul", "softmax"}
    assert list(nodes["dense2/MatMul"].input) == ["dense1/Relu", "dense2/W"]
    assert [d.size for d in nodes["input"].attr["_output_shapes"].list.shape[0].dim] == [-1, 784]
