"""Regenerates the event-file fixtures in this folder and their expected values.

Run from the repository root with a Python that has tensorboard 2.21 and tensorboardX 2.6
(numpy included):

    python Tests/TBKitTests/Fixtures/make_fixtures.py

Writes:
- tensorboardx-writer/events.out.tfevents.1700000000.fixture: tensorboardX SummaryWriter with
  add_scalar (v1 simple_value), add_histogram (v1 HistogramProto, bins='tensorflow'),
  add_image (v1 Summary.Image, PNG) and add_text (v2 DT_STRING tensor, plugin "text").
- tensorflow-style/events.out.tfevents.1700000100.fixture.v2: TensorBoard's own summary_v2 proto
  builders (the code TensorFlow's tf.summary ops share): scalar_pb (rank-0 DT_FLOAT tensor,
  plugin "scalars"), histogram_pb (DT_DOUBLE [k,3] tensor, plugin "histograms"), text_pb, plus
  a hand-built rank-0 DT_DOUBLE scalar in double_val, written with tensorboard's
  EventFileWriter (the writer PyTorch uses).
- expected.json: the values as TensorBoard's protobuf runtime parses them back, for the tests
  (floats as repr() strings, so they parse back bit-exact).
File names are fixed after writing so the fixtures do not depend on the host.
"""
import glob
import json
import os
import shutil
import tempfile

import numpy as np
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2
from tensorboard.plugins.histogram import summary_v2 as histogram_v2
from tensorboard.plugins.scalar import summary_v2 as scalar_v2
from tensorboard.plugins.text import summary_v2 as text_v2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
from tensorboardX import SummaryWriter

HERE = os.path.dirname(os.path.abspath(__file__))
WALL = 1_700_000_000.0


def only_file(d):
    files = glob.glob(os.path.join(d, "*tfevents*"))
    assert len(files) == 1, files
    return files[0]


def write_tensorboardx(out):
    tmp = tempfile.mkdtemp()
    w = SummaryWriter(tmp)
    for step, v in enumerate([0.0, 0.5, -1.25, 1e-8, 3.4028234663852886e38, 0.1]):
        w.add_scalar("train/loss", v, step, walltime=WALL + step)
    rng = np.random.default_rng(7)
    for step in range(2):
        w.add_histogram("weights/w1", rng.standard_normal(200) * (step + 1), step, walltime=WALL + 10 + step)
    img = np.arange(4 * 3 * 3, dtype=np.uint8).reshape(4, 3, 3)  # H, W, C
    w.add_image("inputs/sample", img, 0, walltime=WALL + 20, dataformats="HWC")
    w.add_text("notes", "hello *world*", 0, walltime=WALL + 30)
    w.close()
    os.makedirs(out, exist_ok=True)
    shutil.move(only_file(tmp), os.path.join(out, "events.out.tfevents.1700000000.fixture"))
    shutil.rmtree(tmp)


def write_tensorflow_style(out):
    tmp = tempfile.mkdtemp()
    w = EventFileWriter(tmp, filename_suffix=".v2")

    def add(summary, step, wall):
        w.add_event(event_pb2.Event(wall_time=wall, step=step, summary=summary))

    for step, v in enumerate([0.75, 0.0, -2.5]):
        add(scalar_v2.scalar_pb("eval/accuracy", v), step, WALL + 100 + step)
    add(histogram_v2.histogram_pb("acts", np.array([0.0, 1.0, 1.0, 2.0, 3.5, -1.0]), buckets=4), 5, WALL + 110)
    add(histogram_v2.histogram_pb("const", np.array([2.0, 2.0, 2.0]), buckets=3), 6, WALL + 111)
    add(text_v2.text_pb("readme", "a **bold** note"), 0, WALL + 120)
    t = tensor_pb2.TensorProto(dtype=2, tensor_shape=tensor_shape_pb2.TensorShapeProto(), double_val=[0.1])
    md = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
    add(summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="eval/precise", tensor=t, metadata=md)]), 7, WALL + 130)
    w.close()
    os.makedirs(out, exist_ok=True)
    shutil.move(only_file(tmp), os.path.join(out, "events.out.tfevents.1700000100.fixture.v2"))
    shutil.rmtree(tmp)


def dump(path):
    """Every event as TensorBoard's protobuf runtime parses it, as plain JSON."""
    events = []
    for raw in RawEventFileLoader(path).Load():
        ev = event_pb2.Event.FromString(raw)
        e = {"wall_time": ev.wall_time, "step": ev.step, "what": ev.WhichOneof("what"), "values": []}
        if ev.HasField("file_version"):
            e["file_version"] = ev.file_version
        for v in ev.summary.value:
            d = {"tag": v.tag, "kind": v.WhichOneof("value"), "plugin": v.metadata.plugin_data.plugin_name}
            if d["kind"] == "simple_value":
                d["simple_value"] = float(v.simple_value)
            elif d["kind"] == "histo":
                h = v.histo
                d["histo"] = {"min": h.min, "max": h.max, "num": h.num, "sum": h.sum,
                              "sum_squares": h.sum_squares, "bucket_limit": list(h.bucket_limit),
                              "bucket": list(h.bucket)}
            elif d["kind"] == "image":
                d["image"] = {"height": v.image.height, "width": v.image.width,
                              "colorspace": v.image.colorspace, "png_size": len(v.image.encoded_image_string),
                              "png_head": list(v.image.encoded_image_string[:8])}
            elif d["kind"] == "tensor":
                t = v.tensor
                d["tensor"] = {"dtype": t.dtype, "shape": [x.size for x in t.tensor_shape.dim],
                               "content_size": len(t.tensor_content),
                               "float_val": list(t.float_val), "double_val": list(t.double_val),
                               "string_val": [s.decode() for s in t.string_val]}
                if t.dtype in (1, 2) and t.tensor_content:
                    d["tensor"]["content_values"] = np.frombuffer(
                        t.tensor_content, dtype=np.float32 if t.dtype == 1 else np.float64).tolist()
            e["values"].append(d)
        events.append(e)
    return events


def exact(obj):
    """Floats as repr strings: JSON number parsers are not all correctly rounded."""
    if isinstance(obj, float):
        return repr(obj)
    if isinstance(obj, list):
        return [exact(x) for x in obj]
    if isinstance(obj, dict):
        return {k: exact(v) for k, v in obj.items()}
    return obj


def main():
    write_tensorboardx(os.path.join(HERE, "tensorboardx-writer"))
    write_tensorflow_style(os.path.join(HERE, "tensorflow-style"))
    expected = {
        "tensorboardx": dump(os.path.join(HERE, "tensorboardx-writer", "events.out.tfevents.1700000000.fixture")),
        "tensorflow": dump(os.path.join(HERE, "tensorflow-style", "events.out.tfevents.1700000100.fixture.v2")),
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(exact(expected), f, indent=1)


if __name__ == "__main__":
    main()
