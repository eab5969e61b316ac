"""TensorBoard event files into pandas DataFrames, read by the bundled ``tbkit`` executable.

Every function runs ``tbkit export ... --format parquet`` and reads the Parquet it streams through
a pipe (typed columns, no text round trip). ``source`` is a log directory, a single event file, a
``tbkit archive`` .tar.gz or an ``s3://`` prefix, as the command line accepts it.

    >>> import tbkit
    >>> df = tbkit.scalars("logs")                      # run, tag, step, wall_time, value
    >>> wide = tbkit.scalars("logs", pivot=True)        # one column per tag
    >>> h = tbkit.histograms("logs", stats=True)        # min, max, num, sum, mean, std

Problems in the files (a damaged record, a truncated tail) do not stop the reading: the rows up
to them come back, and each problem is issued as a ``TBKitWarning`` naming the file and offset.
A failure (no such source, a bad argument) raises ``TBKitError`` with the tool's message.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

import pandas as pd

from ._frame import parquet_frame

__all__ = ["scalars", "histograms", "hparams", "text", "executable", "TBKitError", "TBKitWarning"]
__version__ = "0.1.0"

Source = Union[str, "os.PathLike[str]"]


class TBKitError(RuntimeError):
    """The tbkit executable failed; the message is its own (what failed, where, what to do)."""


class TBKitWarning(UserWarning):
    """A problem met while reading (file and byte offset in the message); reading went on."""


def executable() -> str:
    """The path of the tbkit executable used: ``$TBKIT_BIN``, else the one bundled in this
    package (``tbkit/_bin/tbkit``), else ``tbkit`` on PATH. Raises TBKitError when none exists."""
    env = os.environ.get("TBKIT_BIN")
    if env:
        return env
    bundled = Path(__file__).resolve().parent / "_bin" / "tbkit"
    if bundled.exists():
        return str(bundled)
    found = shutil.which("tbkit")
    if found:
        return found
    raise TBKitError("no tbkit executable: install the tbkit wheel, put tbkit on PATH, or set TBKIT_BIN")


def _filters(runs: Optional[Iterable[str]], tags: Optional[Iterable[str]]) -> list[str]:
    args: list[str] = []
    for run in _names(runs, "runs"):
        args += ["--run", run]
    for tag in _names(tags, "tags"):
        args += ["--tag", tag]
    return args


def _names(names: Optional[Iterable[str]], what: str) -> Sequence[str]:
    if names is None:
        return []
    if isinstance(names, str):
        return [names]
    names = list(names)
    if not all(isinstance(n, str) for n in names):
        raise TypeError(f"{what} must be strings")
    return names


def _run(args: list[str]) -> pd.DataFrame:
    """Runs tbkit with ``args`` (a Parquet export to standard output) and returns the frame."""
    command = [executable(), *args]
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    except OSError as error:
        raise TBKitError(f"cannot run {command[0]}: {error}") from error
    stderr = result.stderr.decode("utf-8", errors="replace")
    if result.returncode != 0:
        message = stderr.strip() or f"tbkit exited with status {result.returncode}"
        raise TBKitError(message)
    for line in stderr.splitlines():
        if line.startswith("warning: "):
            warnings.warn(line[len("warning: "):], TBKitWarning, stacklevel=3)
    return parquet_frame(result.stdout)


def scalars(
    source: Source,
    runs: Optional[Iterable[str]] = None,
    tags: Optional[Iterable[str]] = None,
    pivot: bool = False,
) -> pd.DataFrame:
    """Every scalar point under ``source``.

    Columns run, tag (pandas Categorical of str), step (int64), wall_time, value (float64;
    float32 values widened exactly), runs in name order and points in file order. ``runs`` and ``tags`` keep only those
    names (a single string is one name). ``pivot=True`` gives one row per (run, step) and one
    column per tag, as tbparse's ``pivot=True`` does (wall_time is the step's first).
    """
    frame = _run(["export", os.fspath(source), "--format", "parquet", *_filters(runs, tags)])
    if not pivot:
        return frame
    wall = frame.groupby(["run", "step"], sort=False, observed=True)["wall_time"].first()
    wide = frame.pivot_table(
        index=["run", "step"], columns="tag", values="value", aggfunc="last", dropna=False, observed=True
    )
    wide = wide.reindex(columns=sorted(wide.columns))
    wide.columns = pd.Index([str(c) for c in wide.columns])
    wide.insert(0, "wall_time", wall.reindex(wide.index))
    return wide.reset_index()


def histograms(
    source: Source,
    runs: Optional[Iterable[str]] = None,
    tags: Optional[Iterable[str]] = None,
    stats: bool = False,
) -> pd.DataFrame:
    """Every histogram under ``source``: one row per bucket (run, tag, step, wall_time, left,
    right, count), or with ``stats=True`` one row per histogram (run, tag, step, wall_time, min,
    max, num, sum, mean, std)."""
    args = ["export", os.fspath(source), "--format", "parquet", "--kind", "histograms", *_filters(runs, tags)]
    if stats:
        args.append("--stats")
    return _run(args)


def hparams(source: Source, runs: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """One row per run that logged hyperparameters: run, then one column per hyperparameter
    (``hparam/<name>``) and one per metric of the experiment (``metric/<tag>``, the run's last
    value of that scalar tag). A run without a given hyperparameter has NaN/None there."""
    return _run(["export", os.fspath(source), "--format", "parquet", "--kind", "hparams", *_filters(runs, None)])


def text(
    source: Source,
    runs: Optional[Iterable[str]] = None,
    tags: Optional[Iterable[str]] = None,
) -> pd.DataFrame:
    """Every text summary under ``source``: run, tag, step, wall_time, text (one row per string
    of the logged tensor, in order)."""
    return _run(["export", os.fspath(source), "--format", "parquet", "--kind", "text", *_filters(runs, tags)])
