import Foundation
import TBKit
import TBKitTestSupport
import Testing

@testable import TBKitAggregation

/// `tbkit aggregate`'s library side: t quantiles, statistics, seed groups, step alignment,
/// what TensorBoard shows within a run, and the output runs.
@Suite struct AggregationTests {
    static func close(_ a: Double, _ b: Double, relative: Double = 1e-12) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b))
    }

    static func series(_ points: [(Int64, Double)]) -> RunScalars.Series {
        var s = RunScalars.Series()
        for (step, value) in points { s.supersede(step: step, value: value) }
        return s
    }

    // scipy 1.17.1: scipy.stats.t.ppf(0.975, nu) and friends.
    @Test func studentTQuantilesMatchScipyToTwelveDigits() {
        let reference: [(Double, Double, Double)] = [
            (0.975, 1, 12.706204736174694), (0.975, 2, 4.302652729749462), (0.975, 3, 3.1824463052837078),
            (0.975, 4, 2.7764451051977934), (0.975, 9, 2.262157162798205), (0.975, 29, 2.045229642132703),
            (0.975, 100, 1.9839715185235518), (0.975, 1000, 1.9623390808264083),
            (0.995, 2.5, 7.163728138948783), (0.9, 7, 1.4149239276505086),
        ]
        for (p, nu, t) in reference {
            let got = StudentT.quantile(p, degreesOfFreedom: nu)
            #expect(Self.close(got, t), "t(\(p), \(nu)) = \(got), scipy \(t)")
            #expect(Self.close(StudentT.quantile(1 - p, degreesOfFreedom: nu), -t))
        }
        #expect(Self.close(StudentT.cdf(1.3, degreesOfFreedom: 5), 0.8748496829146615))
        #expect(StudentT.quantile(0.5, degreesOfFreedom: 3) == 0)
        #expect(StudentT.quantile(1, degreesOfFreedom: 3).isNaN)
        #expect(StudentT.quantile(0.975, degreesOfFreedom: 0).isNaN)
    }

    // numpy mean, std(ddof=1), median; scipy.stats.t.interval(0.95, 4, mean, sem).
    @Test func statisticsOfFiveValuesMatchNumpyAndScipy() {
        var values = [0.91, 0.93, 0.92, 0.95, 0.90]
        let s = SampleStatistics(sorting: &values)
        #expect(s.count == 5)
        #expect(Self.close(s.mean, 0.922))
        #expect(Self.close(s.standardDeviation, 0.019235384061671322, relative: 1e-10))
        #expect(s.median == 0.92 && s.min == 0.90 && s.max == 0.95)
        #expect(Self.close(s.confidenceLow, 0.8981161161190002, relative: 1e-12))
        #expect(Self.close(s.confidenceHigh, 0.9458838838809999, relative: 1e-12))
    }

    @Test func oneValueHasNoSpreadAndItsBandIsTheValueItself() {
        var values = [3.5]
        let s = SampleStatistics(sorting: &values)
        #expect(s.count == 1 && s.mean == 3.5 && s.median == 3.5)
        #expect(s.standardDeviation.isNaN && s.confidenceLow.isNaN && s.confidenceHigh.isNaN)
        for band in AggregationBand.allCases {
            #expect(band.bounds(s) == (3.5, 3.5))
        }
    }

    @Test func seedSuffixesAreRemovedFromRunNames() {
        #expect(RunGrouping.withoutSeed("full_train_he_relu_seed0") == "full_train_he_relu")
        #expect(RunGrouping.withoutSeed("lr0.1-seed_3") == "lr0.1")
        #expect(RunGrouping.withoutSeed("base_s12") == "base")
        #expect(RunGrouping.withoutSeed("base/seed=2") == "base")
        #expect(RunGrouping.withoutSeed("runs_12") == "runs_12")  // no seed part
        #expect(RunGrouping.withoutSeed("adam") == "adam")
    }

    @Test func runsWithoutSessionsGroupByNameWithoutTheirSeed() throws {
        let runs: [(name: String, hparams: [String: HParamValue]?)] = [
            ("full_train_he_relu_seed0", nil), ("full_train_he_relu_seed1", nil), ("full_train_he_relu_seed2", nil),
            ("xavier_s0", nil), ("xavier_s1", nil), ("alone", nil),
        ]
        let (groups, leftOut) = try RunGrouping.seeds.groups(of: runs)
        #expect(leftOut.isEmpty)
        #expect(groups.map(\.name) == ["alone", "full_train_he_relu", "xavier"])
        #expect(groups[1].members.count == 3)
    }

    @Test func hparamsSessionsGroupIgnoringOnlyTheSeed() throws {
        let runs: [(name: String, hparams: [String: HParamValue]?)] = [
            ("a_1", ["lr": 0.1, "seed": 1]), ("a_2", ["lr": 0.1, "seed": 2]), ("b_1", ["lr": 0.2, "seed": 1]),
        ]
        let (groups, _) = try RunGrouping.seeds.groups(of: runs)
        #expect(groups.map(\.members) == [["a_1", "a_2"], ["b_1"]])
        #expect(groups.map(\.name) == ["a", "b_1"])  // common prefix trimmed; one run keeps its name
    }

    @Test func aPatternGroupsByItsFirstCaptureAndOneWithoutACaptureIsRefused() throws {
        let runs: [(name: String, hparams: [String: HParamValue]?)] = [
            ("adam-run1", nil), ("adam-run2", nil), ("sgd-run1", nil), ("notes", nil),
        ]
        let (groups, leftOut) = try RunGrouping.pattern("^(\\w+)-run").groups(of: runs)
        #expect(groups.map(\.name) == ["adam", "sgd"])
        #expect(leftOut == ["notes"])
        #expect(throws: RunGroupingError.noCaptureGroup("run[0-9]")) {
            try RunGrouping.pattern("run[0-9]").groups(of: runs)
        }
    }

    @Test func stepsAlignByValueAndNeedEveryRunUnlessMinRunsSaysOtherwise() throws {
        let a = RunScalars(name: "x_seed0", series: ["loss": Self.series([(0, 1), (10, 2), (20, 3)])])
        let b = RunScalars(name: "x_seed1", series: ["loss": Self.series([(0, 3), (10, 4)])])
        let all = try ScalarAggregation.aggregate([a, b])
        let loss = try #require(all.groups.first?.tags.first)
        #expect(loss.steps == [0, 10])
        #expect(loss.statistics.map(\.mean) == [2, 3])
        #expect(loss.sparseSteps == 1)
        let any = try ScalarAggregation.aggregate([a, b], minRuns: 1)
        let loose = try #require(any.groups.first?.tags.first)
        #expect(loose.steps == [0, 10, 20])
        #expect(loose.statistics.last?.count == 1)
    }

    @Test func nonFiniteValuesAreLeftOutAndCounted() throws {
        let a = RunScalars(name: "x_seed0", series: ["v": Self.series([(0, 1), (1, .nan)])])
        let b = RunScalars(name: "x_seed1", series: ["v": Self.series([(0, 3), (1, 5)])])
        let c = RunScalars(name: "x_seed2", series: ["v": Self.series([(0, .infinity), (1, 7)])])
        let tag = try #require(try ScalarAggregation.aggregate([a, b, c]).groups.first?.tags.first)
        #expect(tag.steps == [0, 1])
        #expect(tag.statistics.map(\.count) == [2, 2])
        #expect(tag.statistics.map(\.mean) == [2, 6])
        #expect(tag.nonFinite == 2)
    }

    @Test func eachTagIsAggregatedOverTheRunsThatHaveIt() throws {
        let a = RunScalars(name: "x_seed0", series: ["loss": Self.series([(0, 1)]), "acc": Self.series([(0, 0.5)])])
        let b = RunScalars(name: "x_seed1", series: ["loss": Self.series([(0, 3)])])
        let group = try #require(try ScalarAggregation.aggregate([a, b]).groups.first)
        #expect(group.tags.map(\.tag) == ["acc", "loss"])
        #expect(group.tags.map(\.runs) == [1, 2])
        #expect(group.tags[0].steps == [0])
    }

    @Test func theLastWriteOfAStepAndAPurgeDecideWhatIsAggregated() throws {
        let dir = TemporaryDirectory()
        let run = dir.path + "/r"
        do {
            let w = try SummaryWriter(logdir: run)
            for step in 0..<5 { try w.scalar("loss", Float(step), step: step) }
            try w.scalar("loss", 40, step: 4)  // written twice: the last one shows
            try w.close()
        }
        do {
            let w = try SummaryWriter(logdir: run, purgeStep: 2)  // a restart from step 2
            try w.scalar("loss", 20, step: 2)
            try w.close()
        }
        let read = RunScalars.read(try #require(try RunDirectory.discover(logdir: dir.path).first))
        #expect(read.series["loss"]?.steps == [0, 1, 2])
        #expect(read.series["loss"]?.values == [0, 1, 20])
    }

    @Test func theOutputHoldsMeanBandNAndMarginChartsAndRefusesToMixWithOldEvents() throws {
        let dir = TemporaryDirectory()
        let a = RunScalars(name: "x_seed0", series: ["acc": Self.series([(0, 0.5), (1, 0.7)])])
        let b = RunScalars(name: "x_seed1", series: ["acc": Self.series([(0, 0.7), (1, 0.9)])])
        let aggregation = try ScalarAggregation.aggregate([a, b])
        let out = dir.path + "/agg"
        try AggregationWriter.write(aggregation, to: out, band: .minmax, overwrite: false)
        let run = try #require(try RunDirectory.discover(logdir: out).first)
        #expect(run.name == "x")
        let reader = EventFileReader(files: run.eventFiles)
        var points: [String: [Double]] = [:]
        var layout = false
        while let value = reader.nextValue() {
            switch value {
            case .scalar(let p): points[p.tag, default: []].append(p.value)
            case .other(let o) where o.tag == CustomScalarLayout.tag: layout = true
            default: break
            }
        }
        #expect(layout)
        #expect(points["acc/mean"] == [Double(Float(0.6)), Double(Float(0.8))])
        #expect(points["acc/lower"] == [Double(Float(0.5)), Double(Float(0.7))])
        #expect(points["acc/upper"] == [Double(Float(0.7)), Double(Float(0.9))])
        #expect(points["acc/n"] == [2, 2])
        #expect(throws: AggregationOutputError.holdsEvents(directory: out, files: 1)) {
            try AggregationWriter.write(aggregation, to: out, band: .minmax, overwrite: false)
        }
        try AggregationWriter.write(aggregation, to: out, band: .minmax, overwrite: true)
        #expect(try RunDirectory.discover(logdir: out).flatMap(\.eventFiles).count == 1)
    }

    @Test func tidyRowsLeaveTheSpreadOfOneRunEmpty() throws {
        let a = RunScalars(name: "solo", series: ["acc": Self.series([(5, 0.25)])])
        var csv = ""
        let rows = AggregationRows.write(try ScalarAggregation.aggregate([a]), format: .csv) {
            csv += String(decoding: $0, as: UTF8.self)
        }
        #expect(rows == 1)
        #expect(csv == "group,tag,step,n,mean,std,min,max,median,ci_low,ci_high\nsolo,acc,5,1,0.25,,0.25,0.25,0.25,,\n")
        var jsonl = ""
        AggregationRows.write(try ScalarAggregation.aggregate([a]), format: .jsonl) {
            jsonl += String(decoding: $0, as: UTF8.self)
        }
        #expect(jsonl.contains("\"std\":null") && jsonl.contains("\"mean\":0.25"))
    }

    // scipy.stats.ttest_ind(a, b, equal_var=False): df and confidence_interval(0.95).
    @Test func welchIntervalAndDegreesOfFreedomMatchScipy() {
        var a = [0.91, 0.93, 0.92, 0.95, 0.90]
        var b = [0.88, 0.90, 0.87]
        let d = GroupComparison.welch(
            SampleStatistics(sorting: &a), SampleStatistics(sorting: &b), group: "b")
        #expect(Self.close(d.degreesOfFreedom, 5.24308422007985, relative: 1e-10))
        #expect(Self.close(d.low, 0.007434148017221143, relative: 1e-9))
        #expect(Self.close(d.high, 0.06989918531611233, relative: 1e-10))
        #expect(d.isSignificant)
    }

    @Test func groupsAreComparedOnTheirLastValuesBestFirst() throws {
        func run(_ name: String, _ last: Double) -> RunScalars {
            RunScalars(name: name, series: ["test_acc": Self.series([(0, 0.1), (10, last)])])
        }
        let runs = [
            run("he_seed0", 0.91), run("he_seed1", 0.93), run("he_seed2", .nan),
            run("naive_seed0", 0.5), run("naive_seed1", 0.6), run("one_seed0", 0.7),
        ]
        let c = try GroupComparison.compare(runs, tag: "test_acc")
        #expect(c.goal == .maximize)
        #expect(c.entries.map(\.group) == ["he", "one", "naive"])
        #expect(c.entries[0].statistics.count == 2 && c.entries[0].nonFinite == 1)
        #expect(c.differences.map(\.group) == ["one", "naive"])
        #expect(c.differences[0].low.isNaN)  // a group of one run has no interval
        #expect(Self.close(c.differences[1].difference, 0.92 - 0.55))
    }
}
