/// A `ScalarAggregation` as tidy rows: `group,tag,step,n,mean,std,min,max,median,ci_low,ci_high`,
/// one per group, tag and aggregated step (CSV with a header, or JSON Lines). Numbers print in
/// their shortest round-trip form; a value that does not exist (the deviation and the interval
/// of one run) is an empty CSV field or JSON `null`.
public enum AggregationRows {
    /// The columns, in order.
    public static let columns = [
        "group", "tag", "step", "n", "mean", "std", "min", "max", "median", "ci_low", "ci_high",
    ]

    /// Streams the rows to `emit` in chunks of text; returns the number of rows.
    @discardableResult
    public static func write(_ aggregation: ScalarAggregation, format: TidyExporter.Format, emit: (String) -> Void)
        -> Int
    {
        var rows = 0
        var chunk = ""
        if format == .csv { chunk += columns.joined(separator: ",") + "\n" }
        for group in aggregation.groups {
            for series in group.tags {
                for (step, s) in zip(series.steps, series.statistics) {
                    let numbers = [
                        s.mean, s.standardDeviation, s.min, s.max, s.median, s.confidenceLow, s.confidenceHigh,
                    ]
                    switch format {
                    case .csv:
                        chunk += csvField(group.name) + "," + csvField(series.tag) + ",\(step),\(s.count)"
                        for x in numbers { chunk += "," + (x.isFinite ? "\(x)" : "") }
                    case .jsonl:
                        chunk += "{\"group\":\(jsonString(group.name)),\"tag\":\(jsonString(series.tag))"
                        chunk += ",\"step\":\(step),\"n\":\(s.count)"
                        for (name, x) in zip(columns.dropFirst(4), numbers) {
                            chunk += ",\"\(name)\":" + (x.isFinite ? "\(x)" : "null")
                        }
                        chunk += "}"
                    }
                    chunk += "\n"
                    rows += 1
                    if chunk.utf8.count > 1 << 16 {
                        emit(chunk)
                        chunk = ""
                    }
                }
            }
        }
        if !chunk.isEmpty { emit(chunk) }
        return rows
    }

    private static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
