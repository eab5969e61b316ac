"""Logs and archives on S3-compatible storage, against a real Ceph RADOS gateway
(Scripts/ceph-rgw; Scripts/test starts it and exports its endpoint and keys). TensorBoard's own
Python loader reads the s3:// run through boto3 (S3_ENDPOINT) and must see exactly what it sees
in a local logdir trained with the same seed."""
import filecmp
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, free_port
from s3_proxy import FaultProxy

boto3 = pytest.importorskip("boto3")

RUN = "full_train_he_relu"
TRAIN = ["--scenario", RUN, "--iterations", "120", "--log-every", "10", "--seed", "7"]


def rgw_env():
    if not os.environ.get("AWS_ENDPOINT_URL"):
        out = subprocess.run([str(ROOT / "Scripts" / "ceph-rgw"), "start"], check=True, capture_output=True,
                             text=True, timeout=180).stdout
        for line in out.splitlines():
            if line.startswith("export "):
                name, _, value = line[len("export "):].partition("=")
                os.environ[name] = value
    return {k: os.environ[k] for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    env = rgw_env()
    client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1")
    bucket = f"tbkit-conf-{uuid.uuid4().hex[:10]}"
    client.create_bucket(Bucket=bucket)
    spool = tmp_path_factory.mktemp("spool")
    return {"client": client, "bucket": bucket, "endpoint": env["AWS_ENDPOINT_URL"], "spool": str(spool)}


def tbkit_env(s3, **extra):
    env = dict(os.environ)
    env.update({"TBKIT_S3_SPOOL": s3["spool"], "S3_ENDPOINT": s3["endpoint"], "AWS_REGION": "us-east-1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def objects(s3, prefix):
    pages = s3["client"].get_paginator("list_objects_v2").paginate(Bucket=s3["bucket"], Prefix=prefix)
    return [o for page in pages for o in page.get("Contents", [])]


def loaded(path):
    """Every scalar and histogram TensorBoard's Python loader sees in a run (wall times aside)."""
    from tensorboard.backend.event_processing import event_accumulator
    acc = event_accumulator.EventAccumulator(path, size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0, event_accumulator.TENSORS: 0})
    acc.Reload()
    tags = acc.Tags()
    scalars = {t: [(e.step, e.value) for e in acc.Scalars(t)] for t in tags["scalars"]}
    histograms = {t: [(e.step, e.histogram_value.min, e.histogram_value.max, e.histogram_value.num,
                       e.histogram_value.sum, tuple(e.histogram_value.bucket_limit),
                       tuple(e.histogram_value.bucket)) for e in acc.Histograms(t)] for t in tags["histograms"]}
    return scalars, histograms


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, tbkit):
    logdir = tmp_path_factory.mktemp("local") / "logs"
    tbkit("train", "--logdir", logdir, *TRAIN)
    return logdir


@pytest.fixture(scope="module")
def s3_run(s3, tbkit):
    """The same training into s3:// through a counting proxy without faults, in small segments."""
    proxy = FaultProxy(s3["endpoint"])
    try:
        result = tbkit("train", "--logdir", f"s3://{s3['bucket']}/lab", *TRAIN,
                       env=tbkit_env(s3, AWS_ENDPOINT_URL=proxy.url, TBKIT_S3_SEGMENT_BYTES=60000))
    finally:
        proxy.close()
    return {"url": f"s3://{s3['bucket']}/lab", "proxy": proxy.counts, "output": result.stdout}


def test_tensorboards_loader_reading_s3_sees_exactly_the_local_scalars_and_histograms(s3, local_run, s3_run,
                                                                                         monkeypatch):
    monkeypatch.setenv("S3_ENDPOINT", s3["endpoint"])
    segments = [o for o in objects(s3, f"lab/{RUN}/") if "tfevents" in o["Key"]]
    assert len(segments) >= 3, "the run should be spread over several sealed segments"
    keys = [o["Key"] for o in segments]
    assert keys == sorted(keys)
    remote_scalars, remote_histograms = loaded(f"{s3_run['url']}/{RUN}")
    local_scalars, local_histograms = loaded(str(local_run / RUN))
    assert set(local_scalars) >= {"loss", "test_acc", "mat_mul_var_1"}
    assert len(local_scalars["loss"]) == 12 and len(local_histograms) >= 3
    assert remote_scalars == local_scalars
    assert remote_histograms == local_histograms


def test_every_byte_is_uploaded_once(s3, s3_run):
    stored = sum(o["Size"] for o in objects(s3, "lab/"))
    sent = s3_run["proxy"]["put_body_bytes"]
    assert stored > 100_000
    # Each sealed segment goes up once: what was sent is what is stored (no growing re-uploads).
    assert stored <= sent <= 1.05 * stored, (sent, stored)


def test_tensorboards_http_api_serves_the_s3_run(s3, s3_run, local_run, tmp_path):
    port = free_port()
    env = dict(os.environ, S3_ENDPOINT=s3["endpoint"])
    log = open(tmp_path / "tensorboard.log", "w")
    exe = Path(sys.executable).parent / "tensorboard"
    process = subprocess.Popen([str(exe), "--logdir", s3_run["url"], "--host", "127.0.0.1", "--port", str(port),
                                "--load_fast=false", "--reload_interval", "1"], stdout=log,
                               stderr=subprocess.STDOUT, env=env)
    try:
        local_scalars, _ = loaded(str(local_run / RUN))
        query = urllib.parse.urlencode({"run": RUN, "tag": "loss"})
        url = f"http://127.0.0.1:{port}/data/plugin/scalars/scalars?{query}"
        deadline, points = time.time() + 90, None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    points = json.loads(response.read())
                if points and len(points) >= len(local_scalars["loss"]):
                    break
            except Exception:
                pass
            time.sleep(0.5)
        assert points, f"no loss points from TensorBoard; see {tmp_path / 'tensorboard.log'}"
        assert [(p[1], p[2]) for p in points] == local_scalars["loss"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_faults_between_tbkit_and_the_store_lose_nothing(s3, local_run, tbkit, monkeypatch):
    proxy = FaultProxy(s3["endpoint"], slow_down=0.2, drop=0.1, seed=3)
    try:
        tbkit("train", "--logdir", f"s3://{s3['bucket']}/faulty", *TRAIN,
              env=tbkit_env(s3, AWS_ENDPOINT_URL=proxy.url, TBKIT_S3_SEGMENT_BYTES=60000))
    finally:
        proxy.close()
    assert proxy.counts["slow_down"] > 0 and proxy.counts["dropped"] > 0, proxy.counts
    monkeypatch.setenv("S3_ENDPOINT", s3["endpoint"])
    assert loaded(f"s3://{s3['bucket']}/faulty/{RUN}") == loaded(str(local_run / RUN))


def test_cli_reads_an_s3_logdir(s3, s3_run, tbkit, tmp_path):
    out = tbkit("inspect", s3_run["url"], env=tbkit_env(s3)).stdout
    assert f"run {RUN}" in out
    tbkit("verify", s3_run["url"], env=tbkit_env(s3))
    csv = tbkit("export", s3_run["url"], "--run", RUN, env=tbkit_env(s3)).stdout
    assert "loss" in csv
    page = tmp_path / "report.html"
    tbkit("report", s3_run["url"], "-o", page, env=tbkit_env(s3))
    html = page.read_text()
    assert RUN in html and "loss" in html and s3_run["url"] in html


def test_archive_to_s3_and_extract_back_restores_the_logdir(s3, local_run, tbkit, tmp_path):
    # A poorly compressible file makes the archive span several multipart parts.
    (local_run / "blob.bin").write_bytes(os.urandom(12 << 20))
    url = f"s3://{s3['bucket']}/archives/lab.tar.gz"
    env = tbkit_env(s3, TBKIT_S3_MULTIPART_BYTES=5 << 20)
    tbkit("archive", local_run, url, "--no-report", env=env)
    head = s3["client"].head_object(Bucket=s3["bucket"], Key="archives/lab.tar.gz")
    assert "-" in head["ETag"], "a multipart object's ETag ends in -<parts>"
    restored = tmp_path / "restored"
    tbkit("extract", url, restored, env=env)
    comparison = filecmp.dircmp(local_run, restored)

    def same(c):
        assert not c.left_only and not c.right_only and not c.diff_files, (c.left_only, c.right_only, c.diff_files)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        assert not mismatch and not errors
        for sub in c.subdirs.values():
            same(sub)

    same(comparison)
    (local_run / "blob.bin").unlink()


@pytest.mark.parametrize("case", ["malformed", "missing_bucket", "wrong_secret", "clock_skew", "no_endpoint"])
def test_bad_input_fails_at_once_naming_bucket_and_s3_code(s3, tbkit, case):
    bucket = s3["bucket"]
    url, extra, expected = f"s3://{bucket}/bad", {}, []
    if case == "malformed":
        url, expected = "s3://Not_A_Bucket/run", ["invalid S3 URL", "Not_A_Bucket"]
    elif case == "missing_bucket":
        url, expected = "s3://tbkit-no-such-bucket-here/run", ["NoSuchBucket", "s3://tbkit-no-such-bucket-here/"]
    elif case == "wrong_secret":
        extra, expected = {"AWS_SECRET_ACCESS_KEY": "wrong"}, ["SignatureDoesNotMatch", f"s3://{bucket}/"]
    elif case == "clock_skew":
        extra, expected = {"TBKIT_S3_CLOCK_OFFSET_SECONDS": -3600}, ["RequestTimeTooSkewed", f"s3://{bucket}/"]
    elif case == "no_endpoint":
        extra, expected = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}, ["no answer from", bucket]
    start = time.time()
    result = tbkit("train", "--logdir", url, "--scenario", "first_pass_normal", "--iterations", "1", check=False,
                   env=tbkit_env(s3, **extra))
    assert result.returncode == 1, (result.returncode, result.stderr)
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    assert time.time() - start < 60
    assert not objects(s3, "bad/")
