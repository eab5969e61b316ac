"""`tbkit aggregate` checked against TensorBoard and numpy/scipy. The input runs are written by
tensorboardX (an independent writer), with a shorter seed, a step written twice, a NaN and a
group of one. Every statistic of the tidy rows equals numpy's and scipy's on what TensorBoard
shows of the input (the last write of a step); the output runs, read by TensorBoard's Python
loader (EventAccumulator) and its Rust loader (HTTP API, --load_fast=true), hold mean, band and n
exactly as float32; the bad-input cases give clear messages."""
import csv
import io
import json
import math
import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from tensorboard.backend.event_processing import event_accumulator, event_file_loader

GROUPS = {  # group -> (base accuracy, number of points per seed)
    "he_relu": (0.9, [30, 30, 24]),
    "xavier_relu": (0.8, [30, 30, 30]),
    "solo": (0.5, [12]),
}
TAGS = ["test_acc", "loss"]


def write_inputs(logdir: Path):
    from tensorboardX import SummaryWriter
    rng = np.random.default_rng(20)
    for group, (base, lengths) in GROUPS.items():
        for seed, length in enumerate(lengths):
            w = SummaryWriter(str(logdir / f"{group}_seed{seed}"))
            for step in range(0, length * 10, 10):
                w.add_scalar("test_acc", base - 0.5 * math.exp(-step / 80) + rng.normal(0, 0.02), step)
                loss = 2 * math.exp(-step / 60) + rng.normal(0, 0.05)
                if group == "xavier_relu" and seed == 1 and step == 100:
                    loss = float("nan")
                w.add_scalar("loss", loss, step)
                if group == "he_relu" and seed == 1 and step == 50:
                    w.add_scalar("loss", 7.25, step)  # the same step again: this one shows
            w.close()


def shown_points(run_dir: Path):
    """tag -> {step: value} as TensorBoard shows it: float32 values, the last write of a step."""
    points = defaultdict(dict)
    for path in sorted(run_dir.glob("*tfevents*")):
        for event in event_file_loader.LegacyEventFileLoader(str(path)).Load():
            for v in event.summary.value:
                if v.HasField("simple_value"):
                    points[v.tag][event.step] = float(np.float32(v.simple_value))
    return points


def expected_statistics(logdir: Path):
    """(group, tag, step) -> dict of numpy/scipy statistics, over steps every seed has."""
    expected = {}
    for group, (_, lengths) in GROUPS.items():
        runs = [shown_points(logdir / f"{group}_seed{s}") for s in range(len(lengths))]
        for tag in TAGS:
            common = set.intersection(*(set(r[tag]) for r in runs))
            for step in sorted(common):
                values = np.array([r[tag][step] for r in runs])
                x = values[np.isfinite(values)]
                n = len(x)
                row = {"n": n, "mean": x.mean(), "min": x.min(), "max": x.max(), "median": np.median(x)}
                if n >= 2:
                    sd = x.std(ddof=1)
                    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
                    row.update(std=sd, ci_low=x.mean() - half, ci_high=x.mean() + half)
                else:
                    row.update(std=None, ci_low=None, ci_high=None)
                expected[(group, tag, step)] = row
    return expected


@pytest.fixture(scope="module")
def data(tmp_path_factory, tbkit):
    root = tmp_path_factory.mktemp("aggregate")
    logdir = root / "logs"
    write_inputs(logdir)
    tbkit("aggregate", logdir, "-o", root / "agg")
    rows = tbkit("aggregate", logdir, "-o", "-", "--format", "csv").stdout
    return root, logdir, expected_statistics(logdir), list(csv.DictReader(io.StringIO(rows)))


def test_tidy_rows_equal_numpy_and_scipy_on_what_tensorboard_shows(data):
    _, _, expected, rows = data
    assert len(rows) == len(expected)
    for row in rows:
        want = expected[(row["group"], row["tag"], int(row["step"]))]
        assert int(row["n"]) == want["n"]
        for column in ["mean", "std", "min", "max", "median", "ci_low", "ci_high"]:
            if want[column] is None:
                assert row[column] == "", (row, column)
            else:
                assert float(row[column]) == pytest.approx(want[column], rel=1e-12, abs=1e-15), (row, column)


