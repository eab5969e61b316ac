"""tensorboardX doing the work `tbkit bench` measures; prints one JSON object of medians."""
import argparse
import json
import shutil
import statistics
import tempfile
import time

import numpy as np
import tensorboardX
from tensorboardX import SummaryWriter


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scalars", type=int, default=200_000)
    p.add_argument("--histogram-values", type=int, default=1_000_000)
    p.add_argument("--repeats", type=int, default=5)
    a = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="tbx-bench-")
    try:
        rates = []
        for r in range(a.repeats):
            w = SummaryWriter(f"{tmp}/s{r}")
            t = time.perf_counter()
            for i in range(a.scalars):
                w.add_scalar("loss", i * 0.001, i)
            w.close()
            rates.append(a.scalars / (time.perf_counter() - t))
        values = np.random.default_rng(42).standard_normal(a.histogram_values).astype(np.float32)
        w = SummaryWriter(f"{tmp}/h")
        ms = []
        for r in range(max(a.repeats * 2, 5)):
            t = time.perf_counter()
            w.add_histogram("values", values, r, bins="tensorflow")
            ms.append((time.perf_counter() - t) * 1000)
        w.close()
        print(json.dumps({
            "version": tensorboardX.__version__,
            "scalars_per_s": statistics.median(rates),
            "histogram_ms": statistics.median(ms),
        }))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
