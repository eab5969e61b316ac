"""Times reading a log directory: TensorBoard's EventAccumulator, tbparse, and tbkit.

    python Tests/Conformance/bench_read.py LOGDIR --tbkit .build/release/tbkit \
        [--tbparse-python VENV/bin/python] [--skip-python]

Each reader runs as its own process under /usr/bin/time -v, which gives its wall time and its
maximum resident set size. Python readers run with this interpreter (it needs `tensorboard`);
tbparse runs with --tbparse-python when given (a venv with `pip install tbparse tensorboard`),
else with this interpreter if it can import tbparse, else it is skipped.

Contenders:
- EventAccumulator: an EventMultiplexer over LOGDIR keeping every scalar and histogram
  (size_guidance 0 = keep all), then reading all scalars and histograms of every run.
- tbparse: SummaryReader(LOGDIR).scalars and .histograms (each reads the whole directory).
- tbkit inspect LOGDIR; tbkit export LOGDIR (scalars CSV); tbkit export --kind histograms
  (one row per bucket) and --kind histograms --stats; output to /dev/null.
Prints a table (wall time, CPU time = user + system, max RSS) and the ratios of
EventAccumulator's figures to each tbkit command's; CPU time is the steadier on a busy machine.
A log directory for it: Tests/Conformance/make_bench_logdir.py (1,000,000 scalar events and
10,000 histograms over 4 runs).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

EA_CODE = r"""
import sys
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.backend.event_processing import event_multiplexer as em
guidance = {ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.TENSORS: 0, ea.IMAGES: 0, ea.AUDIO: 0, ea.COMPRESSED_HISTOGRAMS: 0}
m = em.EventMultiplexer(size_guidance=guidance)
m.AddRunsFromDirectory(sys.argv[1])
m.Reload()
scalars = histograms = 0
for run, tags in m.Runs().items():
    for tag in tags.get("scalars", []):
        scalars += len(m.Scalars(run, tag))
    for tag in tags.get("histograms", []):
        histograms += len(m.Histograms(run, tag))
print(f"scalars={scalars} histograms={histograms}")
"""

TBPARSE_CODE = r"""
import sys
from tbparse import SummaryReader
r = SummaryReader(sys.argv[1], extra_columns={"dir_name"})
s = r.scalars
h = r.histograms
print(f"scalars={len(s)} histograms={len(h)}")
"""


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, max RSS MiB, CPU seconds, stdout or None)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        out = subprocess.run(["/usr/bin/time", "-v", "-o", report.name] + cmd, stdout=stdout,
                             stderr=subprocess.PIPE, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({out.returncode}): {out.stderr[-2000:]}")
        text = report.read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.+)", text).group(1).strip()
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = sum(float(re.search(rf"{k} time \(seconds\): ([0-9.]+)", text).group(1)) for k in ("User", "System"))
    return seconds, rss_kib / 1024, cpu, (out.stdout if stdout == subprocess.PIPE else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("logdir")
    ap.add_argument("--tbkit", required=True, help="path to a release-built tbkit")
    ap.add_argument("--tbparse-python", help="a Python with tbparse installed")
    ap.add_argument("--skip-python", action="store_true", help="time only tbkit")
    args = ap.parse_args()

    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.logdir) for f in fs)
    print(f"log directory {args.logdir}: {size / 2**20:.1f} MiB of event files\n")
    rows = []
    if not args.skip_python:
        t, rss, cpu, out = timed([sys.executable, "-c", EA_CODE, args.logdir], stdout=subprocess.PIPE)
        rows.append(("EventAccumulator (keep all)", t, cpu, rss, out.strip()))
        tbparse_py = args.tbparse_python
        if not tbparse_py:
            probe = subprocess.run([sys.executable, "-c", "import tbparse"], capture_output=True)
            tbparse_py = sys.executable if probe.returncode == 0 else None
        if tbparse_py:
            t, rss, cpu, out = timed([tbparse_py, "-c", TBPARSE_CODE, args.logdir], stdout=subprocess.PIPE)
            rows.append(("tbparse scalars+histograms", t, cpu, rss, out.strip()))
        else:
            print("tbparse not installed: skipped (pass --tbparse-python)")
    for label, extra in [("tbkit inspect", ["inspect", args.logdir]),
                         ("tbkit export scalars csv", ["export", args.logdir, "-o", "/dev/null"]),
                         ("tbkit export histograms (buckets)", ["export", args.logdir, "--kind", "histograms", "-o", "/dev/null"]),
                         ("tbkit export histograms --stats", ["export", args.logdir, "--kind", "histograms", "--stats", "-o", "/dev/null"])]:
        t, rss, cpu, _ = timed([args.tbkit] + extra)
        rows.append((label, t, cpu, rss, ""))

    print(f"{'reader':36} {'wall s':>8} {'CPU s':>8} {'max RSS MiB':>12}  notes")
    for label, t, cpu, rss, note in rows:
        print(f"{label:36} {t:8.2f} {cpu:8.2f} {rss:12.1f}  {note}")
    base = next((r for r in rows if r[0].startswith("EventAccumulator")), None)
    if base:
        print()
        for label, t, cpu, rss, _ in rows:
            if label.startswith("tbkit"):
                print(f"EventAccumulator / {label}: {base[1] / max(t, 1e-3):.1f}x faster (wall), "
                      f"{base[2] / max(cpu, 1e-3):.1f}x less CPU, {base[3] / max(rss, 1e-3):.1f}x less memory")


if __name__ == "__main__":
    main()
