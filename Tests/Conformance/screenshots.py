"""Screenshots of every TensorBoard dashboard for a log directory, taken in headless Chromium.

Starts `tensorboard --logdir <logdir>` on a free port, opens each dashboard, waits until it
has rendered, saves `<outdir>/<dashboard>.png`, and exits non-zero when a dashboard shows no
data (TensorBoard's "No ... data was found" / "No dashboards are active" messages, or none of
the elements that dashboard draws when it has data).

Needs Playwright (pip) and a Chromium binary (Debian: `apt-get install chromium`); the
browser is never downloaded by Playwright. WebGL (for the projector) runs on SwiftShader:
    python Tests/Conformance/screenshots.py <logdir> <outdir> [--chromium /usr/bin/chromium]
        [--dashboards scalars,images,...] [--load-fast auto|false|true]
        [--hash histograms=tagFilter=mat_mul_hist] [--click hparams="PARALLEL COORDINATES VIEW"]
        [--viewport 1400x1000]
--hash appends `&<text>` to a dashboard's URL hash (tagFilter=<regex> filters the tags of the
scalars, histograms, distributions and images dashboards); --click clicks the first element with
that exact text once data has appeared (e.g. the hparams view tabs).
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

# Dashboard id -> what must appear once data has rendered: CSS selectors (searched through
# shadow roots) or "text:<regex>" matched against the page's text; at least one must match.
DASHBOARDS = {
    "scalars": ["tb-line-chart canvas", "line-chart canvas", "tf-scalar-card", "scalar-card"],
    "images": ["img[src*='individualImage']"],
    "audio": ["audio", "tf-audio-loader"],
    "text": ["tb-text-loader table", "tf-text-loader table", "table"],
    "graphs": ["tf-graph svg", "svg .node", "tf-graph-scene"],
    "histograms": ["vz-histogram-timeseries", "tf-histogram-loader"],
    "distributions": ["tf-distribution-loader", "vz-line-chart2", "canvas"],
    "pr_curves": ["tf-pr-curve-card", "vz-line-chart2"],
    "custom_scalars": ["tf-custom-scalar-multi-line-chart-card", "tf-custom-scalar-margin-chart-card"],
    "hparams": ["tf-hparams-table-view", "vaadin-grid", "tf-hparams-session-group-values"],
    "projector": [r"text:Points:\s*[1-9]"],
}

NO_DATA = re.compile(r"No (\w+ )*data was found|No dashboards are active|Data could not be loaded", re.I)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def in_all_frames(page, script, arg=None):
    """Runs `script` in the page and each iframe (some dashboards, like the projector, live in
    nested iframes) and returns the list of results."""
    results = []
    for frame in page.frames:
        try:
            results.append(frame.evaluate(script, arg))
        except Exception:  # a frame navigating away or not ready yet
            pass
    return results


def deep_query_count(page, selector):
    """Counts matches of `selector` across frames and open shadow roots (Polymer uses them)."""
    return sum(in_all_frames(page,
        """(sel) => {
            let n = 0;
            const walk = (root) => {
                n += root.querySelectorAll(sel).length;
                for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
            };
            walk(document);
            return n;
        }""",
        selector,
    ))


def deep_text(page):
    """The text of the page, its frames and their shadow roots."""
    return "\n".join(in_all_frames(page,
        """() => {
            const parts = [];
            const walk = (root) => {
                for (const el of root.querySelectorAll('*')) {
                    if (el.shadowRoot) walk(el.shadowRoot);
                }
                if (root.body) parts.push(root.body.innerText);
                else if (root.textContent) parts.push(root.textContent);
            };
            walk(document);
            return parts.join('\\n');
        }"""
    ))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("logdir")
    ap.add_argument("outdir")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--dashboards", default=",".join(DASHBOARDS))
    ap.add_argument("--load-fast", default="auto")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per dashboard")
    ap.add_argument("--hash", action="append", default=[], metavar="DASHBOARD=TEXT",
                    help="extra URL hash parameters for one dashboard (repeatable)")
    ap.add_argument("--click", action="append", default=[], metavar="DASHBOARD=TEXT",
                    help="click the element showing TEXT once the dashboard has data (repeatable)")
    ap.add_argument("--viewport", default="1400x1000", help="browser window, WIDTHxHEIGHT")
    args = ap.parse_args()
    extra_hash = dict(h.split("=", 1) for h in args.hash)
    clicks = dict(c.split("=", 1) for c in args.click)
    width, height = (int(v) for v in args.viewport.lower().split("x"))
    os.makedirs(args.outdir, exist_ok=True)

    port = free_port()
    tb = os.path.join(os.path.dirname(sys.executable), "tensorboard")
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([tb, "--logdir", args.logdir, "--host", "127.0.0.1", "--port", str(port),
                             "--load_fast=" + args.load_fast], stdout=log, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % port
    failures = []
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/data/plugins_listing", timeout=5).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    log.seek(0)
                    sys.exit("TensorBoard did not start:\n" + log.read().decode(errors="replace"))
                time.sleep(0.5)
        time.sleep(3)  # let the loader finish its first pass

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium,
                                        args=["--no-sandbox", "--use-angle=swiftshader",
                                              "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"])
            for name in args.dashboards.split(","):
                selectors = DASHBOARDS.get(name, [])
                # A fresh page per dashboard: TensorBoard keeps visited dashboards in the DOM.
                page = browser.new_page(viewport={"width": width, "height": height})
                suffix = "&" + extra_hash[name] if name in extra_hash else ""
                page.goto("%s/?darkMode=false#%s%s" % (base, name, suffix))
                found, text = 0, ""
                end = time.time() + args.timeout
                while time.time() < end:
                    page.wait_for_timeout(1000)
                    text = deep_text(page)
                    found = sum(len(re.findall(s[5:], text)) if s.startswith("text:") else deep_query_count(page, s)
                                for s in selectors)
                    if found and not NO_DATA.search(text):
                        if name in clicks:
                            try:
                                page.get_by_text(clicks[name], exact=True).first.click(timeout=5000)
                            except Exception as e:  # the check itself passed; only the view differs
                                print("note %-15s could not click %r: %s" % (name, clicks[name], e))
                        page.wait_for_timeout(2000)  # let charts finish drawing
                        break
                path = os.path.join(args.outdir, name + ".png")
                page.screenshot(path=path, full_page=True)
                bad = NO_DATA.search(text)
                if bad or not found:
                    why = bad.group(0) if bad else "none of %s appeared" % selectors
                    failures.append("%s: %s" % (name, why))
                    print("FAIL %-15s %s (%s)" % (name, why, path))
                else:
                    print("ok   %-15s %d elements (%s)" % (name, found, path))
                page.close()
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    if failures:
        sys.exit("dashboards without data: " + "; ".join(failures))


if __name__ == "__main__":
    main()
