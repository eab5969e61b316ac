"""Packs python/tbkit and the given executables into a wheel (a zip with METADATA, WHEEL and
RECORD, PEP 427), tagged for the oldest glibc the executables accept.

    python Scripts/make_wheel.py OUT_DIR EXECUTABLE...

The executables go to tbkit/_bin/ (found there by tbkit.executable()); the wheel's console
script `tbkit` replaces itself with the bundled one (os.execv), so `tbkit` is on PATH after
`pip install`. The platform tag is manylinux_<major>_<minor>_x86_64 for the newest GLIBC_x.y
symbol version the executables need (objdump -T).
"""
import base64
import hashlib
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def glibc_tag(executables):
    newest = (2, 17)
    for exe in executables:
        out = subprocess.run(["objdump", "-T", exe], capture_output=True, text=True, check=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            newest = max(newest, (int(major), int(minor)))
    return f"manylinux_{newest[0]}_{newest[1]}_x86_64"


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def main():
    out_dir, executables = Path(sys.argv[1]), sys.argv[2:]
    project = tomllib.loads((ROOT / "python" / "pyproject.toml").read_text())["project"]
    name, version = project["name"], project["version"]
    tag = f"py3-none-{glibc_tag(executables)}"
    dist_info = f"{name}-{version}.dist-info"
    files = {}
    for path in sorted((ROOT / "python" / "tbkit").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and "_bin" not in path.parts:
            files[f"tbkit/{path.relative_to(ROOT / 'python' / 'tbkit')}"] = (path.read_bytes(), 0o644)
    for exe in executables:
        files[f"tbkit/_bin/{Path(exe).name}"] = (Path(exe).read_bytes(), 0o755)
    requires = "".join(f"Requires-Dist: {d}\n" for d in project["dependencies"])
    files[f"{dist_info}/METADATA"] = ((
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {project['description']}\n"
        f"Requires-Python: {project['requires-python']}\n{requires}").encode(), 0o644)
    files[f"{dist_info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: tbkit make_wheel.py\nRoot-Is-Purelib: false\nTag: {tag}\n".encode(), 0o644)
    files[f"{dist_info}/entry_points.txt"] = (b"[console_scripts]\ntbkit = tbkit._cli:main\n", 0o644)
    record = [record_line(n, d) for n, (d, _) in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = (("\n".join(record) + "\n").encode(), 0o644)
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{name}-{version}-{tag}.whl"
    # The same steps as TBKit's AtomicFile: a temporary name beside the wheel, fsync, rename,
    # fsync of the directory, so a power loss never leaves half a wheel under the final name.
    tmp = wheel.with_suffix(".tmp")
    with open(tmp, "wb") as raw:
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for n, (data, mode) in files.items():
                info = zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0))
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data, compresslevel=9)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, wheel)
    directory = os.open(out_dir, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    print(wheel)


if __name__ == "__main__":
    main()
