"""`tbkit report`: the page of the lab's runs, opened in headless Chromium, against TensorBoard.

The page exposes what it drew as `window.tbkitReport.drawn` (scalars with their smoothed values,
distribution bands, rebinned histograms); every number there is compared with what TensorBoard's
own loader reads from the same files and with TensorBoard's own functions (its smoothing formula,
`compressor.compress_histogram`). The browser may load the report file and nothing else.

Needs Debian's /usr/bin/chromium and Playwright from PyPI (the browser is never downloaded).
"""
import math
import os
from pathlib import Path

import pytest

from tensorboard.backend.event_processing import event_accumulator, plugin_event_accumulator
from tensorboard.plugins.distribution import compressor
from tensorboard.util import tensor_util

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)")

SCENARIOS = ["full_train_he_relu", "first_pass_normal"]


def tensorboard_smooth(values, weight):
    """TensorBoard's scalar smoothing (vz_line_chart2 `resmoothDataset`), written out in Python."""
    last = 0.0 if values else math.nan
    n = 0
    constant = all(v == values[0] for v in values)
    out = []
    for v in values:
        if constant or not math.isfinite(v):
            out.append(v)
            continue
        last = last * weight + (1 - weight) * v
        n += 1
        debias = 1 - weight ** n if weight != 1 else 1
        out.append(last / debias)
    return out


