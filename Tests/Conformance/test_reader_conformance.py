"""tbkit's reading commands agree with TensorBoard's own loader on files tensorboardX writes.

Run by Scripts/test with the rest of Tests/Conformance, or alone after `swift build`
(TBKIT_BIN names another tbkit binary):

    .venv/bin/python -m pytest Tests/Conformance/test_reader_conformance.py

Needs tensorboard and tensorboardX (and numpy) in the Python running pytest.
"""
import csv
import io
import json
import os
import subprocess

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboardX import SummaryWriter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TBKIT = os.environ.get("TBKIT_BIN", os.path.join(ROOT, ".build", "debug", "tbkit"))


def tbkit(*args):
    return subprocess.run([TBKIT, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("logs")
    rng = np.random.default_rng(3)
    for run, scale in [("a", 1.0), ("b/nested", 2.0)]:
        w = SummaryWriter(str(root / run))
        for step in range(50):
            w.add_scalar("loss", scale / (step + 1), step, walltime=1_700_000_000 + step * 0.25)
            w.add_scalar("odd", float(rng.standard_normal()) * 1e-30, step, walltime=1_700_000_000 + step)
        for step in range(3):
            w.add_histogram("w", rng.standard_normal(500) * scale, step, walltime=1_700_000_100 + step)
        w.close()
    return str(root)


def accumulator(path):
    acc = ea.EventAccumulator(path, size_guidance={ea.SCALARS: 0, ea.HISTOGRAMS: 0})
    acc.Reload()
    return acc


def test_scalar_export_matches_event_accumulator_exactly(logdir):
    rows = list(csv.DictReader(io.StringIO(tbkit("export", logdir))))
    for run in ["a", "b/nested"]:
        acc = accumulator(os.path.join(logdir, run))
        for tag in ["loss", "odd"]:
            ours = [r for r in rows if r["run"] == run and r["tag"] == tag]
            theirs = acc.Scalars(tag)
            assert [int(r["step"]) for r in ours] == [e.step for e in theirs]
            assert [float(r["wall_time"]) for r in ours] == [e.wall_time for e in theirs]
            # Values are float32 in the file: compare as float32, bit for bit.
            assert [np.float32(r["value"]) for r in ours] == [np.float32(e.value) for e in theirs]


def test_histogram_statistics_match_event_accumulator(logdir):
    lines = tbkit("export", logdir, "--kind", "histograms", "--stats", "--format", "jsonl").splitlines()
    ours = [json.loads(l) for l in lines]
    acc = accumulator(os.path.join(logdir, "a"))
    theirs = acc.Histograms("w")
    mine = [o for o in ours if o["run"] == "a"]
    assert len(mine) == len(theirs) == 3
    for o, t in zip(mine, theirs):
        assert o["step"] == t.step
        assert (o["min"], o["max"], o["num"], o["sum"]) == (t.histogram_value.min, t.histogram_value.max,
                                                            t.histogram_value.num, t.histogram_value.sum)


def test_histogram_buckets_cover_every_value(logdir):
    rows = list(csv.DictReader(io.StringIO(tbkit("export", logdir, "--kind", "histograms", "--run", "a"))))
    acc = accumulator(os.path.join(logdir, "a"))
    for h in acc.Histograms("w"):
        mine = [r for r in rows if int(r["step"]) == h.step]
        assert sum(float(r["count"]) for r in mine) == h.histogram_value.num
        assert float(mine[0]["left"]) == h.histogram_value.min
        assert float(mine[-1]["right"]) == h.histogram_value.max


def test_inspect_lists_the_runs_tensorboard_finds(logdir):
    report = json.loads(tbkit("inspect", logdir, "--json"))
    assert [r["name"] for r in report["runs"]] == ["a", "b/nested"]
    tags = {t["tag"]: t for t in report["runs"][0]["tags"]}
    assert tags["loss"]["kind"] == "scalars" and tags["loss"]["count"] == 50
    assert tags["w"]["kind"] == "histograms" and tags["w"]["count"] == 3


def test_verify_reports_sound_files(logdir):
    out = subprocess.run([TBKIT, "verify", logdir], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
