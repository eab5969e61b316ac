/// The fixed parts of the report page: its head and style, and the script that draws the
/// embedded data (canvas charts, tables, Markdown). Nothing here loads anything from elsewhere.
enum ReportTemplate {
    static let head = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>
        """#

    static let afterTitle = #"""
        </title>
        <style>
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #212121; background: #f5f5f5; }
        header { background: #f57c00; color: #fff; padding: 12px 20px; }
        header h1 { margin: 0; font-size: 20px; font-weight: 500; }
        header .sub { opacity: .9; font-size: 13px; word-break: break-all; }
        main { padding: 12px 20px 40px; }
        section { margin-top: 18px; }
        h2 { font-size: 17px; font-weight: 500; margin: 0 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 13px; font-weight: 600; margin: 0 0 6px; word-break: break-all; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; }
        .card { background: #fff; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.2); padding: 10px; }
        .card canvas { display: block; }
        .scalar-card { width: 460px; } .histogram-card, .distribution-card { width: 360px; }
        .readout { font: 12px/1.3 ui-monospace, Menlo, monospace; min-height: 16px; white-space: pre; color: #444; }
        .note { color: #757575; font-size: 12px; }
        .legend { font-size: 12px; margin-top: 4px; }
        .legend span { display: inline-block; margin-right: 10px; }
        .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
        .tablewrap { overflow-x: auto; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.2); border-radius: 4px; }
        table.runs { border-collapse: collapse; font-size: 12px; white-space: nowrap; }
        table.runs th, table.runs td { padding: 4px 8px; border-bottom: 1px solid #eee; text-align: right; }
        table.runs th { cursor: pointer; user-select: none; background: #fafafa; position: sticky; top: 0; }
        table.runs th.group-hparam { color: #6a1b9a; } table.runs th.group-metric { color: #1565c0; }
        table.runs td:first-child, table.runs th:first-child { text-align: left; }
        table.runs th[aria-sort=ascending]::after { content: " \25B2"; } table.runs th[aria-sort=descending]::after { content: " \25BC"; }
        .problems { background: #fff3e0; border-left: 4px solid #e65100; padding: 8px 12px; }
        .problems li { font: 12px/1.4 ui-monospace, Menlo, monospace; word-break: break-all; }
        .empty { background: #fff; padding: 20px; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.2); }
        .controls { margin-bottom: 8px; font-size: 13px; }
        .controls input[type=range] { width: 220px; vertical-align: middle; }
        figure { margin: 0; } figure img { image-rendering: pixelated; max-width: 480px; border: 1px solid #eee; }
        figcaption { font-size: 12px; color: #555; }
        .markdown table { border-collapse: collapse; } .markdown td, .markdown th { border: 1px solid #ddd; padding: 2px 6px; }
        .markdown pre { background: #f5f5f5; padding: 6px; overflow-x: auto; }
        .markdown { max-width: 640px; }
        </style>
        </head>
        <body>
        <header><h1>TBKit report</h1><div class="sub" id="logdir"></div></header>
        <main id="app"><noscript>This report draws its charts with JavaScript; enable it to see them.</noscript></main>
        <script type="application/json" id="tbkit-data">
        """#

    static let afterData = #"""
        </script>
        <script>

        """#

    static let tail = #"""

        </script>
        </body>
        </html>

        """#

    /// The drawing script. Every string from the data enters the page through `textContent` or
    /// an attribute set from script, never as markup, except Markdown, which is escaped first.
    static let script = #"""
        "use strict";
        (function () {
        const data = JSON.parse(document.getElementById("tbkit-data").textContent);
        const num = (x) => (typeof x === "number" ? x : Number(x));
        const PALETTE = ["#1976d2", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00acc1", "#6d4c41", "#d81b60", "#7cb342", "#3949ab", "#fdd835", "#546e7a"];
        const runIndex = new Map(data.runs.map((r, i) => [r.name, i]));
        function colorOf(run) {
          const i = runIndex.has(run) ? runIndex.get(run) : 0;
          if (i < PALETTE.length) return PALETTE[i];
          return "hsl(" + ((i * 137.508) % 360).toFixed(1) + ",65%,45%)";
        }
        const BASIS_POINTS = [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000];
        const drawn = { scalars: {}, distributions: {}, histograms: {} };
        const state = { smoothing: 0.6 };
        const redrawers = [];
        window.tbkitReport = { data: data, drawn: drawn, state: state, basisPoints: BASIS_POINTS,
          setSmoothing: function (w) { setSmoothing(w); } };

        function el(tag, attrs, ...children) {
          const e = document.createElement(tag);
          if (attrs) for (const k in attrs) {
            if (k === "text") e.textContent = attrs[k]; else if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
          }
          for (const c of children) if (c != null) e.append(c);
          return e;
        }

        // TensorBoard's smoothing: an exponential moving average debiased by 1 - w^n, skipping
        // non-finite values, and none at all for a constant series.
        function smooth(values, w) {
          let last = values.length > 0 ? 0 : NaN, n = 0;
          const constant = values.every((v) => v == values[0]);
          return values.map((v) => {
            if (constant || !Number.isFinite(v)) return v;
            last = last * w + (1 - w) * v;
            n++;
            const debias = w !== 1 ? 1 - Math.pow(w, n) : 1;
            return last / debias;
          });
        }

        function fmt(x) {
          if (!Number.isFinite(x)) return String(x);
          const a = Math.abs(x);
          if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(3);
          return String(Number(x.toPrecision(5)));
        }
        function fmtSpan(s) {
          if (!Number.isFinite(s)) return "";
          if (s < 60) return s.toFixed(1) + " s";
          if (s < 3600) return Math.floor(s / 60) + " min " + String(Math.round(s % 60)).padStart(2, "0") + " s";
          return Math.floor(s / 3600) + " h " + String(Math.round((s % 3600) / 60)).padStart(2, "0") + " min";
        }
        function niceTicks(lo, hi, count) {
          if (!(hi > lo)) return [lo];
          const raw = (hi - lo) / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
          const f = raw / mag, step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
          const ticks = [];
          for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
          return ticks;
        }
        function extent(arrays) {
          let lo = Infinity, hi = -Infinity;
          for (const a of arrays) for (const v of a) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
          if (lo === Infinity) { lo = 0; hi = 1; }
          if (lo === hi) { const d = Math.abs(lo) * 0.1 || 1; lo -= d; hi += d; }
          return [lo, hi];
        }
        function makeCanvas(w, h) {
          const c = el("canvas");
          const r = window.devicePixelRatio || 1;
          c.width = Math.round(w * r); c.height = Math.round(h * r);
          c.style.width = w + "px"; c.style.height = h + "px";
          const ctx = c.getContext("2d");
          ctx.scale(r, r);
          return [c, ctx];
        }
        // Axes with ticks: returns the scales. `frame` is {x0, y0, x1, y1} in CSS pixels.
        function axes(ctx, frame, xr, yr, opts) {
          const sx = (v) => frame.x0 + (v - xr[0]) / (xr[1] - xr[0] || 1) * (frame.x1 - frame.x0);
          const sy = (v) => frame.y1 - (v - yr[0]) / (yr[1] - yr[0] || 1) * (frame.y1 - frame.y0);
          ctx.save();
          ctx.strokeStyle = "#bbb"; ctx.fillStyle = "#555"; ctx.font = "10px system-ui, sans-serif"; ctx.lineWidth = 1;
          ctx.beginPath(); ctx.moveTo(frame.x0, frame.y0); ctx.lineTo(frame.x0, frame.y1); ctx.lineTo(frame.x1, frame.y1); ctx.stroke();
          ctx.textAlign = "center"; ctx.textBaseline = "top";
          for (const t of niceTicks(xr[0], xr[1], opts && opts.xTicks || 5)) {
            const x = sx(t); ctx.beginPath(); ctx.moveTo(x, frame.y1); ctx.lineTo(x, frame.y1 + 4); ctx.stroke();
            ctx.fillText(fmt(t), x, frame.y1 + 5);
          }
          ctx.textAlign = "right"; ctx.textBaseline = "middle";
          if (!(opts && opts.noY)) for (const t of niceTicks(yr[0], yr[1], 5)) {
            const y = sy(t); ctx.strokeStyle = "#eee"; ctx.beginPath(); ctx.moveTo(frame.x0 + 1, y); ctx.lineTo(frame.x1, y); ctx.stroke();
            ctx.strokeStyle = "#bbb"; ctx.beginPath(); ctx.moveTo(frame.x0 - 4, y); ctx.lineTo(frame.x0, y); ctx.stroke();
            ctx.fillText(fmt(t), frame.x0 - 6, y);
          }
          ctx.restore();
          return [sx, sy];
        }
        // A line through the finite points; a point with no finite neighbour is drawn as a dot.
        function polyline(ctx, xs, ys, sx, sy) {
          ctx.beginPath();
          let pen = false;
          const dots = [];
          for (let i = 0; i < xs.length; i++) {
            const y = ys[i];
            if (!Number.isFinite(y)) { pen = false; continue; }
            const px = sx(xs[i]), py = sy(y);
            if (pen) ctx.lineTo(px, py); else { ctx.moveTo(px, py); pen = true; }
            if (!Number.isFinite(ys[i - 1]) && !Number.isFinite(ys[i + 1])) dots.push([px, py]);
          }
          ctx.stroke();
          if (dots.length) {
            ctx.save(); ctx.fillStyle = ctx.strokeStyle;
            for (const [px, py] of dots) { ctx.beginPath(); ctx.arc(px, py, 2.5, 0, 7); ctx.fill(); }
            ctx.restore();
          }
        }
        function nearest(steps, x) {
          let lo = 0, hi = steps.length - 1;
          if (hi < 0) return -1;
          while (lo < hi) { const m = (lo + hi) >> 1; if (steps[m] < x) lo = m + 1; else hi = m; }
          if (lo > 0 && Math.abs(steps[lo - 1] - x) <= Math.abs(steps[lo] - x)) lo--;
          return lo;
        }
        function legend(runs) {
          const d = el("div", { class: "legend" });
          for (const r of runs) d.append(el("span", null, el("span", { class: "swatch", style: "background:" + colorOf(r) }), r));
          return d;
        }

        const app = document.getElementById("app");
        document.getElementById("logdir").textContent = data.logdir;
        app.textContent = "";

        // Problems met while reading come first: the rest of the page is drawn regardless.
        if (data.problems.length) {
          const list = el("ul");
          for (const p of data.problems) list.append(el("li", { text: "[" + p.run + "] " + p.message }));
          app.append(el("section", { id: "problems", class: "problems" },
            el("h2", { text: data.problems.length + " problem" + (data.problems.length === 1 ? "" : "s") + " while reading (the rest is drawn)" }), list));
        }
        if (!data.runs.length) {
          app.append(el("section", { id: "empty", class: "empty" },
            el("h2", { text: "No runs" }), el("p", { text: "No event files were found in " + data.logdir + "." })));
          document.body.setAttribute("data-ready", "true");
          return;
        }

        // The runs table.
        (function runsTable() {
          const scalarTags = Array.from(new Set(data.runs.flatMap((r) => Object.keys(r.lastScalars)))).sort();
          const metricSet = new Set(data.metricTags);
          const metrics = data.metricTags.filter((t) => scalarTags.includes(t));
          const others = scalarTags.filter((t) => !metricSet.has(t));
          const cols = [
            { name: "Run", value: (r) => r.name, text: (r) => r.name, run: true },
            { name: "Events", value: (r) => r.events, text: (r) => String(r.events) },
            { name: "Steps", value: (r) => r.lastStep, text: (r) => r.firstStep == null ? "" : r.firstStep + "–" + r.lastStep },
            { name: "Wall-clock span", value: (r) => r.lastWallTime - r.firstWallTime, text: (r) => r.firstWallTime == null ? "" : fmtSpan(num(r.lastWallTime) - num(r.firstWallTime)) },
            { name: "Started (UTC)", value: (r) => r.firstWallTime, text: (r) => r.firstWallTime == null ? "" : new Date(num(r.firstWallTime) * 1000).toISOString().replace("T", " ").slice(0, 19) },
          ];
          for (const h of data.hparamNames) cols.push({ name: h, group: "hparam", value: (r) => r.hparams[h], text: (r) => r.hparams[h] == null ? "" : typeof r.hparams[h] === "number" ? fmt(r.hparams[h]) : String(r.hparams[h]) });
          for (const t of metrics) cols.push({ name: t, group: "metric", value: (r) => num(r.lastScalars[t]), text: (r) => r.lastScalars[t] == null ? "" : fmt(num(r.lastScalars[t])) });
          for (const t of others) cols.push({ name: t, value: (r) => num(r.lastScalars[t]), text: (r) => r.lastScalars[t] == null ? "" : fmt(num(r.lastScalars[t])) });
          const table = el("table", { class: "runs", id: "runs-table" });
          const head = el("tr");
          const body = el("tbody");
          let rows = data.runs.slice();
          let sortCol = -1, sortDir = 1;
          function fill() {
            body.textContent = "";
            for (const r of rows) {
              const tr = el("tr", { "data-run": r.name });
              for (const c of cols) {
                const td = el("td", { text: c.text(r) });
                if (c.run) td.prepend(el("span", { class: "swatch", style: "background:" + colorOf(r.name) }));
                tr.append(td);
              }
              body.append(tr);
            }
          }
          cols.forEach((c, i) => {
            const th = el("th", { text: c.name, title: c.group === "hparam" ? "hyperparameter" : c.group === "metric" ? "hparams metric (last value)" : "" });
            if (c.group) th.className = "group-" + c.group;
            th.addEventListener("click", () => {
              sortDir = sortCol === i ? -sortDir : 1; sortCol = i;
              for (const o of head.children) o.removeAttribute("aria-sort");
              th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
              rows.sort((a, b) => {
                const x = c.value(a), y = c.value(b);
                const missX = x == null || (typeof x === "number" && isNaN(x)), missY = y == null || (typeof y === "number" && isNaN(y));
                if (missX || missY) return missX === missY ? 0 : missX ? 1 : -1;
                if (typeof x === "number" && typeof y === "number") return (x - y) * sortDir;
                return String(x).localeCompare(String(y)) * sortDir;
              });
              fill();
            });
            head.append(th);
          });
          table.append(el("thead", null, head), body);
          fill();
          app.append(el("section", { id: "runs" }, el("h2", { text: "Runs (" + data.runs.length + ")" }), el("div", { class: "tablewrap" }, table),
            el("p", { class: "note", text: "Click a column to sort. Scalar columns show the last value logged." })));
        })();

        // Scalars: one chart per tag, every run overlaid.
        function setSmoothing(w) {
          state.smoothing = Math.min(0.999, Math.max(0, Number(w)));
          const slider = document.getElementById("smoothing");
          if (slider) { slider.value = String(state.smoothing); document.getElementById("smoothing-value").textContent = state.smoothing.toFixed(3); }
          for (const r of redrawers) r();
        }
        if (data.scalars.length) {
          const section = el("section", { id: "scalars" }, el("h2", { text: "Scalars (" + data.scalars.length + " tags)" }));
          const slider = el("input", { type: "range", id: "smoothing", min: "0", max: "0.999", step: "0.001", value: String(state.smoothing) });
          slider.addEventListener("input", () => setSmoothing(slider.value));
          section.append(el("div", { class: "controls" }, el("label", { for: "smoothing", text: "Smoothing " }), slider, " ", el("span", { id: "smoothing-value", text: state.smoothing.toFixed(3) })));
          const cards = el("div", { class: "cards" });
          section.append(cards);
          app.append(section);
          for (const chart of data.scalars) {
            const W = 460, H = 250, frame = { x0: 56, y0: 8, x1: W - 12, y1: H - 24 };
            const [canvas, ctx] = makeCanvas(W, H);
            const readout = el("div", { class: "readout" });
            const series = chart.series.map((s) => ({ run: s.run, steps: s.steps.map(num), values: s.values.map(num), total: s.total }));
            const store = drawn.scalars[chart.tag] = {};
            const xr = extent(series.map((s) => s.steps));
            const yr = extent(series.map((s) => s.values));
            let hover = null;
            function draw() {
              for (const s of series) {
                s.smoothed = smooth(s.values, state.smoothing);
                store[s.run] = { steps: s.steps, values: s.values, smoothed: s.smoothed, total: s.total };
              }
              ctx.clearRect(0, 0, W, H);
              const [sx, sy] = axes(ctx, frame, xr, yr);
              ctx.save(); ctx.beginPath(); ctx.rect(frame.x0, frame.y0 - 2, frame.x1 - frame.x0 + 2, frame.y1 - frame.y0 + 4); ctx.clip();
              for (const s of series) {
                ctx.strokeStyle = colorOf(s.run); ctx.lineWidth = 1;
                if (state.smoothing > 0) { ctx.globalAlpha = 0.25; polyline(ctx, s.steps, s.values, sx, sy); }
                ctx.globalAlpha = 1; ctx.lineWidth = 1.5; polyline(ctx, s.steps, s.smoothed, sx, sy);
              }
              ctx.restore();
              if (hover != null) {
                const lines = [];
                for (const s of series) {
                  const i = nearest(s.steps, hover);
                  if (i < 0) continue;
                  const x = sx(s.steps[i]), y = sy(s.smoothed[i]);
                  if (Number.isFinite(s.smoothed[i])) { ctx.fillStyle = colorOf(s.run); ctx.beginPath(); ctx.arc(x, y, 3, 0, 7); ctx.fill(); }
                  lines.push(s.run + "  step " + s.steps[i] + "  value " + fmt(s.values[i]) + (state.smoothing > 0 ? "  smoothed " + fmt(s.smoothed[i]) : ""));
                }
                readout.textContent = lines.join("\n");
              } else readout.textContent = "";
            }
            canvas.addEventListener("mousemove", (ev) => {
              const b = canvas.getBoundingClientRect();
              const px = ev.clientX - b.left;
              hover = xr[0] + (px - frame.x0) / (frame.x1 - frame.x0) * (xr[1] - xr[0]);
              draw();
            });
            canvas.addEventListener("mouseleave", () => { hover = null; draw(); });
            redrawers.push(draw);
            draw();
            const thinned = series.filter((s) => s.total > s.steps.length);
            const card = el("div", { class: "card scalar-card", "data-tag": chart.tag }, el("h3", { text: chart.tag }), canvas, readout, legend(series.map((s) => s.run)));
            if (thinned.length) card.append(el("div", { class: "note", text: "Downsampled (min/max per bucket, last point kept): " + thinned.map((s) => s.run + " " + s.steps.length + " of " + s.total).join(", ") }));
            cards.append(card);
          }
        }

        // Histograms: TensorBoard's offset view of the bins the report rebinned (30 over the run's range).
        if (data.histograms.length) {
          const hs = el("section", { id: "histograms" }, el("h2", { text: "Histograms (" + data.histograms.length + " tags)" }));
          const ds = el("section", { id: "distributions" }, el("h2", { text: "Distributions (" + data.histograms.length + " tags)" }));
          app.append(hs, ds);
          for (const chart of data.histograms) {
            const hCards = el("div", { class: "cards" }), dCards = el("div", { class: "cards" });
            hs.append(el("h3", { text: chart.tag }), hCards);
            ds.append(el("h3", { text: chart.tag }), dCards);
            drawn.histograms[chart.tag] = {};
            drawn.distributions[chart.tag] = {};
            for (const s of chart.series) {
              // Ridgelines.
              const rl = s.ridgelines;
              const rb = { lo: num(rl.lo), hi: num(rl.hi), width: (num(rl.hi) - num(rl.lo)) / (rl.bins[0] ? rl.bins[0].length : 1),
                histograms: rl.steps.map((st, i) => ({ step: num(st), bins: rl.bins[i].map(num) })) };
              drawn.histograms[chart.tag][s.run] = { steps: rb.histograms.map((h) => h.step), lo: rb.lo, hi: rb.hi, bins: rb.histograms.map((h) => h.bins) };
              {
                const W = 360, H = 260, frame = { x0: 16, y0: 8, x1: W - 44, y1: H - 24 };
                const [canvas, ctx] = makeCanvas(W, H);
                const steps = rb.histograms.map((h) => h.step);
                const sr = [Math.min(...steps), Math.max(...steps)];
                let peak = 0;
                for (const h of rb.histograms) for (const v of h.bins) if (v > peak) peak = v;
                const ridge = (frame.y1 - frame.y0) * 0.35;
                const offsetTop = frame.y0 + ridge, offsetSpan = frame.y1 - offsetTop;
                const [sx] = axes(ctx, { x0: frame.x0, y0: frame.y1, x1: frame.x1, y1: frame.y1 }, [rb.lo, rb.hi], [0, 1], { noY: true });
                ctx.save(); ctx.fillStyle = "#555"; ctx.font = "10px system-ui, sans-serif"; ctx.textBaseline = "middle"; ctx.textAlign = "left";
                for (const t of niceTicks(sr[0], sr[1], 4)) {
                  const y = offsetTop + (sr[1] > sr[0] ? (t - sr[0]) / (sr[1] - sr[0]) : 1) * offsetSpan;
                  ctx.fillText(fmt(t), frame.x1 + 6, y);
                }
                ctx.restore();
                const n = rb.histograms.length;
                rb.histograms.forEach((h, idx) => {
                  const base = offsetTop + (sr[1] > sr[0] ? (h.step - sr[0]) / (sr[1] - sr[0]) : 1) * offsetSpan;
                  ctx.beginPath();
                  ctx.moveTo(sx(rb.lo), base);
                  h.bins.forEach((v, k) => ctx.lineTo(sx(rb.lo + (k + 0.5) * rb.width), base - (peak > 0 ? v / peak : 0) * ridge));
                  ctx.lineTo(sx(rb.hi), base);
                  ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fill();
                  ctx.globalAlpha = 0.35 + 0.65 * (n > 1 ? idx / (n - 1) : 1);
                  ctx.strokeStyle = colorOf(s.run); ctx.lineWidth = 1; ctx.stroke(); ctx.globalAlpha = 1;
                });
                const note = s.total > rl.steps.length ? " (" + rl.steps.length + " of " + s.total + " steps)" : "";
                hCards.append(el("div", { class: "card histogram-card", "data-tag": chart.tag, "data-run": s.run },
                  el("h3", null, el("span", { class: "swatch", style: "background:" + colorOf(s.run) }), s.run + note), canvas,
                  el("div", { class: "note", text: "x: value; right axis: step (later steps in front)" })));
              }
              // Percentile bands.
              {
                const W = 360, H = 240, frame = { x0: 56, y0: 8, x1: W - 12, y1: H - 24 };
                const [canvas, ctx] = makeCanvas(W, H);
                const steps = s.distribution.map((p) => num(p.step));
                const bands = s.distribution.map((p) => p.bands.map(num));
                drawn.distributions[chart.tag][s.run] = { steps: steps, bands: bands };
                const xr = extent([steps]);
                const yr = extent([bands.map((b) => b[0]), bands.map((b) => b[8])]);
                const [sx, sy] = axes(ctx, frame, xr, yr);
                // A single step is drawn as a narrow column so it stays visible.
                const d = (xr[1] - xr[0]) * 0.02;
                const xs = steps.length === 1 ? [steps[0] - d, steps[0] + d] : steps;
                const bs = steps.length === 1 ? [bands[0], bands[0]] : bands;
                ctx.fillStyle = colorOf(s.run);
                for (let k = 0; k < 4; k++) {
                  ctx.globalAlpha = 0.16 + 0.12 * k;
                  ctx.beginPath();
                  xs.forEach((x, i) => (i ? ctx.lineTo(sx(x), sy(bs[i][k])) : ctx.moveTo(sx(x), sy(bs[i][k]))));
                  for (let i = xs.length - 1; i >= 0; i--) ctx.lineTo(sx(xs[i]), sy(bs[i][8 - k]));
                  ctx.closePath(); ctx.fill();
                }
                ctx.globalAlpha = 1; ctx.strokeStyle = colorOf(s.run); ctx.lineWidth = 1.2;
                polyline(ctx, xs, bs.map((b) => b[4]), sx, sy);
                const readout = el("div", { class: "readout" });
                canvas.addEventListener("mousemove", (ev) => {
                  const b = canvas.getBoundingClientRect();
                  const i = nearest(steps, xr[0] + (ev.clientX - b.left - frame.x0) / (frame.x1 - frame.x0) * (xr[1] - xr[0]));
                  if (i >= 0) readout.textContent = "step " + steps[i] + "  median " + fmt(bands[i][4]) + "  range " + fmt(bands[i][0]) + " … " + fmt(bands[i][8]);
                });
                const note = s.total > s.distribution.length ? " (" + s.distribution.length + " of " + s.total + " steps)" : "";
                dCards.append(el("div", { class: "card distribution-card", "data-tag": chart.tag, "data-run": s.run },
                  el("h3", null, el("span", { class: "swatch", style: "background:" + colorOf(s.run) }), s.run + note), canvas, readout));
              }
            }
          }
        }

        // Images: the latest of each tag in each run.
        if (data.images.length) {
          const section = el("section", { id: "images" }, el("h2", { text: "Images (latest of each tag)" }));
          const cards = el("div", { class: "cards" });
          for (const im of data.images) {
            const img = el("img", { src: im.src, alt: im.tag + " (" + im.run + ")" });
            if (im.width > 0 && im.width < 200) img.style.width = (im.width * Math.max(1, Math.floor(256 / im.width))) + "px";
            cards.append(el("div", { class: "card image-card", "data-tag": im.tag, "data-run": im.run },
              el("h3", { text: im.tag }), el("figure", null, img, el("figcaption", { text: im.run + " · step " + im.step + (im.width ? " · " + im.width + "×" + im.height : "") }))));
          }
          section.append(cards);
          app.append(section);
        }

        // Text: Markdown, escaped first, then headings, lists, code, tables and emphasis.
        function escapeHTML(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"); }
        function inline(s) {
          return escapeHTML(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>").replace(/\*([^*]+)\*/g, "<em>$1</em>");
        }
        function splitRow(line) {
          let t = line.trim();
          if (t.startsWith("|")) t = t.slice(1);
          if (t.endsWith("|") && !t.endsWith("\\|")) t = t.slice(0, -1);
          return t.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
        }
        function markdown(src) {
          const lines = src.replace(/\r\n?/g, "\n").split("\n");
          const out = [];
          let i = 0;
          while (i < lines.length) {
            const line = lines[i];
            if (/^```/.test(line)) {
              const code = []; i++;
              while (i < lines.length && !/^```/.test(lines[i])) code.push(lines[i++]);
              i++; out.push("<pre><code>" + escapeHTML(code.join("\n")) + "</code></pre>"); continue;
            }
            if (/^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
              const header = splitRow(line); i += 2;
              let html = "<table><thead><tr>" + header.map((c) => "<th>" + inline(c) + "</th>").join("") + "</tr></thead><tbody>";
              while (i < lines.length && /^\s*\|/.test(lines[i])) html += "<tr>" + splitRow(lines[i++]).map((c) => "<td>" + inline(c) + "</td>").join("") + "</tr>";
              out.push(html + "</tbody></table>"); continue;
            }
            const h = /^(#{1,6})\s+(.*)$/.exec(line);
            if (h) { out.push("<h" + h[1].length + ">" + inline(h[2]) + "</h" + h[1].length + ">"); i++; continue; }
            if (/^\s*([-*+]|\d+\.)\s+/.test(line)) {
              const ordered = /^\s*\d+\./.test(line), items = [];
              while (i < lines.length && /^\s*([-*+]|\d+\.)\s+/.test(lines[i])) items.push("<li>" + inline(lines[i++].replace(/^\s*([-*+]|\d+\.)\s+/, "")) + "</li>");
              out.push((ordered ? "<ol>" : "<ul>") + items.join("") + (ordered ? "</ol>" : "</ul>")); continue;
            }
            if (!line.trim()) { i++; continue; }
            const para = [];
            while (i < lines.length && lines[i].trim() && !/^(```|#{1,6}\s|\s*\||\s*([-*+]|\d+\.)\s)/.test(lines[i])) para.push(lines[i++]);
            if (!para.length) para.push(lines[i++]);
            out.push("<p>" + inline(para.join(" ")) + "</p>");
          }
          return out.join("\n");
        }
        if (data.texts.length) {
          const section = el("section", { id: "text" }, el("h2", { text: "Text (latest of each tag)" }));
          const cards = el("div", { class: "cards" });
          for (const t of data.texts) {
            const body = el("div", { class: "markdown" });
            body.innerHTML = markdown(t.text);
            cards.append(el("div", { class: "card text-card", "data-tag": t.tag, "data-run": t.run },
              el("h3", { text: t.tag }), el("div", { class: "note", text: t.run + " · step " + t.step }), body));
          }
          section.append(cards);
          app.append(section);
        }

        """#

    /// The end of the drawing script: the page says it is ready.
    static let scriptEnd = #"""
        document.body.setAttribute("data-ready", "true");
        })();
        """#
}
