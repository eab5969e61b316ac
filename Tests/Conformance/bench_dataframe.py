"""Times getting every scalar of a log directory into a pandas DataFrame: `tbkit.scalars` (the
executable's Parquet through a pipe) against tbparse's SummaryReader, each in a process of its
own, in the same run; prints wall time, peak RSS above the interpreter's baseline, and the
DataFrame's own size.

    TBKIT_BIN=.build/release/tbkit .venv/bin/python Tests/Conformance/bench_dataframe.py LOGDIR

LOGDIR: Tests/Conformance/make_bench_logdir.py makes the 1,000,000-scalar one.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
import pandas, pyarrow, pyarrow.parquet
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if sys.argv[1] == "tbkit":
    import tbkit
    df = tbkit.scalars(sys.argv[2])
else:
    from tbparse import SummaryReader
    df = SummaryReader(sys.argv[2], extra_columns={"dir_name", "wall_time"}).scalars
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "rows": len(df), "peak_mib": (peak - base) / 1024,
                  "frame_mib": df.memory_usage(deep=True).sum() / 2**20}))
"""


def measure(tool, logdir):
    out = subprocess.run([sys.executable, "-c", CHILD, tool, logdir, str(ROOT / "python")],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    logdir = sys.argv[1]
    results = {tool: measure(tool, logdir) for tool in ("tbkit", "tbparse")}
    for tool, r in results.items():
        print(f"{tool:8} {r['seconds']:8.2f} s  {r['rows']:>9} rows  peak +{r['peak_mib']:.0f} MiB "
              f"(DataFrame {r['frame_mib']:.0f} MiB)")
    print(f"tbkit.scalars is {results['tbparse']['seconds'] / results['tbkit']['seconds']:.1f}x faster than tbparse")


if __name__ == "__main__":
    main()
