extension ReportTemplate {
    /// The drawing script's sections for histograms, distributions, images and text.
    static let scriptHistogramsImagesText = #"""
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
}
