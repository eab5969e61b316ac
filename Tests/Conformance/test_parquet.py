"""`tbkit export --format parquet`, read by the real readers from PyPI (pyarrow, DuckDB, Polars):
every row and value the same as the CSV export and as TensorBoard's own loader, the footer valid
for pyarrow's read_metadata with statistics present and right, Hive-style datasets, streaming to
standard output, and damaged or failing exports."""
import csv
import io
import math
import os
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from tensorboard.backend.event_processing import event_accumulator
from tensorboardX import SummaryWriter

SPECIALS = [0.0, -0.0, 1.5, -2.25, math.nan, math.inf, -math.inf, 3.0e38, 1e-30]
RUNS = ["alpha", "nested/beta", "gamma, with \"quotes\""]
TAGS = ["train/loss", "val/accuracy", "ünïcode,tag"]
STEPS = 700


def scalar(run, tag, step):
    if tag == "val/accuracy":
        return SPECIALS[step % len(SPECIALS)]
    return math.sin(step * 0.37 + len(run)) * 10 ** (step % 7 - 3)


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("parquet")
    rng = np.random.default_rng(7)
    for r, run in enumerate(RUNS):
        w = SummaryWriter(str(root / run), flush_secs=600)
        for step in range(STEPS):
            for tag in TAGS:
                w.add_scalar(tag, scalar(run, tag, step), step, walltime=1.7e9 + step * 0.25 + r)
            if step % 50 == 0:
                w.add_histogram("weights/w1", rng.standard_normal(500) * (r + 1), step, walltime=1.7e9 + step)
        w.close()
    return root


def same(a, b):
    a, b = float(a), float(b)
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def csv_rows(tbkit, logdir, *args):
    text = tbkit("export", logdir, *args).stdout
    return list(csv.reader(io.StringIO(text)))


def assert_matches_csv(table_rows, csv_table):
    """Parquet rows (dicts) against CSV rows: text equal, numbers equal to the CSV's shortest form
    read back at float32 (scalars) or float64 precision."""
    header, rows = csv_table[0], csv_table[1:]
    assert len(table_rows) == len(rows)
    for got, want in zip(table_rows, rows):
        for name, text in zip(header, want):
            value = got[name]
            if name in ("run", "tag"):
                assert value == text
            elif name == "step":
                assert value == int(text)
            else:
                assert same(value, float(text)) or same(value, float(np.float32(text))), (name, value, text)


