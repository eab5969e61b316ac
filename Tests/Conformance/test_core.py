"""TBKit's scalars and histograms, read back by the real TensorBoard (its event-file loaders, its
legacy EventAccumulator, and its HTTP data API under both the Python and the Rust loader), and
compared with an independent recomputation of what should be there.

The input formula mirrors `tbkit write-sample` (Sources/tbkit/WriteSampleCommand.swift)."""
import glob
import math
import struct

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.backend.event_processing.event_file_loader import EventFileLoader, LegacyEventFileLoader
from tensorboard.util import tensor_util

STEPS = 20
SPECIALS = [0.0, -0.0, 1e-30, -3.0e38, math.nan, math.inf, -math.inf]


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def value(step, i):
    base = ((i * 7919 + step * 104729) % 2003 - 1001) / 100
    scale = [0.01, 0.1, 1.0, 10.0, 100.0][i % 5]
    return f32(base * scale)


def values(step):
    return np.array([value(step, i) for i in range(1000 + 37 * step)], dtype=np.float32).astype(np.float64)


def expected_scalar(tag, step):
    return value(step, 1) if tag == "loss" else f32(SPECIALS[step % len(SPECIALS)])


def same_float(a, b):
    # The HTTP API sends NaN and the infinities as the strings "NaN", "Infinity", "-Infinity".
    a, b = float(a), float(b)
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def tf_limits():
    pos, v = [], 1e-12
    while v < 1e20:
        pos.append(v)
        v *= 1.1
    pos.append(np.finfo(np.float64).max)
    return np.array([-x for x in reversed(pos)] + [0.0] + pos)


LIMITS = tf_limits()


def tf_encoded(xs):
    """TensorFlow's bucketing (upper_bound, clamped), with empty runs collapsed to one entry and
    the empty runs before the first and after the last non-empty bucket dropped."""
    idx = np.minimum(np.searchsorted(LIMITS, xs, side="right"), len(LIMITS) - 1)
    counts = np.bincount(idx, minlength=len(LIMITS))
    nz = np.nonzero(counts)[0]
    limits, buckets = [], []
    b = nz[0]
    while b <= nz[-1]:
        if counts[b]:
            limits.append(LIMITS[b]); buckets.append(float(counts[b])); b += 1
        else:
            while counts[b] == 0:
                b += 1
            limits.append(LIMITS[b - 1]); buckets.append(0.0)
    return limits, buckets


def event_file(logdir, run):
    files = glob.glob(f"{logdir}/{run}/*tfevents*")
    assert len(files) == 1, files
    return files[0]


@pytest.fixture(scope="module")
def sample(tmp_path_factory, tbkit):
    logdir = tmp_path_factory.mktemp("sample") / "logs"
    tbkit("write-sample", logdir, "--steps", STEPS)
    return logdir


def test_every_file_starts_with_file_version_brain_event_2(sample):
    for run in ["scalars_v1", "scalars_v2", "histograms"]:
        first = next(iter(LegacyEventFileLoader(event_file(sample, run)).Load()))
        assert first.file_version == "brain.Event:2"
        assert first.wall_time > 1.6e9  # seconds, not milliseconds


def test_v1_scalars_read_back_exactly_as_float32_including_zero_nan_and_inf(sample):
    seen = {}
    for event in LegacyEventFileLoader(event_file(sample, "scalars_v1")).Load():
        for v in event.summary.value:
            assert v.WhichOneof("value") == "simple_value"
            assert same_float(v.simple_value, expected_scalar(v.tag, event.step)), (v.tag, event.step)
            assert event.wall_time == 1.7e9 + event.step
            seen.setdefault(v.tag, []).append(event.step)
    assert seen == {"loss": list(range(STEPS)), "special": list(range(STEPS))}


