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
    static let script = scriptSetup + scriptRunsAndScalars + scriptHistogramsImagesText

    /// The end of the drawing script: the page says it is ready.
    static let scriptEnd = #"""
        document.body.setAttribute("data-ready", "true");
        })();
        """#
}
