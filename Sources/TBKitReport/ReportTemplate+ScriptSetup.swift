extension ReportTemplate {
    /// The drawing script's first part: the data, the palette, and the helpers every section uses
    /// (elements, smoothing, number formats, axes, lines, legends).
    static let scriptSetup = #"""
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


        """#
}