def test_v2_scalars_are_float_tensors_with_scalars_plugin_metadata_once(sample):
    seen = {}
    for event in EventFileLoader(event_file(sample, "scalars_v2")).Load():
        for v in event.summary.value:
            arr = tensor_util.make_ndarray(v.tensor)
            assert v.tensor.dtype == 1 and arr.shape == ()  # DT_FLOAT, rank 0
            assert same_float(float(arr), expected_scalar(v.tag, event.step))
            seen.setdefault(v.tag, []).append(event.step)
    assert sorted(seen) == ["loss", "special"]
    raw = [v for e in LegacyEventFileLoader(event_file(sample, "scalars_v2")).Load() for v in e.summary.value]
    with_metadata = [v.tag for v in raw if v.HasField("metadata")]
    assert sorted(with_metadata) == ["loss", "special"]  # first value of each tag only
    assert all(v.metadata.plugin_data.plugin_name == "scalars" for v in raw if v.HasField("metadata"))


def test_tensorflow_default_histograms_match_an_independent_bucketing(sample):
    count = 0
    for event in LegacyEventFileLoader(event_file(sample, "histograms")).Load():
        for v in event.summary.value:
            if v.tag not in ("tf_default", "with_nan"):
                continue
            xs = values(event.step)
            if v.tag == "with_nan":
                xs = xs[2:]  # NaN and +Inf at 0 and 1 are left out
            h = v.histo
            assert h.min == xs.min() and h.max == xs.max() and h.num == len(xs)
            assert h.sum == pytest.approx(xs.sum(), rel=1e-12, abs=1e-9)
            assert h.sum_squares == pytest.approx((xs * xs).sum(), rel=1e-12)
            limits, buckets = tf_encoded(xs)
            assert list(h.bucket_limit) == limits
            assert list(h.bucket) == buckets
            count += 1
    assert count == 2 * STEPS


def test_nonfinite_values_are_counted_in_their_own_scalar(sample):
    counts = [(e.step, v.simple_value) for e in LegacyEventFileLoader(event_file(sample, "histograms")).Load()
              for v in e.summary.value if v.tag == "with_nan/nonfinite_count"]
    assert counts == [(s, 2.0) for s in range(STEPS)]


def test_equal_width_and_given_edges_histograms_count_every_value(sample):
    for event in LegacyEventFileLoader(event_file(sample, "histograms")).Load():
        for v in event.summary.value:
            xs = values(event.step)
            if v.tag == "equal_30":
                edges = np.linspace(xs.min(), xs.max(), 31)
                expected, _ = np.histogram(xs, bins=edges)
                assert list(v.histo.bucket) == [float(c) for c in expected]
                assert v.histo.bucket_limit[-1] == xs.max()
            elif v.tag == "edges":
                assert list(v.histo.bucket_limit) == [-10, -1, 0, 1, 10, 1000]
                assert sum(v.histo.bucket) == len(xs)


def test_v2_histogram_tensor_rows_are_left_right_count(sample):
    n = 0
    for event in EventFileLoader(event_file(sample, "histograms")).Load():
        for v in event.summary.value:
            if v.tag != "v2_tensor":
                continue
            rows = tensor_util.make_ndarray(v.tensor)
            xs = values(event.step)
            assert rows.shape == (30, 3)
            assert rows[0, 0] == xs.min() and rows[-1, 1] == xs.max()
            assert rows[:, 2].sum() == len(xs)
            if n == 0:  # plugin metadata rides on the first value of the tag
                assert v.metadata.plugin_data.plugin_name == "histograms"
            n += 1
    assert n == STEPS


def test_migrated_v1_histograms_keep_every_count_and_the_true_range(sample):
    # EventFileLoader runs TensorBoard's v1 -> v2 migration, as the dashboards see it.
    for event in EventFileLoader(event_file(sample, "histograms")).Load():
        for v in event.summary.value:
            if v.tag != "tf_default":
                continue
            rows = tensor_util.make_ndarray(v.tensor)
            xs = values(event.step)
            assert rows[:, 2].sum() == len(xs)
            assert rows[0, 0] == pytest.approx(xs.min(), rel=1e-6)
            assert rows[-1, 1] == pytest.approx(xs.max(), rel=1e-6)
            assert (rows[:, 1] >= rows[:, 0]).all()  # no bucket drawn backwards


