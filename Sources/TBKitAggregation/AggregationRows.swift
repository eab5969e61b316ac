import TBKit

/// A `ScalarAggregation` as tidy rows: `group,tag,step,n,mean,std,min,max,median,ci_low,ci_high`,
/// one per group, tag and aggregated step (CSV with a header, or JSON Lines). Numbers print in
/// their shortest round-trip form; a value that does not exist (the deviation and the interval
/// of one run) is an empty CSV field or JSON `null`.
package enum AggregationRows {
    /// The columns, in order.
    package static let columns = [
        "group", "tag", "step", "n", "mean", "std", "min", "max", "median", "ci_low", "ci_high",
    ]

    /// Streams the rows to `emit` in chunks of UTF-8 bytes (valid until `emit` returns); returns
    /// the number of rows. Numbers go straight into the buffer, as the exporter's do.
    @discardableResult
    package static func write(
        _ aggregation: ScalarAggregation, format: TidyExporter.Format, emit: (UnsafeBufferPointer<UInt8>) -> Void
    ) -> Int {
        var rows = 0
        var out = TidyRowBuffer(capacity: TidyExporter.chunkSize + 4096)
        if format == .csv { out.append(Array((columns.joined(separator: ",") + "\n").utf8)) }
        let names = columns.dropFirst(4).map { Array(",\"\($0)\":".utf8) }
        for group in aggregation.groups {
            for series in group.tags {
                let prefix: [UInt8]
                switch format {
                case .csv:
                    prefix = Array(
                        (TidyExporter.csvField(group.name) + "," + TidyExporter.csvField(series.tag) + ",").utf8)
                case .jsonl:
                    prefix = Array(
                        ("{\"group\":\(TidyExporter.jsonString(group.name)),\"tag\":\(TidyExporter.jsonString(series.tag)),\"step\":")
                            .utf8)
                }
                for (step, s) in zip(series.steps, series.statistics) {
                    out.append(prefix)
                    out.append(integer: step)
                    out.append(format == .csv ? "," : ",\"n\":")
                    out.append(integer: Int64(s.count))
                    number(s.mean, names[0], format, &out)
                    number(s.standardDeviation, names[1], format, &out)
                    number(s.min, names[2], format, &out)
                    number(s.max, names[3], format, &out)
                    number(s.median, names[4], format, &out)
                    number(s.confidenceLow, names[5], format, &out)
                    number(s.confidenceHigh, names[6], format, &out)
                    if format == .jsonl { out.append(byte: 0x7D) }
                    out.append(byte: 0x0A)
                    rows += 1
                    if out.count >= TidyExporter.chunkSize { out.flush(emit) }
                }
            }
        }
        if out.count > 0 { out.flush(emit) }
        return rows
    }

    /// One number field: `,x` (empty when not finite) in CSV, `,"name":x` (`null`) in JSON.
    private static func number(
        _ x: Double, _ name: [UInt8], _ format: TidyExporter.Format, _ out: inout TidyRowBuffer
    ) {
        switch format {
        case .csv:
            out.append(byte: 0x2C)
            if x.isFinite { out.append(formatted: x) }
        case .jsonl:
            out.append(name)
            if x.isFinite { out.append(formatted: x) } else { out.append("null") }
        }
    }
}
