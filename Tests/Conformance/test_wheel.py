"""The wheel from Scripts/build-wheel, installed into a fresh virtual environment and run with the
Swift toolchain out of PATH and the library path: `tbkit` on PATH, no Swift library in `ldd` and
every library it needs found, the platform tag `auditwheel show` agrees with, at most 40 MB, and
local logdirs, archives, s3:// (against the S3 gateway of test_s3.py) and `tbkit.scalars` working.

A static release build takes minutes on two cores, so this runs only when asked:
TBKIT_WHEEL=path/to.whl uses a built wheel; TBKIT_BUILD_WHEEL=1 runs Scripts/build-wheel first."""
import csv
import filecmp
import io
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

import numpy as np
import pytest
from tensorboardX import SummaryWriter

from conftest import ROOT

STEPS = 100


def built_wheel():
    if os.environ.get("TBKIT_WHEEL"):
        return Path(os.environ["TBKIT_WHEEL"])
    if os.environ.get("TBKIT_BUILD_WHEEL") == "1":
        subprocess.run([str(ROOT / "Scripts" / "build-wheel")], check=True, cwd=ROOT)
        wheels = sorted((ROOT / "dist").glob("tbkit-*.whl"), key=lambda p: p.stat().st_mtime)
        return wheels[-1]
    pytest.skip("set TBKIT_WHEEL=path/to.whl or TBKIT_BUILD_WHEEL=1 (a static release build takes minutes)")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    wheel = built_wheel()
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--no-deps", str(wheel)], check=True)
    # pandas and pyarrow from the test environment, not downloaded again.
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    toolchain = str(Path(shutil.which("swift")).resolve().parent) if shutil.which("swift") else "/nonexistent"
    path = ":".join(p for p in os.environ["PATH"].split(":") if p and not p.startswith(str(Path(toolchain).parent)))
    env = {"PATH": f"{venv / 'bin'}:{path}", "HOME": os.environ.get("HOME", "/tmp"), "LD_LIBRARY_PATH": ""}
    return wheel, venv, env


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("logs") / "logs"
    w = SummaryWriter(str(root / "run"))
    for step in range(STEPS):
        w.add_scalar("loss", 1 / (1 + step), step)
    w.close()
    return root


def run(env, *args):
    return subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, check=True)


def assert_loss_rows(csv_text, run_name="run"):
    """The CSV export holds exactly the STEPS loss values the writer logged (float32)."""
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [(r["run"], r["tag"], int(r["step"])) for r in rows] == [(run_name, "loss", s) for s in range(STEPS)]
    assert [float(r["value"]) for r in rows] == pytest.approx(
        [float(np.float32(1 / (1 + s))) for s in range(STEPS)], rel=1e-6)


def test_wheel_tag_matches_auditwheel_and_size_is_at_most_40_mb(installed):
    wheel, _, _ = installed
    assert wheel.stat().st_size <= 40 * 1024 * 1024
    tag = re.search(r"-(manylinux_\d+_\d+_x86_64)\.whl$", wheel.name).group(1)
    shown = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True,
                           text=True, check=True).stdout
    assert f'"{tag}"' in shown.replace("\n", " ")


def test_bundled_tbkit_needs_no_swift_library_and_finds_every_library_it_needs(installed):
    _, venv, env = installed
    exe = next(venv.glob("lib/python*/site-packages/tbkit/_bin/tbkit"))
    libraries = subprocess.run(["ldd", str(exe)], env=env, capture_output=True, text=True, check=True).stdout
    assert "swift" not in libraries.lower() and "Foundation" not in libraries
    assert "not found" not in libraries
    # libcurl (FoundationNetworking) and libcrypto (SHA-256, HMAC) come from the wheel itself.
    vendored = [line for line in libraries.splitlines() if "tbkit.libs" in line]
    assert any("libcurl" in line for line in vendored) and any("libcrypto" in line for line in vendored)


def test_installed_tbkit_on_path_exports_a_logdir_and_tbkit_scalars_reads_it(installed, logdir):
    _, venv, env = installed
    assert_loss_rows(run(env, "tbkit", "export", logdir).stdout)
    frame = run(env, venv / "bin" / "python", "-c",
                f"import tbkit; f = tbkit.scalars({str(logdir)!r}); print(len(f), tbkit.executable())").stdout
    count, executable = frame.split()
    assert count == str(STEPS) and executable.startswith(str(venv))


def test_installed_tbkit_archives_inspects_and_extracts_a_logdir_unchanged(installed, logdir, tmp_path):
    _, _, env = installed
    archive = tmp_path / "study.tar.gz"
    run(env, "tbkit", "archive", logdir, archive)
    restored = tmp_path / "restored"
    run(env, "tbkit", "extract", archive, restored)
    original = sorted(p.relative_to(logdir) for p in logdir.rglob("*") if p.is_file())
    assert original and all(filecmp.cmp(logdir / p, restored / p, shallow=False) for p in original)
    report = json.loads(run(env, "tbkit", "inspect", restored, "--json").stdout)
    assert "loss" in json.dumps(report) and str(STEPS - 1) in json.dumps(report)
    assert_loss_rows(run(env, "tbkit", "export", restored).stdout)


@pytest.fixture(scope="module")
def s3_logs(logdir, tmp_path_factory):
    """The logdir uploaded under s3://<fresh bucket>/study/ on the test gateway."""
    boto3 = pytest.importorskip("boto3")
    from test_s3 import rgw_env
    keys = rgw_env()
    client = boto3.client("s3", endpoint_url=keys["AWS_ENDPOINT_URL"], region_name="us-east-1")
    bucket = f"tbkit-wheel-{uuid.uuid4().hex[:10]}"
    client.create_bucket(Bucket=bucket)
    for path in logdir.rglob("*"):
        if path.is_file():
            client.upload_file(str(path), bucket, f"study/{path.relative_to(logdir)}")
    extra = dict(keys, S3_ENDPOINT=keys["AWS_ENDPOINT_URL"], AWS_REGION="us-east-1",
                 TBKIT_S3_SPOOL=str(tmp_path_factory.mktemp("spool")))
    return client, bucket, extra


def test_installed_tbkit_reads_and_writes_s3_and_tbkit_scalars_reads_s3(installed, logdir, s3_logs, tmp_path):
    _, venv, env = installed
    client, bucket, extra = s3_logs
    env = dict(env, **extra)
    assert_loss_rows(run(env, "tbkit", "export", f"s3://{bucket}/study").stdout)
    count = run(env, venv / "bin" / "python", "-c",
                f"import tbkit; print(len(tbkit.scalars('s3://{bucket}/study')))").stdout.strip()
    assert count == str(STEPS)
    # An archive uploaded to S3 and extracted back from it: the write path (SigV4 signing).
    run(env, "tbkit", "archive", logdir, f"s3://{bucket}/study.tar.gz")
    assert client.head_object(Bucket=bucket, Key="study.tar.gz")["ContentLength"] > 0
    restored = tmp_path / "restored"
    run(env, "tbkit", "extract", f"s3://{bucket}/study.tar.gz", restored)
    original = sorted(p.relative_to(logdir) for p in logdir.rglob("*") if p.is_file())
    assert all(filecmp.cmp(logdir / p, restored / p, shallow=False) for p in original)