def test_legacy_event_accumulator_lists_and_reads_everything(sample):
    acc = event_accumulator.EventAccumulator(str(sample / "scalars_v1"), size_guidance={"scalars": 0})
    acc.Reload()
    assert sorted(acc.Tags()["scalars"]) == ["loss", "special"]
    got = [(e.step, e.value) for e in acc.Scalars("loss")]
    assert got == [(s, value(s, 1)) for s in range(STEPS)]
    acc = event_accumulator.EventAccumulator(str(sample / "histograms"), size_guidance={"histograms": 0})
    acc.Reload()
    assert {"tf_default", "equal_30", "edges", "with_nan"} <= set(acc.Tags()["histograms"])
    events = acc.Histograms("tf_default")
    assert [e.step for e in events] == list(range(STEPS))
    assert events[3].histogram_value.num == len(values(3))


@pytest.mark.parametrize("load_fast", ["false", "true"])
def test_tensorboard_http_api_serves_runs_tags_and_values(sample, tensorboard_server, load_fast):
    server = tensorboard_server(sample, load_fast=load_fast)
    runs = server.wait_for(lambda s: set(s.get("data/runs")) >= {"scalars_v1", "scalars_v2", "histograms"} and
                           s.get("data/runs"), "the three runs")
    assert sorted(runs) == ["histograms", "scalars_v1", "scalars_v2"]
    tags = server.wait_for(lambda s: len(s.get("data/plugin/scalars/tags").get("scalars_v2", {})) == 2 and
                           s.get("data/plugin/scalars/tags"), "scalar tags")
    assert set(tags["scalars_v1"]) == {"loss", "special"}
    assert set(tags["scalars_v2"]) == {"loss", "special"}
    assert set(tags["histograms"]) == {"with_nan/nonfinite_count"}
    for run in ["scalars_v1", "scalars_v2"]:
        for tag in ["loss", "special"]:
            points = server.wait_for(
                lambda s: len(s.get("data/plugin/scalars/scalars", run=run, tag=tag)) == STEPS and
                s.get("data/plugin/scalars/scalars", run=run, tag=tag), f"{run}/{tag}")
            for wall, step, v in points:
                assert wall == 1.7e9 + step
                assert same_float(v, expected_scalar(tag, step)), (run, tag, step, v)
    htags = server.wait_for(lambda s: len(s.get("data/plugin/histograms/tags").get("histograms", {})) == 5 and
                            s.get("data/plugin/histograms/tags"), "histogram tags")
    assert set(htags["histograms"]) == {"tf_default", "equal_30", "edges", "with_nan", "v2_tensor"}
    for tag in ["tf_default", "equal_30", "v2_tensor", "with_nan"]:
        series = server.get("data/plugin/histograms/histograms", run="histograms", tag=tag)
        assert len(series) == STEPS
        for wall, step, buckets in series:
            xs = values(step)[2:] if tag == "with_nan" else values(step)
            assert sum(b[2] for b in buckets) == len(xs)
            assert buckets[0][0] == pytest.approx(xs.min(), rel=1e-6)
            assert buckets[-1][1] == pytest.approx(xs.max(), rel=1e-6)
            assert all(b[1] >= b[0] for b in buckets), "a bucket drawn backwards"
    dist = server.get("data/plugin/distributions/distributions", run="histograms", tag="tf_default")
    assert len(dist) == STEPS
    for wall, step, points in dist:
        xs = values(step)
        assert len(points) == 9
        assert points[0][1] == pytest.approx(xs.min(), rel=1e-6)
        assert points[-1][1] == pytest.approx(xs.max(), rel=1e-6)
