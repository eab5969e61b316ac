"""The wheel from Scripts/build-wheel, installed into a fresh virtual environment and run with the
Swift toolchain out of PATH and the library path: `tbkit` on PATH, no Swift library in `ldd`,
the platform tag `auditwheel show` agrees with, at most 40 MB, and `tbkit.scalars` working.

A static release build takes minutes on two cores, so this runs only when asked:
TBKIT_WHEEL=path/to.whl uses a built wheel; TBKIT_BUILD_WHEEL=1 runs Scripts/build-wheel first."""
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from tensorboardX import SummaryWriter

from conftest import ROOT, tbkit_binary


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


def test_wheel_tag_matches_auditwheel_and_size_is_at_most_40_mb(installed):
    wheel, _, _ = installed
    assert wheel.stat().st_size <= 40 * 1024 * 1024
    tag = re.search(r"-(manylinux_\d+_\d+_x86_64)\.whl$", wheel.name).group(1)
    shown = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True,
                           text=True, check=True).stdout
    assert f'"{tag}"' in shown.replace("\n", " ")


def test_installed_tbkit_is_on_path_needs_no_swift_library_and_exports(installed, tmp_path):
    _, venv, env = installed
    exe = next(venv.glob("lib/python*/site-packages/tbkit/_bin/tbkit"))
    libraries = subprocess.run(["ldd", str(exe)], capture_output=True, text=True, check=True).stdout
    assert "swift" not in libraries.lower() and "Foundation" not in libraries
    w = SummaryWriter(str(tmp_path / "logs" / "run"))
    for step in range(100):
        w.add_scalar("loss", 1 / (1 + step), step)
    w.close()
    got = subprocess.run(["tbkit", "export", str(tmp_path / "logs")], env=env, capture_output=True, text=True,
                         check=True).stdout
    want = subprocess.run([tbkit_binary(), "export", str(tmp_path / "logs")], capture_output=True, text=True,
                          check=True).stdout
    assert got == want and got.count("\n") == 101
    frame = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         f"import tbkit; f = tbkit.scalars({str(tmp_path / 'logs')!r}); print(len(f), tbkit.executable())"],
        env=env, capture_output=True, text=True, check=True).stdout.split()
    assert frame[0] == "100" and frame[1].startswith(str(venv))
