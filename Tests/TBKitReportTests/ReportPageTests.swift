import TBKit
import Testing

@testable import TBKitReport

@Suite struct ReportPageTests {
    func data(run: String, tag: String) -> ReportData {
        ReportData(
            logdir: "logs/<b>", runs: [], hparamNames: [], metricTags: [],
            scalars: [.init(tag: tag, series: [.init(run: run, steps: [0, 1], values: [1, .nan], total: 2)])],
            histograms: [], images: [], texts: [], problems: [],
            limits: .init(scalarPoints: 10, distributionSteps: 10, histogramSnapshots: 10))
    }

    @Test func scriptEndTagsInNamesCannotCloseTheDataBlock() throws {
        let page = String(
            decoding: try ReportPage.render(data(run: "</script><script>x()</script>", tag: "a\u{2028}b&c")),
            as: UTF8.self)
        let body = page.components(separatedBy: "id=\"tbkit-data\">")[1].components(separatedBy: "</script>")[0]
        #expect(!body.contains("<") && !body.contains("\u{2028}") && !body.contains("&"))
        #expect(body.contains("\\u003c\\/script\\u003e"))
        #expect(page.contains("<title>TBKit report: logs/&lt;b&gt;</title>"))
    }

    @Test func nonFiniteValuesAreEncodedAsStringsTheScriptTurnsBackIntoNumbers() throws {
        let page = String(decoding: try ReportPage.render(data(run: "r", tag: "t")), as: UTF8.self)
        #expect(page.contains("\"values\":[1,\"NaN\"]"))
    }

    @Test func theSameDataGivesTheSameBytes() throws {
        #expect(try ReportPage.render(data(run: "r", tag: "t")) == ReportPage.render(data(run: "r", tag: "t")))
    }

    @Test func thePageForbidsEveryFetchWithAContentSecurityPolicy() throws {
        let page = String(decoding: try ReportPage.render(data(run: "r", tag: "t")), as: UTF8.self)
        #expect(page.contains("default-src 'none'; img-src data:"))
    }
}
