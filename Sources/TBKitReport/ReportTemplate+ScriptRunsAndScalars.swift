extension ReportTemplate {
    /// The drawing script's sections for the problems met, the runs table and the scalar charts.
    static let scriptRunsAndScalars = #"""
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


        """#
}