@pytest.fixture(scope="module")
def scalars_file(tbkit, logdir, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "scalars.parquet"
    # Small row groups, so the statistics of many are checked (one run spans several).
    result = tbkit("export", logdir, "--format", "parquet", "--row-group-size", "1000", "-o", out)
    assert f"{len(RUNS) * len(TAGS) * STEPS} rows from {len(RUNS)} runs" in result.stderr
    return out


def test_pyarrow_reads_every_scalar_row_as_the_csv_export_has_it(tbkit, logdir, scalars_file):
    table = pq.read_table(scalars_file)
    assert table.column_names == ["run", "tag", "step", "wall_time", "value"]
    assert [str(t) for t in table.schema.types] == ["string", "string", "int64", "double", "double"]
    assert_matches_csv(table.to_pylist(), csv_rows(tbkit, logdir))


def test_duckdb_reads_every_scalar_row_as_the_csv_export_has_it(tbkit, logdir, scalars_file):
    con = duckdb.connect()
    rel = con.execute(f"SELECT * FROM read_parquet('{scalars_file}')")
    names = [d[0] for d in rel.description]
    rows = [dict(zip(names, r)) for r in rel.fetchall()]
    assert_matches_csv(rows, csv_rows(tbkit, logdir))


def test_polars_reads_every_scalar_row_as_the_csv_export_has_it(tbkit, logdir, scalars_file):
    frame = pl.read_parquet(scalars_file)
    assert frame.dtypes == [pl.String, pl.String, pl.Int64, pl.Float64, pl.Float64]
    assert_matches_csv(frame.to_dicts(), csv_rows(tbkit, logdir))


def test_parquet_scalars_equal_tensorboards_loader(logdir, scalars_file):
    table = pq.read_table(scalars_file).to_pylist()
    for run in RUNS:
        acc = event_accumulator.EventAccumulator(str(logdir / run), size_guidance={event_accumulator.SCALARS: 0})
        acc.Reload()
        # tensorboardX cleans tags (the comma goes), so take the loader's names.
        assert len(acc.Tags()["scalars"]) == len(TAGS)
        for tag in acc.Tags()["scalars"]:
            want = [(e.step, e.wall_time, e.value) for e in acc.Scalars(tag)]
            got = [(r["step"], r["wall_time"], r["value"]) for r in table if r["run"] == run and r["tag"] == tag]
            assert len(got) == len(want) == STEPS
            for g, w in zip(got, want):
                assert g[0] == w[0] and g[1] == w[1] and same(g[2], w[2])


def test_read_metadata_validates_with_statistics_right_for_every_column_chunk(scalars_file):
    meta = pq.read_metadata(scalars_file)
    assert meta.num_row_groups == math.ceil(len(RUNS) * len(TAGS) * STEPS / 1000)
    assert meta.num_rows == len(RUNS) * len(TAGS) * STEPS
    assert meta.created_by.startswith("tbkit")
    table = pq.read_table(scalars_file)
    offset = 0
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        rows = table.slice(offset, group.num_rows)
        offset += group.num_rows
        for c in range(group.num_columns):
            chunk = group.column(c)
            stats = chunk.statistics
            assert stats is not None and stats.has_min_max and stats.null_count == 0
            values = [v for v in rows.column(c).to_pylist() if not (isinstance(v, float) and math.isnan(v))]
            assert stats.min == min(values) and stats.max == max(values), chunk.path_in_schema
            assert chunk.compression == "GZIP"
    assert offset == meta.num_rows


def test_histogram_buckets_and_stats_match_the_csv_export_in_every_reader(tbkit, logdir, tmp_path):
    for extra in ([], ["--stats"]):
        out = tmp_path / f"h{len(extra)}.parquet"
        tbkit("export", logdir, "--kind", "histograms", *extra, "--format", "parquet", "-o", out)
        want = csv_rows(tbkit, logdir, "--kind", "histograms", *extra)
        assert len(want) > 1
        assert_matches_csv(pq.read_table(out).to_pylist(), want)
        assert_matches_csv(pl.read_parquet(out).to_dicts(), want)
        rel = duckdb.connect().execute(f"SELECT * FROM read_parquet('{out}')")
        names = [d[0] for d in rel.description]
        assert_matches_csv([dict(zip(names, r)) for r in rel.fetchall()], want)


def test_filters_apply_as_in_csv(tbkit, logdir, tmp_path):
    out = tmp_path / "f.parquet"
    args = ["--run", "alpha", "--tag", "val/accuracy"]
    tbkit("export", logdir, *args, "--format", "parquet", "-o", out)
    assert_matches_csv(pq.read_table(out).to_pylist(), csv_rows(tbkit, logdir, *args))


def test_parquet_streams_to_standard_output_whole(tbkit, logdir):
    import subprocess
    from conftest import tbkit_binary

    data = subprocess.run([tbkit_binary(), "export", str(logdir), "--format", "parquet"],
                          capture_output=True, check=True).stdout
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    table = pq.read_table(io.BytesIO(data))
    assert_matches_csv(table.to_pylist(), csv_rows(tbkit, logdir))


def test_partition_run_writes_a_hive_dataset_every_reader_reads(tbkit, logdir, tmp_path):
    out = tmp_path / "dataset"
    tbkit("export", logdir, "--format", "parquet", "--partition", "run", "-o", out)
    parts = sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet"))
    assert parts == sorted(f"run={v}/part-0.parquet" for v in
                           ["alpha", "nested%2Fbeta", "gamma%2C%20with%20%22quotes%22"])
    want = csv_rows(tbkit, logdir)
    key = lambda r: (r["run"], r["tag"], r["step"])
    # pyarrow: the partition column decoded back from the directory name.
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    rows = sorted(table.to_pylist(), key=key)
    header = want[0]
    want_rows = sorted(({h: v for h, v in zip(header, r)} for r in want[1:]),
                       key=lambda r: (r["run"], r["tag"], int(r["step"])))
    assert_matches_csv(rows, [header] + [[r[h] for h in header] for r in want_rows])
    rel = duckdb.connect().execute(
        f"SELECT run, tag, step, wall_time, value FROM read_parquet('{out}/*/*.parquet') ORDER BY run, tag, step")
    assert_matches_csv([dict(zip(header, r)) for r in rel.fetchall()], [header] + [[r[h] for h in header] for r in want_rows])
    frame = pl.read_parquet(out / "run=alpha" / "part-0.parquet")
    assert set(frame["run"].to_list()) == {"alpha"}


def test_damaged_file_exports_rows_up_to_the_damage_and_warns_with_offset(tbkit, logdir, tmp_path):
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(logdir / "alpha", damaged / "alpha")
    event = next((damaged / "alpha").glob("*tfevents*"))
    data = bytearray(event.read_bytes())
    # Walk the records to the one at the middle and break its length: the length CRC no longer
    # matches, so the rest of the file is unreadable.
    at = 0
    while at < len(data) // 2:
        at += 8 + 4 + int.from_bytes(data[at:at + 8], "little") + 4
    data[at] ^= 0x01
    event.write_bytes(bytes(data))
    out = tmp_path / "d.parquet"
    result = tbkit("export", damaged, "--format", "parquet", "-o", out)
    assert f"warning: {event}" in result.stderr and f"record at byte {at}" in result.stderr, result.stderr
    rows = pq.read_table(out).num_rows
    assert 0 < rows < len(TAGS) * STEPS
    assert rows == len(csv_rows(tbkit, damaged)) - 1


def test_failed_export_leaves_no_file_behind(tbkit, logdir, tmp_path):
    missing = tmp_path / "nope" / "x.parquet"
    result = tbkit("export", logdir, "--format", "parquet", "-o", missing, check=False)
    assert result.returncode == 1 and "nope" in result.stderr
    result = tbkit("export", tmp_path / "no-such-logdir", "--format", "parquet", "-o", tmp_path / "y.parquet",
                   check=False)
    # A source that does not exist is a usage mistake (status 2), as for every reading command.
    assert result.returncode == 2 and "no such file or directory" in result.stderr
    assert sorted(os.listdir(tmp_path)) == []


def test_partition_needs_parquet_and_an_output(tbkit, logdir):
    result = tbkit("export", logdir, "--partition", "run", check=False)
    assert result.returncode == 2 and "--partition needs --format parquet" in result.stderr


@pytest.fixture(scope="module")
def hparams_logdir(tmp_path_factory):
    """Two runs written the way torch's and tensorboardX's add_hparams write them (a subrun with
    session_start_info and the metric scalars), one lacking a hyperparameter, plus text."""
    root = tmp_path_factory.mktemp("hparams")
    trials = [{"lr": 0.1, "opt": "adam", "bn": True}, {"lr": 0.01, "opt": "sgd"}]
    for i, hp in enumerate(trials):
        w = SummaryWriter(str(root / f"run{i}"))
        w.add_text("notes", f"hello **{i}**", 0)
        w.add_text("notes", 'second, "quoted" ünï', 5)
        w.add_hparams(hp, {"hparam/acc": 0.5 + i / 8})
        w.close()
    return root


def test_hparams_export_has_one_row_per_run_with_typed_nullable_columns(tbkit, hparams_logdir, tmp_path):
    out = tmp_path / "hp.parquet"
    tbkit("export", hparams_logdir, "--kind", "hparams", "--format", "parquet", "-o", out)
    table = pq.read_table(out)
    assert table.column_names == ["run", "hparam/bn", "hparam/lr", "hparam/opt", "metric/hparam/acc"]
    assert [str(t) for t in table.schema.types] == ["string", "bool", "double", "string", "double"]
    rows = table.to_pylist()
    assert [r["run"].split("/")[0] for r in rows] == ["run0", "run1"]
    assert [r["hparam/bn"] for r in rows] == [True, None]
    assert [r["hparam/lr"] for r in rows] == [0.1, 0.01]
    assert [r["hparam/opt"] for r in rows] == ["adam", "sgd"]
    assert [r["metric/hparam/acc"] for r in rows] == [0.5, 0.625]
    assert pq.read_metadata(out).row_group(0).column(1).statistics.null_count == 1
    assert pl.read_parquet(out)["hparam/bn"].to_list() == [True, None]
    assert duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{out}') WHERE \"hparam/bn\" IS NULL"
                                    ).fetchone() == (1,)