def test_the_last_write_of_a_step_is_aggregated_and_nan_is_left_out(data):
    _, logdir, expected, rows = data
    he = {int(r["step"]): r for r in rows if r["group"] == "he_relu" and r["tag"] == "loss"}
    assert float(he[50]["max"]) == 7.25  # the second write of step 50 in he_relu_seed1
    xavier = {int(r["step"]): r for r in rows if r["group"] == "xavier_relu" and r["tag"] == "loss"}
    assert int(xavier[100]["n"]) == 2 and int(xavier[90]["n"]) == 3
    # he_relu_seed2 is shorter: by default a step needs every seed of the group.
    assert max(he) == 230 and 290 not in he


def accumulate(run_dir):
    acc = event_accumulator.EventAccumulator(str(run_dir), size_guidance={"scalars": 0, "tensors": 0})
    acc.Reload()
    return acc


def test_python_loader_reads_mean_band_and_n_exactly_as_float32(data):
    root, _, expected, _ = data
    for group in GROUPS:
        acc = accumulate(root / "agg" / group)
        for tag in TAGS:
            want = {step: row for (g, t, step), row in expected.items() if g == group and t == tag}
            series = {name: {e.step: e.value for e in acc.Scalars(f"{tag}/{name}")}
                      for name in ["mean", "lower", "upper", "n"]}
            assert sorted(series["mean"]) == sorted(want)
            for step, row in want.items():
                lower = row["ci_low"] if row["n"] >= 2 else row["mean"]
                upper = row["ci_high"] if row["n"] >= 2 else row["mean"]
                assert series["mean"][step] == np.float32(row["mean"]), (group, tag, step)
                assert series["lower"][step] == np.float32(lower), (group, tag, step)
                assert series["upper"][step] == np.float32(upper), (group, tag, step)
                assert series["n"][step] == row["n"]


@pytest.mark.parametrize("load_fast", ["true", "false"])
def test_tensorboard_serves_the_groups_and_the_margin_chart_layout(data, tensorboard_server, load_fast):
    root, _, expected, _ = data
    server = tensorboard_server(root / "agg", load_fast=load_fast)
    runs = server.wait_for(lambda s: len(s.get("data/runs")) == len(GROUPS) and s.get("data/runs"), "the groups")
    assert sorted(runs) == sorted(GROUPS)
    layout = server.get("data/plugin/custom_scalars/layout")
    (category,) = layout["category"]
    assert [c["title"] for c in category["chart"]] == sorted(TAGS)
    assert category["chart"][0]["margin"]["series"] == [
        {"value": "loss/mean", "lower": "loss/lower", "upper": "loss/upper"}]
    points = server.get("data/plugin/scalars/scalars", run="xavier_relu", tag="test_acc/upper")
    want = {step: row["ci_high"] for (g, t, step), row in expected.items() if g == "xavier_relu" and t == "test_acc"}
    assert {p[1]: p[2] for p in points} == {s: float(np.float32(v)) for s, v in want.items()}


