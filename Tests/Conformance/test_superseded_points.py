"""Runs where a later record supersedes earlier points, read by every tbkit reading command
(export, inspect, compare, report) and by both TensorBoard loaders over HTTP (the Python
plugin_event_multiplexer with --load_fast=false, the Rust data server with --load_fast=true).

Three runs in one logdir:
- `purged`: a resume with TBKit's purge (two SessionLog STARTs at step 500 in a second file) over a
  first file that logged steps 0..699; `rare` was logged at 400 and 650 before the crash only.
- `duplicate`: step 3 of `loss` logged twice in one file, with different values.
- `two_processes`: two processes writing one run directory at once, each its own file: `train/loss`
  from one, `eval/acc` from the other, and `lr` from both.

tbkit follows TensorBoard: a SessionLog START after a run's first purges every tag (the Python
loader; the Rust loader ignores SessionLogs), and for the same tag a later record at step s
replaces the earlier points at steps >= s (the Rust loader; the Python loader keeps both, in
reading order). So tbkit must equal the Python loader's points with the last write kept per step,
and the Rust loader's points except for `rare`, which only the Python loader purges.
"""
import csv
import io
import json
import subprocess
import sys
import time

import numpy as np
import pytest
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter

RESUME = 500


def scalar_event(tag, step, value, wall=None):
    return event_pb2.Event(wall_time=wall or time.time(), step=step, summary=summary_pb2.Summary(
        value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)]))


def histogram_event(tag, step, center):
    histogram = summary_pb2.HistogramProto(min=center - 1, max=center + 1, num=4, sum=4 * center,
                                           sum_squares=4 * center * center + 2,
                                           bucket_limit=[center, center + 1], bucket=[2, 2])
    return event_pb2.Event(wall_time=time.time(), step=step, summary=summary_pb2.Summary(
        value=[summary_pb2.Summary.Value(tag=tag, histo=histogram)]))


def start_event(step):
    return event_pb2.Event(wall_time=time.time(), step=step,
                           session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.START))


WRITER_PROCESS = """
import sys, time
sys.path[:0] = [{here!r}]
from test_superseded_points import scalar_event
from tensorboard.summary.writer.event_file_writer import EventFileWriter
own, offset = sys.argv[1], float(sys.argv[2])
writer = EventFileWriter(sys.argv[3])
for step in range(50):
    writer.add_event(scalar_event(own, step, offset + step))
    writer.add_event(scalar_event("lr", step, offset + 0.5 * step))
    writer.flush()
    time.sleep(0.002)
writer.close()
"""


def write_logdir(root):
    purged = str(root / "purged")
    first = EventFileWriter(purged)
    for step in range(700):
        first.add_event(scalar_event("loss", step, float(step)))
        if step % 50 == 0:
            first.add_event(histogram_event("w", step, float(step)))
        if step in (400, 650):
            first.add_event(scalar_event("rare", step, float(step)))
    first.close()
    time.sleep(1.1)  # the second file's name (its seconds) sorts after the first's
    second = EventFileWriter(purged)
    second.add_event(start_event(RESUME))
    second.add_event(start_event(RESUME))
    for step in range(RESUME, 1000):
        second.add_event(scalar_event("loss", step, 1000.0 + step))
        if step % 50 == 0:
            second.add_event(histogram_event("w", step, 1000.0 + step))
    second.close()

    duplicate = EventFileWriter(str(root / "duplicate"))
    for step, value in [(0, 0.0), (1, 1.0), (2, 2.0), (3, 3.0), (3, 33.0), (4, 4.0), (5, 5.0)]:
        duplicate.add_event(scalar_event("loss", step, value))
    duplicate.close()

    here = str(__import__("pathlib").Path(__file__).parent)
    script = WRITER_PROCESS.format(here=here)
    processes = [subprocess.Popen([sys.executable, "-c", script, tag, offset, str(root / "two_processes")])
                 for tag, offset in (("train/loss", "100"), ("eval/acc", "200"))]
    for process in processes:
        assert process.wait(timeout=120) == 0


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("superseded")
    write_logdir(root)
    assert len(list((root / "two_processes").glob("*tfevents*"))) == 2
    return root


SCALAR_TAGS = {"purged": ["loss", "rare"], "duplicate": ["loss"], "two_processes": ["train/loss", "eval/acc", "lr"]}
HISTOGRAM_TAGS = {"purged": ["w"]}


@pytest.fixture(scope="module", params=["false", "true"], ids=["python_loader", "rust_loader"])
def loader(request, logdir):
    """What one TensorBoard loader serves: scalars as [(step, value)], histograms as [step]."""
    from conftest import TensorBoardServer
    server = TensorBoardServer(logdir, request.param)
    try:
        def scalars(run, tag):
            return [(p[1], p[2]) for p in server.get("data/plugin/scalars/scalars", run=run, tag=tag)]

        server.wait_for(lambda s: len(scalars("purged", "loss")) >= 1000 and len(scalars("two_processes", "lr")) >= 50
                        and len(scalars("duplicate", "loss")) >= 6, "every run loaded")
        time.sleep(2)  # one more reload cycle: nothing left to read
        view = {"name": "python" if request.param == "false" else "rust", "scalars": {}, "histograms": {}}
        for run, tags in SCALAR_TAGS.items():
            for tag in tags:
                view["scalars"][(run, tag)] = scalars(run, tag)
        for run, tags in HISTOGRAM_TAGS.items():
            for tag in tags:
                points = server.get("data/plugin/histograms/histograms", run=run, tag=tag)
                view["histograms"][(run, tag)] = [p[1] for p in points]
        yield view
    finally:
        server.close()


