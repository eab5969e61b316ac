"""An s3:// prefix, event file or archive read in place by every reading command, against a real
Ceph RADOS gateway: the same bytes out as the local logdir, no local copy (TMPDIR stays empty),
and each failure (a missing bucket, an empty prefix, an object replaced while read, a network
failure after retries) named with its bucket or object, exit 1."""
import os
import uuid
from pathlib import Path

import pytest
from tensorboardX import SummaryWriter

from s3_proxy import FaultProxy
from test_s3 import rgw_env

boto3 = pytest.importorskip("boto3")

RUNS = ["alpha", "beta", "nested/gamma"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    env = rgw_env()
    client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1")
    bucket = f"tbkit-src-{uuid.uuid4().hex[:10]}"
    client.create_bucket(Bucket=bucket)
    return {"client": client, "bucket": bucket, "endpoint": env["AWS_ENDPOINT_URL"]}


@pytest.fixture(scope="module")
def logs(tmp_path_factory, store):
    """Three runs (one resumed with a purge, so superseded points exist) uploaded under lab/."""
    logdir = tmp_path_factory.mktemp("s3_source") / "logs"
    for r, run in enumerate(RUNS):
        w = SummaryWriter(str(logdir / run))
        for step in range(400):
            w.add_scalar("loss", 1.0 / (step + 1 + r), step)
            if step % 40 == 0:
                w.add_histogram("w", [float(step + i) for i in range(50)], step)
        w.close()
    resumed = SummaryWriter(str(logdir / "alpha"), purge_step=300)
    for step in range(300, 420):
        resumed.add_scalar("loss", 2.0 / (step + 1), step)
    resumed.close()
    for path in sorted(logdir.rglob("*")):
        if path.is_file():
            store["client"].upload_file(str(path), store["bucket"], "lab/" + str(path.relative_to(logdir)))
    return logdir


def env(store, tmp_path, **extra):
    """The environment of a tbkit run: the gateway, and an empty TMPDIR that must stay empty."""
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    result = dict(os.environ)
    result.update({"S3_ENDPOINT": store["endpoint"], "AWS_REGION": "us-east-1", "TMPDIR": str(scratch)})
    result.update({k: str(v) for k, v in extra.items()})
    return result


def left_in(tmp_path):
    return sorted(str(p) for p in (tmp_path / "tmp").rglob("*"))


@pytest.mark.parametrize("chunk", [None, 4096])
def test_export_of_an_s3_prefix_is_byte_identical_to_the_local_logdir(store, logs, tbkit, tmp_path, chunk):
    url = f"s3://{store['bucket']}/lab"
    extra = {"TBKIT_S3_READ_CHUNK_BYTES": chunk} if chunk else {}
    largest = max(p.stat().st_size for p in logs.rglob("*tfevents*"))
    assert largest > 4 * 4096, "the 4096-byte case must read files of several ranges"
    for args in ([], ["--kind", "histograms"], ["--format", "jsonl"]):
        remote = tbkit("export", url, *args, env=env(store, tmp_path, **extra)).stdout
        local = tbkit("export", logs, *args).stdout
        assert remote == local and remote.count("\n") > 100, args
    assert left_in(tmp_path) == []


def test_compare_aggregate_report_inspect_and_verify_read_an_s3_prefix_as_the_local_logdir(store, logs, tbkit, tmp_path):
    url = f"s3://{store['bucket']}/lab"
    e = env(store, tmp_path)
    assert tbkit("compare", url, env=e).stdout == tbkit("compare", logs).stdout
    aggregate = ["--output", "-", "--format", "csv", "--min-runs", "1"]
    remote = tbkit("aggregate", url, *aggregate, env=e).stdout
    assert remote == tbkit("aggregate", logs, *aggregate).stdout and remote.count("\n") > 100
    page = tmp_path / "report.html"
    tbkit("report", url, "-o", page, env=e)
    html = page.read_text()
    assert all(run.split("/")[-1] in html for run in RUNS) and url in html
    verify = tbkit("verify", url, env=e).stdout
    files = sorted(logs.rglob("*tfevents*"))
    for path in files:
        key = f"{url}/{path.relative_to(logs)}"
        assert f"ok       {key}: " in verify and f", {path.stat().st_size} bytes" in verify
    assert f"{len(files)} files checked" in verify
    inspect = tbkit("inspect", url, env=e).stdout
    assert all(f"run {run}" in inspect for run in RUNS)
    assert left_in(tmp_path) == []


def test_an_s3_archive_is_read_in_place(store, logs, tbkit, tmp_path):
    url = f"s3://{store['bucket']}/archives/study.tar.gz"
    e = env(store, tmp_path, TBKIT_S3_READ_CHUNK_BYTES=4096)
    archive = tmp_path / "study.tar.gz"
    tbkit("archive", logs, archive, "--no-report")
    store["client"].upload_file(str(archive), store["bucket"], "archives/study.tar.gz")
    assert archive.stat().st_size > 4 * 4096
    assert tbkit("export", url, env=e).stdout == tbkit("export", logs).stdout
    inspect = tbkit("inspect", url, env=e).stdout
    assert inspect.startswith(f"{url}: {len(RUNS)} runs")
    assert left_in(tmp_path) == []


def test_a_single_s3_event_file_is_a_source(store, logs, tbkit, tmp_path):
    path = sorted((logs / "beta").glob("*tfevents*"))[0]
    url = f"s3://{store['bucket']}/lab/beta/{path.name}"
    assert tbkit("export", url, env=env(store, tmp_path)).stdout == tbkit("export", path).stdout


def test_a_zero_length_s3_event_file_reads_as_no_rows(store, tbkit, tmp_path):
    store["client"].put_object(Bucket=store["bucket"], Key="empty/run/events.out.tfevents.1.empty", Body=b"")
    url = f"s3://{store['bucket']}/empty"
    out = tbkit("export", url, env=env(store, tmp_path))
    assert out.stdout.count("\n") == 1  # the header alone
    # verify says of it what it says of an empty local event file.
    local = tmp_path / "run" / "events.out.tfevents.1.empty"
    local.parent.mkdir()
    local.write_bytes(b"")
    remote = tbkit("verify", url, env=env(store, tmp_path), check=False)
    here = tbkit("verify", local, check=False)
    assert remote.returncode == here.returncode == 1
    assert remote.stdout.replace(f"{url}/run/", "") == here.stdout.replace(f"{tmp_path}/run/", "")
    assert "0 sound records, 0 damaged, 0 bytes" in remote.stdout


def test_a_missing_bucket_is_named_with_its_s3_code(tbkit, store, tmp_path):
    result = tbkit("inspect", "s3://tbkit-no-such-bucket-here/lab", check=False, env=env(store, tmp_path))
    assert result.returncode == 1
    assert "NoSuchBucket" in result.stderr and "s3://tbkit-no-such-bucket-here/lab/" in result.stderr


def test_an_empty_prefix_is_refused_naming_it(tbkit, store, tmp_path):
    result = tbkit("export", f"s3://{store['bucket']}/nothing", check=False, env=env(store, tmp_path))
    assert result.returncode == 1
    assert f"s3://{store['bucket']}/nothing/: no objects under this prefix" in result.stderr


def test_an_object_that_is_no_source_is_refused_saying_what_it_looks_like(tbkit, store, tmp_path):
    store["client"].put_object(Bucket=store["bucket"], Key="junk/notes.txt", Body=b"just some text\n")
    result = tbkit("inspect", f"s3://{store['bucket']}/junk/notes.txt", check=False, env=env(store, tmp_path))
    assert result.returncode == 1 and "it looks like text" in result.stderr


def test_an_object_replaced_while_read_fails_naming_it(store, logs, tbkit, tmp_path):
    prefix = "changing/"
    source = sorted((logs / "beta").glob("*tfevents*"))[0]
    key = prefix + "run/" + source.name
    store["client"].upload_file(str(source), store["bucket"], key)
    replaced = []

    def replace_before_first_range(method, path, headers):
        # The object is replaced after it was listed, before its bytes are read.
        if method == "GET" and headers.get("Range") and not replaced:
            replaced.append(path)
            store["client"].put_object(Bucket=store["bucket"], Key=key, Body=source.read_bytes() + b"\0")

    proxy = FaultProxy(store["endpoint"], hook=replace_before_first_range)
    try:
        result = tbkit("export", f"s3://{store['bucket']}/changing", check=False,
                       env=env(store, tmp_path, AWS_ENDPOINT_URL=proxy.url))
    finally:
        proxy.close()
    assert replaced
    assert result.returncode == 1, result.stderr
    assert f"s3://{store['bucket']}/{key} changed while it was being read" in result.stderr
    assert "PreconditionFailed" in result.stderr


def test_a_network_failure_while_reading_fails_after_retries_naming_the_object(store, logs, tbkit, tmp_path):
    def drop_ranges(method, path, headers):
        return "drop" if method == "GET" and headers.get("Range") else None

    proxy = FaultProxy(store["endpoint"], hook=drop_ranges)
    try:
        result = tbkit("export", f"s3://{store['bucket']}/lab", "--run", "beta", check=False,
                       env=env(store, tmp_path, AWS_ENDPOINT_URL=proxy.url))
    finally:
        proxy.close()
    beta = sorted((logs / "beta").glob("*tfevents*"))[0].name
    assert result.returncode == 1, result.stderr
    assert f"s3://{store['bucket']}/lab/beta/{beta}: cannot read: GetObject" in result.stderr
    assert "after 5 attempts" in result.stderr