def test_std_and_minmax_bands_and_min_runs(data, tbkit):
    root, logdir, expected, csv_rows = data
    tbkit("aggregate", logdir, "-o", root / "agg-std", "--band", "std", "--tag", "test_acc")
    acc = accumulate(root / "agg-std" / "he_relu")
    assert set(acc.Tags()["scalars"]) == {f"test_acc/{n}" for n in ["mean", "lower", "upper", "n"]}
    row = expected[("he_relu", "test_acc", 100)]
    assert acc.Scalars("test_acc/upper")[10].value == np.float32(row["mean"] + row["std"])
    out = tbkit("aggregate", logdir, "-o", "-", "--format", "jsonl", "--band", "minmax", "--min-runs", "2").stdout
    rows = [json.loads(line) for line in out.splitlines()]
    tail = [r for r in rows if r["group"] == "he_relu" and r["tag"] == "loss" and r["step"] == 290]
    assert tail and tail[0]["n"] == 2  # the shorter seed is missing there; two runs suffice
    assert not [r for r in rows if r["group"] == "solo"]  # one run never reaches --min-runs 2
    minmax = {(r["group"], r["tag"], r["step"]): r for r in rows}
    assert minmax[("xavier_relu", "loss", 100)]["min"] == expected[("xavier_relu", "loss", 100)]["min"]
    # A group of one: n = 1, no deviation and no interval (empty cells), its band the run itself.
    solo = [r for r in csv_rows if r["group"] == "solo"]
    assert solo and all(r["n"] == "1" and r["std"] == r["ci_low"] == r["ci_high"] == "" for r in solo)
    solo_acc = accumulate(root / "agg" / "solo")
    for name in ["lower", "upper"]:
        assert [e.value for e in solo_acc.Scalars(f"test_acc/{name}")] == [
            e.value for e in solo_acc.Scalars("test_acc/mean")]


def test_bad_input_gives_clear_messages(data, tbkit):
    root, logdir, _, _ = data
    again = tbkit("aggregate", logdir, "-o", root / "agg", check=False)
    assert again.returncode == 1 and "--overwrite" in again.stderr
    assert tbkit("aggregate", logdir, "-o", root / "agg", "--overwrite").returncode == 0
    no_capture = tbkit("aggregate", logdir, "-o", root / "x", "--group-by", "seed[0-9]", check=False)
    assert no_capture.returncode == 2 and "no capture group" in no_capture.stderr
    # A damaged record: reported with its file and offset; the rest is aggregated.
    damaged = root / "damaged"
    shutil.copytree(logdir, damaged)
    (path,) = (damaged / "he_relu_seed0").glob("*tfevents*")
    raw = bytearray(path.read_bytes())
    raw[300] ^= 0xFF
    path.write_bytes(bytes(raw))
    result = tbkit("aggregate", damaged, "-o", root / "agg-damaged")
    assert "he_relu_seed0" in result.stderr and "byte" in result.stderr
    assert "he_relu: 3 run(s)" in result.stdout


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_custom_scalars_margin_charts_fill_a_band_for_every_group_in_chromium(data, tbkit, tensorboard_server):
    """Headless Chromium on TensorBoard's Custom Scalars dashboard: one margin chart per tag, and
    in each a filled area (the band) of non-zero height in a colour of its own for every group."""
    sync_api = pytest.importorskip("playwright.sync_api")
    root, logdir, _, _ = data
    out = root / "agg-browser"
    tbkit("aggregate", logdir, "-o", out, "--group-by", "^(he_relu|xavier_relu)_seed")
    server = tensorboard_server(out, load_fast="true")
    server.wait_for(lambda s: len(s.get("data/runs")) == 2, "the two groups")
    script = """() => {
        const cards = [];
        const walk = (root) => {
            for (const el of root.querySelectorAll('*')) {
                if (el.tagName === 'TF-CUSTOM-SCALAR-MARGIN-CHART-CARD') cards.push(el);
                if (el.shadowRoot) walk(el.shadowRoot);
            }
        };
        walk(document);
        return cards.map((card) => {
            const areas = [];
            const visit = (root) => {
                for (const el of root.querySelectorAll('path.area')) {
                    const style = getComputedStyle(el);
                    const box = el.getBBox();
                    areas.push({fill: style.fill, opacity: parseFloat(style.fillOpacity), height: box.height,
                                width: box.width});
                }
                for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
            };
            visit(card.shadowRoot || card);
            return areas;
        });
    }"""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server.base + "/#custom_scalars")
            cards = []
            for _ in range(60):
                cards = page.evaluate(script)
                filled = [[a for a in card if a["height"] > 1 and a["width"] > 1 and a["opacity"] > 0
                           and a["fill"] != "none"] for card in cards]
                if len(cards) == len(TAGS) and all(len({a["fill"] for a in f}) == 2 for f in filled):
                    break
                page.wait_for_timeout(500)
            page.screenshot(path=str(root / "custom_scalars.png"))
        finally:
            browser.close()
    assert len(cards) == len(TAGS), f"margin chart cards: {len(cards)}; see {root / 'custom_scalars.png'}"
    for card in cards:
        filled = [a for a in card if a["height"] > 1 and a["width"] > 1 and a["opacity"] > 0 and a["fill"] != "none"]
        assert len({a["fill"] for a in filled}) == 2, f"{card}; see {root / 'custom_scalars.png'}"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_report_draws_each_group_as_a_mean_over_a_shaded_band_with_a_groups_table(data, tbkit):
    """`tbkit report` on the seeds: the groups table holds each tag's last value as mean ± std
    with n (numpy's), each group chart draws the aggregate's mean and 95% band (every step any
    seed has, as `aggregate --min-runs 1`), and the canvas holds translucent band pixels."""
    sync_api = pytest.importorskip("playwright.sync_api")
    root, logdir, _, _ = data
    page_path = root / "report.html"
    tbkit("report", logdir, "-o", page_path)
    rows = list(csv.DictReader(io.StringIO(
        tbkit("aggregate", logdir, "-o", "-", "--format", "csv", "--min-runs", "1").stdout)))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-ready=true]", timeout=30000)
            drawn = page.evaluate("() => window.tbkitReport.drawn.groups")
            table = page.evaluate("""() => Array.from(document.querySelectorAll('#groups-table tbody tr'))
                .map((r) => [r.dataset.group, r.dataset.tag, r.children[3].textContent])""")
            translucent = page.evaluate("""() => Array.from(document.querySelectorAll('.group-card canvas')).map((c) => {
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 20 && d[i] < 120) n++;
                return n;
            })""")
        finally:
            browser.close()
    assert sorted(drawn) == sorted(TAGS)
    for tag in TAGS:
        assert sorted(drawn[tag]) == sorted(GROUPS)
        for group, series in drawn[tag].items():
            want = [r for r in rows if r["group"] == group and r["tag"] == tag]
            assert series["steps"] == [int(r["step"]) for r in want]
            assert series["mean"] == pytest.approx([float(r["mean"]) for r in want], rel=1e-12)
            assert series["upper"] == pytest.approx(
                [float(r["ci_high"] or r["mean"]) for r in want], rel=1e-12)
    assert sorted((g, t, int(n)) for g, t, n in table) == sorted(
        (g, t, len(lengths)) for g, (_, lengths) in GROUPS.items() for t in TAGS)
    assert len(translucent) == len(TAGS) and all(n > 500 for n in translucent), translucent