def last_write_per_step(points):
    by_step = {}
    for step, value in points:
        by_step.pop(step, None)
        by_step[step] = value
    return sorted(by_step.items())


def expected_scalars(loader):
    """What tbkit must show, from what this loader serves and the one documented difference."""
    out = {}
    for key, points in loader["scalars"].items():
        if loader["name"] == "python":
            out[key] = last_write_per_step(points)  # Python keeps both writes of a step
        elif key == ("purged", "rare"):
            out[key] = [p for p in points if p[0] < RESUME]  # Rust ignores the START purge
        else:
            out[key] = points
    return out


def test_the_loaders_differ_where_the_docs_say(loader):
    scalars = loader["scalars"]
    if loader["name"] == "python":
        assert [s for s, _ in scalars[("duplicate", "loss")]] == [0, 1, 2, 3, 3, 4, 5]
        assert len(scalars[("two_processes", "lr")]) == 100  # both processes' points, zig-zag
        assert [s for s, _ in scalars[("purged", "rare")]] == [400]
    else:
        assert scalars[("duplicate", "loss")][3] == (3, 33.0)
        assert [s for s, _ in scalars[("two_processes", "lr")]] == list(range(50))
        assert [s for s, _ in scalars[("purged", "rare")]] == [400, 650]
    assert [s for s, _ in scalars[("purged", "loss")]] == list(range(1000))
    assert scalars[("purged", "loss")][600][1] == 1600.0


def as_float32(text):
    return float(np.float32(text))


def test_export_scalars_match_the_loader(loader, logdir, tbkit):
    rows = list(csv.DictReader(io.StringIO(tbkit("export", logdir).stdout)))
    got = {}
    for r in rows:
        got.setdefault((r["run"], r["tag"]), []).append((int(r["step"]), as_float32(r["value"])))
    assert got == expected_scalars(loader)


def test_export_histograms_match_the_loader(loader, logdir, tbkit):
    rows = list(csv.DictReader(io.StringIO(tbkit("export", logdir, "--kind", "histograms", "--stats").stdout)))
    got = {}
    for r in rows:
        got.setdefault((r["run"], r["tag"]), []).append(int(r["step"]))
    assert got == loader["histograms"]
    assert len(got[("purged", "w")]) == 20


def test_inspect_counts_and_steps_match_the_loader(loader, logdir, tbkit):
    inspection = json.loads(tbkit("inspect", logdir, "--json").stdout)
    expected = expected_scalars(loader)
    for run in inspection["runs"]:
        for tag in run["tags"]:
            key = (run["name"], tag["tag"])
            points = expected[key] if tag["kind"] == "scalars" else [(s, None) for s in loader["histograms"][key]]
            assert (tag["count"], tag["firstStep"], tag["lastStep"]) == (
                len(points), points[0][0], points[-1][0]), key
            if tag["kind"] == "scalars":
                assert tag["lastValue"] == points[-1][1], key
    purged = next(r for r in inspection["runs"] if r["name"] == "purged")
    superseded = {t["tag"]: t["superseded"] for t in purged["tags"]}
    assert superseded == {"loss": 200, "rare": 1, "w": 4}


def test_compare_uses_the_points_the_loader_shows(loader, logdir, tbkit):
    comparison = json.loads(tbkit("compare", logdir, "--json").stdout)
    expected = expected_scalars(loader)
    seen = set()
    for table in comparison["tags"]:
        for entry in table["entries"]:
            key = (entry["run"], table["tag"])
            values = [v for _, v in expected[key]]
            assert (entry["count"], entry["last"], entry["lastStep"]) == (
                len(values), values[-1], expected[key][-1][0]), key
            assert (entry["min"], entry["max"]) == (min(values), max(values)), key
            seen.add(key)
    assert seen == set(expected)


def test_report_draws_the_points_the_loader_shows(loader, logdir, tbkit, tmp_path):
    page = tmp_path / "report.html"
    tbkit("report", logdir, "-o", page)
    html = page.read_text()
    start = html.index('<script type="application/json" id="tbkit-data">')
    start = html.index(">", start) + 1
    data = json.loads(html[start:html.index("</script>", start)])
    expected = expected_scalars(loader)
    drawn = {}
    for chart in data["scalars"]:
        for series in chart["series"]:
            drawn[(series["run"], chart["tag"])] = list(zip(series["steps"], series["values"]))
            assert series["total"] == len(expected[(series["run"], chart["tag"])])
    assert drawn == expected
    for chart in data["histograms"]:
        for series in chart["series"]:
            steps = loader["histograms"][(series["run"], chart["tag"])]
            assert series["total"] == len(steps)
            assert [p["step"] for p in series["distribution"]] == steps
