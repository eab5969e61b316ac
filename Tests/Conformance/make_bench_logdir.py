"""Writes a benchmark log directory with tensorboardX: 1,000,000 scalar events and 10,000
histograms spread over 4 runs.

    python Tests/Conformance/make_bench_logdir.py OUT_DIR [--scalars N] [--histograms N] [--runs N]

Each run gets N/runs scalar events over two tags (train/loss, train/accuracy) and
histograms/runs histograms of 1,000 normal samples (tag weights/dense1, TensorFlow buckets).
"""
import argparse
import os

import numpy as np
from tensorboardX import SummaryWriter


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--scalars", type=int, default=1_000_000)
    ap.add_argument("--histograms", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=4)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    per_run_scalars = args.scalars // args.runs
    per_run_hists = args.histograms // args.runs
    for r in range(args.runs):
        w = SummaryWriter(os.path.join(args.out, f"run{r}"), max_queue=10000, flush_secs=600)
        steps = per_run_scalars // 2
        hist_every = max(1, steps // per_run_hists)
        h = 0
        for step in range(steps):
            w.add_scalar("train/loss", 1.0 / (1 + step) + 0.01 * r, step)
            w.add_scalar("train/accuracy", 1.0 - 1.0 / (2 + step), step)
            if step % hist_every == 0 and h < per_run_hists:
                w.add_histogram("weights/dense1", rng.standard_normal(1000), step)
                h += 1
        w.close()


if __name__ == "__main__":
    main()