def test_train_seeds_writes_a_run_per_seed_with_the_seed_in_its_session_and_aggregate_groups_them(
        tmp_path, tbkit):
    """`train --seeds 0,2` (two forward-only scenarios): one run directory per scenario and seed,
    each hparams session carrying its seed (read with TensorBoard's hparams plugin decoder), the
    table over seeds printed, and `aggregate` grouping by session into one group per scenario."""
    from tensorboard.plugins.hparams import plugin_data_pb2
    logdir = tmp_path / "lab"
    scenarios = ["first_pass_normal", "first_pass_variance"]
    out = tbkit("train", "--seeds", "0,2", "--logdir", logdir, *sum((["--scenario", s] for s in scenarios), [])).stdout
    assert "over 2 seed(s) (0,2): mean ± std" in out
    runs = sorted(p.name for p in logdir.iterdir() if p.is_dir())
    assert runs == sorted(f"{s}_seed{k}" for s in scenarios for k in (0, 2))
    for run in runs:
        acc = accumulate(logdir / run)
        content = acc.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
        session = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
        assert session.hparams["seed"].number_value == float(run[-1])
    result = tbkit("aggregate", logdir, "-o", tmp_path / "agg")
    for s in scenarios:
        assert f"{s}: 2 run(s)" in result.stdout
    bad = tbkit("train", "--seeds", "3-1", "--logdir", logdir, check=False)
    assert bad.returncode == 2
