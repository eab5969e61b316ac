"""The Python package `tbkit` (python/tbkit): DataFrames from the tbkit executable's Parquet,
the same rows as the CSV export, tbparse-like pivoting, warnings for damaged files and
exceptions with the tool's message."""
import io
import math
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from tensorboardX import SummaryWriter

from conftest import ROOT, tbkit_binary

sys.path.insert(0, str(ROOT / "python"))
import tbkit  # noqa: E402

TAGS = ["loss", "acc"]


@pytest.fixture(scope="module", autouse=True)
def binary(monkeypatch_module):
    monkeypatch_module.setenv("TBKIT_BIN", tbkit_binary())


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("py")
    rng = np.random.default_rng(3)
    for r in range(2):
        w = SummaryWriter(str(root / f"run{r}"))
        for step in range(300):
            w.add_scalar("loss", 1 / (1 + step) + r, step)
            if step % 2 == 0:
                w.add_scalar("acc", [0.5, math.nan, math.inf][step % 3], step)
            if step % 100 == 0:
                w.add_histogram("w", rng.standard_normal(100), step)
        w.add_text("note", f"run {r}", 0)
        w.add_hparams({"lr": 0.1 * (r + 1)}, {"hparam/final": float(r)})
        w.close()
    return root


def csv_frame(logdir, *args):
    text = subprocess.run([tbkit_binary(), "export", str(logdir), *args], capture_output=True, text=True,
                          check=True).stdout
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=["nan"])


def test_scalars_frame_equals_the_csv_export_with_typed_columns(logdir):
    frame = tbkit.scalars(logdir)
    assert list(frame.columns) == ["run", "tag", "step", "wall_time", "value"]
    assert frame["step"].dtype == np.int64 and frame["value"].dtype == np.float64
    want = csv_frame(logdir)
    # Each run's add_hparams subrun adds one metric point.
    assert len(frame) == len(want) == 2 * (300 + 150 + 1)
    assert (frame["run"] == want["run"]).all() and (frame["tag"] == want["tag"]).all()
    assert (frame["step"] == want["step"]).all() and (frame["wall_time"] == want["wall_time"]).all()
    # CSV prints float32 values in their shortest float32 form.
    np.testing.assert_array_equal(frame["value"].to_numpy(np.float32), want["value"].to_numpy(np.float32))


def test_scalars_filters_runs_and_tags(logdir):
    frame = tbkit.scalars(logdir, runs=["run1"], tags="acc")
    assert set(frame["run"]) == {"run1"} and set(frame["tag"]) == {"acc"} and len(frame) == 150


def test_pivot_gives_one_column_per_tag_and_one_row_per_run_and_step(logdir):
    wide = tbkit.scalars(logdir, runs=["run0", "run1"], pivot=True)
    assert list(wide.columns) == ["run", "step", "wall_time", "acc", "loss"]
    assert len(wide) == 2 * 300
    row = wide[(wide["run"] == "run1") & (wide["step"] == 3)].iloc[0]
    assert row["loss"] == pytest.approx(1 / 4 + 1, rel=1e-6) and math.isnan(row["acc"])


def test_histograms_buckets_and_stats(logdir):
    buckets = tbkit.histograms(logdir)
    assert list(buckets.columns) == ["run", "tag", "step", "wall_time", "left", "right", "count"]
    assert buckets.groupby(["run", "step"])["count"].sum().eq(100).all()
    stats = tbkit.histograms(logdir, stats=True)
    assert list(stats.columns)[4:] == ["min", "max", "num", "sum", "mean", "std"]
    assert len(stats) == 2 * 3 and (stats["num"] == 100).all()


def test_hparams_and_text_frames(logdir):
    hp = tbkit.hparams(logdir)
    assert list(hp.columns) == ["run", "hparam/lr", "metric/hparam/final"]
    assert hp["hparam/lr"].tolist() == pytest.approx([0.1, 0.2]) and hp["metric/hparam/final"].tolist() == [0, 1]
    text = tbkit.text(logdir)
    assert text[["run", "text"]].values.tolist() == [["run0", "run 0"], ["run1", "run 1"]]


def test_damaged_file_gives_rows_up_to_the_damage_and_a_warning_naming_file_and_offset(logdir, tmp_path):
    import shutil

    shutil.copytree(logdir / "run0", tmp_path / "run0")
    event = next((tmp_path / "run0").glob("events*"))
    data = bytearray(event.read_bytes())
    at = 0
    while at < len(data) // 2:
        at += 8 + 4 + int.from_bytes(data[at:at + 8], "little") + 4
    data[at] ^= 1
    event.write_bytes(bytes(data))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = tbkit.scalars(tmp_path)
    assert 0 < len(frame) < 450
    messages = [str(w.message) for w in caught if issubclass(w.category, tbkit.TBKitWarning)]
    assert len(messages) == 1 and str(event) in messages[0] and f"byte {at}" in messages[0]


def test_missing_source_raises_with_the_tools_message(tmp_path):
    with pytest.raises(tbkit.TBKitError, match="no such file or directory"):
        tbkit.scalars(tmp_path / "missing")


def test_no_executable_raises_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("TBKIT_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(tbkit, "__file__", str(tmp_path / "tbkit" / "__init__.py"))
    with pytest.raises(tbkit.TBKitError, match="no tbkit executable"):
        tbkit.executable()


def test_scalars_from_an_s3_prefix_equal_the_local_ones(logdir, monkeypatch):
    boto3 = pytest.importorskip("boto3")
    import os
    import uuid

    from test_s3 import rgw_env

    env = rgw_env()
    client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1")
    bucket = f"tbkit-py-{uuid.uuid4().hex[:10]}"
    client.create_bucket(Bucket=bucket)
    for path in logdir.rglob("*"):
        if path.is_file():
            client.upload_file(str(path), bucket, f"logs/{path.relative_to(logdir)}")
    monkeypatch.setenv("S3_ENDPOINT", env["AWS_ENDPOINT_URL"])
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    remote = tbkit.scalars(f"s3://{bucket}/logs")
    local = tbkit.scalars(logdir)
    assert len(remote) == len(local) > 0 and remote.equals(local)