class Page:
    """A report opened in Chromium, with the console errors and every blocked request recorded."""

    def __init__(self, playwright, path):
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        self.page = self.browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors, self.blocked, self.dialogs = [], [], []
        self.url = Path(path).resolve().as_uri()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r):
            if r.request.url == self.url:
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready=true]", timeout=30000)

    def eval(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def close(self):
        self.browser.close()


@pytest.fixture(scope="module")
def playwright():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def lab(tmp_path_factory, tbkit):
    root = tmp_path_factory.mktemp("report-lab")
    logdir = root / "logs"
    args = ["train", "--logdir", logdir, "--iterations", "60", "--log-every", "10"]
    for s in SCENARIOS:
        args += ["--scenario", s]
    tbkit(*args)
    out = root / "report.html"
    result = tbkit("report", logdir, "-o", out)
    return logdir, out, result


@pytest.fixture(scope="module")
def lab_page(playwright, lab):
    page = Page(playwright, lab[1])
    yield page
    page.close()


def accumulators(logdir):
    """TensorBoard's Python loader over every run (directories holding event files)."""
    runs = {}
    for d, _, files in os.walk(logdir):
        if any("tfevents" in f for f in files):
            name = os.path.relpath(d, logdir)
            acc = event_accumulator.EventAccumulator(d, size_guidance={"scalars": 0, "histograms": 0, "images": 0, "tensors": 0})
            acc.Reload()
            runs[name] = acc
    return runs


def test_report_opens_offline_with_no_console_error_and_no_request_leaving_the_file(lab, lab_page):
    assert lab_page.errors == []
    assert lab_page.blocked == []
    size = lab[1].stat().st_size
    assert size < 20_000_000
    assert "written to" in lab[2].stderr


def test_every_run_and_tag_the_loader_lists_is_named_on_the_page(lab, lab_page):
    runs = accumulators(lab[0])
    text = lab_page.eval("document.body.innerText")
    assert set(runs) >= {".", *SCENARIOS}
    table_runs = lab_page.eval("Array.from(document.querySelectorAll('#runs-table tbody tr')).map(r => r.dataset.run)")
    assert sorted(table_runs) == sorted(runs)
    for name, acc in runs.items():
        tags = acc.Tags()
        for tag in tags["scalars"] + tags["histograms"] + tags["images"]:
            assert tag in text, f"{name}/{tag} not on the page"


def test_there_is_one_scalar_chart_per_scalar_tag(lab, lab_page):
    runs = accumulators(lab[0])
    tags = sorted({t for acc in runs.values() for t in acc.Tags()["scalars"]})
    drawn = lab_page.eval("Array.from(document.querySelectorAll('.scalar-card')).map(c => c.dataset.tag)")
    assert drawn == tags
    assert lab_page.eval("document.querySelectorAll('.scalar-card canvas').length") == len(tags)


def test_drawn_scalars_are_the_logged_values_and_tensorboards_smoothing_of_them(lab, lab_page):
    runs = accumulators(lab[0])
    checked = 0
    for weight in (0.0, 0.6, 0.95):
        lab_page.eval("(w) => window.tbkitReport.setSmoothing(w)", weight)
        drawn = lab_page.eval("window.tbkitReport.drawn.scalars")
        for name, acc in runs.items():
            for tag in acc.Tags()["scalars"]:
                events = acc.Scalars(tag)
                series = drawn[tag][name]
                assert series["steps"] == [e.step for e in events]
                assert series["values"] == [e.value for e in events]  # float32 widened: exact
                expected = tensorboard_smooth([e.value for e in events], weight)
                assert series["smoothed"] == pytest.approx(expected, rel=1e-12, abs=1e-300)
                checked += 1
    assert checked >= 3 * 2 * 5


def float64_buckets(h):
    """A v1 HistogramValue as [left, right, count] rows, the way data_compat migrates it, but kept
    in float64 (data_compat itself rounds the rows to float32)."""
    counts = list(h.bucket)
    n = len(counts)
    start = next((i for i in range(n) if counts[i] > 0), n)
    end = next((i for i in reversed(range(n)) if counts[i] > 0), -1)
    if start > end:
        return []
    inner = list(h.bucket_limit[start:end])
    return [list(r) for r in zip([h.min] + inner, inner + [h.max], counts[start:end + 1])]


def test_distribution_bands_are_tensorboards_compressor_on_the_same_buckets(lab, lab_page):
    """The bands are compress_histogram's, to the last bit but rounding, on the same float64
    buckets; and agree with TensorBoard's whole path (its loader migrates v1 histograms to float32
    tensors first, then compresses in float32) to float32 precision."""
    drawn = lab_page.eval("window.tbkitReport.drawn.distributions")
    checked = 0
    for d, _, files in os.walk(lab[0]):
        if not any("tfevents" in f for f in files):
            continue
        name = os.path.relpath(d, lab[0])
        v1 = event_accumulator.EventAccumulator(d, size_guidance={"histograms": 0})
        v1.Reload()
        acc = plugin_event_accumulator.EventAccumulator(d, size_guidance={"tensors": 0})
        acc.Reload()
        for tag in v1.Tags()["histograms"]:
            series = drawn[tag][name]
            events = v1.Histograms(tag)
            migrated = acc.Tensors(tag)
            assert acc.SummaryMetadata(tag).plugin_data.plugin_name == "histograms"
            assert series["steps"] == [e.step for e in events] == [e.step for e in migrated]
            for e, m, bands in zip(events, migrated, series["bands"]):
                exact = [v for _, v in compressor.compress_histogram(float64_buckets(e.histogram_value))]
                assert bands == pytest.approx(exact, rel=1e-12, abs=1e-300)
                tb = [v for _, v in compressor.compress_histogram(tensor_util.make_ndarray(m.tensor_proto))]
                # numpy sums the float32 weights in float32, so the last cumulative weight can fall
                # short of 10000 and TensorBoard interpolates inside the last bucket instead of
                # taking max: a band moves by up to ~1e-4 of the range. Agree to 0.1% of it.
                span = float(tb[-1] - tb[0]) or 1.0
                assert bands == pytest.approx(tb, rel=0, abs=1e-3 * span)
                checked += 1
    assert checked > 20


def test_every_histogram_tag_has_a_ridgeline_and_a_band_view_per_run(lab, lab_page):
    runs = accumulators(lab[0])
    pairs = sorted((t, n) for n, acc in runs.items() for t in acc.Tags()["histograms"])
    for cls in ("histogram-card", "distribution-card"):
        cards = lab_page.eval(f"Array.from(document.querySelectorAll('.{cls}')).map(c => [c.dataset.tag, c.dataset.run])")
        assert sorted(map(tuple, cards)) == pairs
    # The ridgelines hold every logged histogram's counts (rebinned: the total count is kept).
    hist = lab_page.eval("window.tbkitReport.drawn.histograms")
    for n, acc in runs.items():
        for t in acc.Tags()["histograms"]:
            events = acc.Histograms(t)
            got = hist[t][n]
            assert got["steps"] == [e.step for e in events]
            for e, bins in zip(events, got["bins"]):
                assert sum(bins) == pytest.approx(e.histogram_value.num, rel=1e-9)


def test_latest_image_of_each_tag_and_text_as_a_table_are_shown(lab, lab_page):
    runs = accumulators(lab[0])
    for n, acc in runs.items():
        for t in acc.Tags()["images"]:
            latest = acc.Images(t)[-1]
            card = lab_page.eval(
                "([t, n]) => { const c = Array.from(document.querySelectorAll('.image-card')).find(c => c.dataset.tag === t && c.dataset.run === n); "
                "const img = c && c.querySelector('img'); return img && [img.naturalWidth, img.naturalHeight, c.innerText]; }", [t, n])
            assert card is not None, f"no image for {n}/{t}"
            assert card[0] == latest.width and card[1] == latest.height
            assert f"step {latest.step}" in card[2]
    tables = lab_page.eval("document.querySelectorAll('.text-card .markdown table').length")
    assert tables >= len(SCENARIOS)


def test_runs_table_shows_hparams_and_metrics_and_sorts_by_a_column(lab, lab_page):
    headers = lab_page.eval("Array.from(document.querySelectorAll('#runs-table th')).map(h => [h.innerText, h.className])")
    assert any(c == "group-hparam" for _, c in headers)
    assert any(c == "group-metric" for _, c in headers)
    names = [h for h, _ in headers]
    col = names.index("Events")
    def order():
        return lab_page.eval("Array.from(document.querySelectorAll('#runs-table tbody tr')).map(r => r.dataset.run)")
    events = {r: e for r, e in lab_page.eval("window.tbkitReport.data.runs.map(r => [r.name, r.events])")}
    lab_page.page.locator("#runs-table th").nth(col).click()
    assert order() == sorted(events, key=lambda r: events[r])
    lab_page.page.locator("#runs-table th").nth(col).click()
    assert order() == sorted(events, key=lambda r: events[r], reverse=True)


def test_hovering_a_chart_reads_out_the_step_and_value_under_the_pointer(lab, lab_page):
    card = lab_page.page.locator(".scalar-card").first
    canvas = card.locator("canvas")
    box = canvas.bounding_box()
    canvas.hover(position={"x": box["width"] - 14, "y": box["height"] / 2})
    readout = card.locator(".readout").inner_text()
    tag = card.get_attribute("data-tag")
    series = lab_page.eval("(t) => window.tbkitReport.drawn.scalars[t]", tag)
    run, s = next(iter(series.items()))
    assert f"step {s['steps'][-1]}" in readout


# --- bad input ---------------------------------------------------------------------------------

def test_a_damaged_file_is_reported_with_file_and_offset_and_the_rest_is_drawn(tmp_path, tbkit, playwright):
    from tensorboardX import SummaryWriter
    good, bad = tmp_path / "logs" / "good", tmp_path / "logs" / "bad"
    for d in (good, bad):
        w = SummaryWriter(str(d))
        for step in range(20):
            w.add_scalar("loss", 1.0 / (step + 1), step)
        w.close()
    path = next(p for p in bad.iterdir() if "tfevents" in p.name)
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0xFF  # the last record's data CRC
    path.write_bytes(bytes(raw))
    out = tmp_path / "report.html"
    r = tbkit("report", tmp_path / "logs", "-o", out)
    assert "warning" in r.stderr
    page = Page(playwright, out)
    try:
        assert page.errors == [] and page.blocked == []
        problems = page.eval("document.getElementById('problems').innerText")
        assert str(path) in problems and "byte" in problems
        drawn = page.eval("window.tbkitReport.drawn.scalars.loss")
        assert len(drawn["good"]["steps"]) == 20
        assert len(drawn["bad"]["steps"]) == 19
    finally:
        page.close()


def test_an_empty_logdir_gives_a_page_that_says_so(tmp_path, tbkit, playwright):
    (tmp_path / "logs").mkdir()
    out = tmp_path / "report.html"
    tbkit("report", tmp_path / "logs", "-o", out)
    page = Page(playwright, out)
    try:
        assert page.errors == [] and page.blocked == []
        assert "No event files were found" in page.eval("document.getElementById('empty').innerText")
    finally:
        page.close()


def test_html_and_script_in_run_names_tags_and_text_are_shown_as_text(tmp_path, tbkit, playwright):
    from tensorboardX import SummaryWriter
    run = '<img src=x onerror=alert(1)>'
    tag = '</script><script>alert(2)</script>'
    w = SummaryWriter(str(tmp_path / "logs" / run))
    from tensorboardX.proto.summary_pb2 import Summary
    for step in range(5):  # add_scalar would clean the tag up; the raw summary keeps it as it is
        w._get_file_writer().add_summary(Summary(value=[Summary.Value(tag=tag, simple_value=float(step))]), step)
    w.add_text("note", "<b onmouseover=alert(3)>hi</b> </script>", 0)
    w.close()
    out = tmp_path / "report.html"
    tbkit("report", tmp_path / "logs", "-o", out)
    html = out.read_text()
    assert tag not in html and run not in html
    page = Page(playwright, out)
    try:
        assert page.errors == [] and page.blocked == [] and page.dialogs == []
        text = page.eval("document.body.innerText")
        assert run in text and tag in text and "<b onmouseover=alert(3)>hi</b>" in text
        assert page.eval("document.querySelectorAll('img:not([src^=\"data:\"]), .markdown b').length") == 0
        assert page.eval("document.querySelectorAll('script').length") == 2
    finally:
        page.close()


# --- in every archive --------------------------------------------------------------------------

def test_every_archive_carries_the_report_at_its_root_and_extract_restores_it(lab, tbkit, playwright, tmp_path):
    import hashlib
    import json
    import tarfile
    logdir = lab[0]
    tbkit("archive", logdir, tmp_path / "a.tar.gz")
    tbkit("archive", logdir, tmp_path / "b.tar.gz")
    assert (tmp_path / "a.tar.gz").read_bytes() == (tmp_path / "b.tar.gz").read_bytes()  # deterministic
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("tbkit-manifest.json"))
        page = tar.extractfile("report.html").read()
    assert names[0] == "tbkit-manifest.json" and "report.html" in names
    row = next(f for f in manifest["files"] if f["path"] == "report.html")
    assert row["size"] == len(page) and row["sha256"] == hashlib.sha256(page).hexdigest()
    tbkit("extract", tmp_path / "a.tar.gz", tmp_path / "restored")
    restored = tmp_path / "restored" / "report.html"
    assert restored.read_bytes() == page
    opened = Page(playwright, restored)
    try:
        assert opened.errors == [] and opened.blocked == []
        assert opened.eval("window.tbkitReport.data.runs.length") == len(accumulators(logdir))
        assert opened.eval("document.querySelectorAll('.scalar-card').length") > 0
    finally:
        opened.close()
    tbkit("archive", "--no-report", logdir, tmp_path / "c.tar.gz")
    with tarfile.open(tmp_path / "c.tar.gz") as tar:
        assert "report.html" not in tar.getnames()
