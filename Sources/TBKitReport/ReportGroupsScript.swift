/// The report's seed groups, drawn after the rest of the page and placed right after the runs
/// table: a groups table (each tag's last value as mean ± std with n) and one chart per tag with
/// each group's mean line over its shaded 95% band. What it drew is exposed as
/// `window.tbkitReport.drawn.groups[tag][group]`.
enum ReportGroupsScript {
    static let script = #"""
        (function groups() {
          if (!data.groups || !data.groups.length) return;
          const names = Array.from(new Set(data.groups.flatMap((c) => c.groups.map((g) => g.group)))).sort();
          const groupColor = (g) => PALETTE[names.indexOf(g) % PALETTE.length];
          const section = el("section", { id: "groups" }, el("h2", { text: "Seed groups (" + names.length + ")" }));
          const table = el("table", { class: "runs", id: "groups-table" });
          const head = el("tr");
          for (const h of ["Group", "Tag", "Last value: mean ± std", "n"]) head.append(el("th", { text: h }));
          const body = el("tbody");
          for (const r of data.groupRows) {
            const std = num(r.std);
            const cell = el("td", { text: r.group });
            cell.prepend(el("span", { class: "swatch", style: "background:" + groupColor(r.group) }));
            body.append(el("tr", { "data-group": r.group, "data-tag": r.tag }, cell, el("td", { text: r.tag }),
              el("td", { text: fmt(num(r.mean)) + (Number.isFinite(std) ? " ± " + fmt(std) : "") }), el("td", { text: String(r.n) })));
          }
          table.append(el("thead", null, head), body);
          section.append(el("div", { class: "tablewrap" }, table),
            el("p", { class: "note", text: "Runs that differ only in their seed (hparams equal apart from seed, or names equal once a seed suffix is removed). Charts: the mean over a group's runs with its 95% confidence band (Student's t); a group of one run draws the run itself." }));
          const cards = el("div", { class: "cards" });
          section.append(cards);
          drawn.groups = {};
          for (const chart of data.groups) {
            const W = 460, H = 250, frame = { x0: 56, y0: 8, x1: W - 12, y1: H - 24 };
            const [canvas, ctx] = makeCanvas(W, H);
            const series = chart.groups.map((g) => ({ group: g.group, members: g.members, steps: g.steps.map(num),
              mean: g.mean.map(num), lower: g.lower.map(num), upper: g.upper.map(num), n: g.n, total: g.total }));
            const store = drawn.groups[chart.tag] = {};
            for (const s of series) store[s.group] = s;
            const xr = extent(series.map((s) => s.steps));
            const yr = extent(series.flatMap((s) => [s.lower, s.upper, s.mean]));
            const [sx, sy] = axes(ctx, frame, xr, yr);
            ctx.save(); ctx.beginPath(); ctx.rect(frame.x0, frame.y0 - 2, frame.x1 - frame.x0 + 2, frame.y1 - frame.y0 + 4); ctx.clip();
            for (const s of series) {
              ctx.fillStyle = groupColor(s.group); ctx.globalAlpha = 0.22;
              ctx.beginPath();
              for (let i = 0; i < s.steps.length; i++) {
                const x = sx(s.steps[i]), y = sy(s.upper[i]);
                if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
              }
              for (let i = s.steps.length - 1; i >= 0; i--) ctx.lineTo(sx(s.steps[i]), sy(s.lower[i]));
              ctx.closePath(); ctx.fill();
              ctx.globalAlpha = 1; ctx.strokeStyle = groupColor(s.group); ctx.lineWidth = 1.5;
              polyline(ctx, s.steps, s.mean, sx, sy);
            }
            ctx.restore();
            const legendBox = el("div", { class: "legend" });
            for (const s of series) legendBox.append(el("span", null, el("span", { class: "swatch", style: "background:" + groupColor(s.group) }), s.group + " (" + s.members.length + " runs)"));
            const card = el("div", { class: "card group-card", "data-tag": chart.tag }, el("h3", { text: chart.tag }), canvas, legendBox);
            const thinned = series.filter((s) => s.total > s.steps.length);
            if (thinned.length) card.append(el("div", { class: "note", text: "Thinned evenly: " + thinned.map((s) => s.group + " " + s.steps.length + " of " + s.total).join(", ") }));
            cards.append(card);
          }
          const runs = document.getElementById("runs");
          if (runs) runs.after(section); else app.append(section);
        })();

        """#
}