def test_text_export_equals_tensorboards_loader(tbkit, hparams_logdir, tmp_path):
    from tensorboard.util import tensor_util

    out = tmp_path / "t.parquet"
    tbkit("export", hparams_logdir, "--kind", "text", "--format", "parquet", "-o", out)
    rows = pq.read_table(out).to_pylist()
    for run in ["run0", "run1"]:
        acc = event_accumulator.EventAccumulator(str(hparams_logdir / run), size_guidance={"tensors": 0})
        acc.Reload()
        (tag,) = acc.Tags()["tensors"]
        want = [(e.step, e.wall_time, tensor_util.make_ndarray(e.tensor_proto).item().decode())
                for e in acc.Tensors(tag)]
        got = [(r["step"], r["wall_time"], r["text"]) for r in rows if r["run"] == run and r["tag"] == tag]
        assert got == want and len(got) == 2


def test_hparams_and_text_refuse_text_formats(tbkit, hparams_logdir):
    result = tbkit("export", hparams_logdir, "--kind", "text", check=False)
    assert result.returncode == 2 and "Parquet only" in result.stderr


def test_parquet_to_s3_uploads_the_file_and_the_dataset_whole(tbkit, logdir, tmp_path, scalars_file):
    boto3 = pytest.importorskip("boto3")
    import uuid

    from test_s3 import rgw_env

    env = rgw_env()
    client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1")
    bucket = f"tbkit-parquet-{uuid.uuid4().hex[:10]}"
    client.create_bucket(Bucket=bucket)
    run_env = dict(os.environ, S3_ENDPOINT=env["AWS_ENDPOINT_URL"], AWS_REGION="us-east-1")
    result = tbkit("export", logdir, "--format", "parquet", "-o", f"s3://{bucket}/exports/scalars.parquet",
                   env=run_env)
    assert f"written to s3://{bucket}/exports/scalars.parquet" in result.stderr
    local = tmp_path / "down.parquet"
    client.download_file(bucket, "exports/scalars.parquet", str(local))
    assert pq.read_table(local).to_pandas().equals(pq.read_table(scalars_file).to_pandas())
    tbkit("export", logdir, "--format", "parquet", "--partition", "run", "-o", f"s3://{bucket}/exports/ds",
          env=run_env)
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket, Prefix="exports/ds/")["Contents"])
    assert keys == [f"exports/ds/run={v}/part-0.parquet" for v in
                    sorted(["alpha", "nested%2Fbeta", "gamma%2C%20with%20%22quotes%22"])]
