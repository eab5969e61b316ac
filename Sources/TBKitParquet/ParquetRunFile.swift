import TBKit

/// The Parquet file an export is filling, if any: its writer and output, and the rows of the
/// exporter's batches appended to its columns.
struct ParquetRunFile {
    let columns: [ParquetColumn]
    let rowGroupSize: Int
    private var writer: ParquetWriter?
    private var output: (any ParquetOutput)?

    init(columns: [ParquetColumn], rowGroupSize: Int) {
        self.columns = columns
        self.rowGroupSize = rowGroupSize
    }

    /// Whether a file is open.
    var isOpen: Bool { writer != nil }

    /// Starts a file on `output`.
    mutating func start(output: any ParquetOutput) throws(ParquetError) {
        self.output = output
        writer = try ParquetWriter(columns: columns, rowGroupSize: rowGroupSize) { bytes throws(ParquetError) in
            try output.write(bytes)
        }
    }

    /// Writes the footer and commits the open file, if any.
    mutating func finish() throws(ParquetError) {
        guard let writer, let output else { return }
        self.writer = nil
        self.output = nil
        try writer.finish()
        try output.commit()
    }

    /// Appends the rows of `batch` (scalars, or histograms as buckets or with `statistics`);
    /// returns how many.
    mutating func append(
        _ batch: borrowing TidyBatch, runID: UInt32, slotIDs: [UInt32], statistics: Bool
    ) throws(ParquetError) -> Int {
        guard let writer else { return 0 }
        let run = columns[0]
        let tag = columns[1]
        let step = columns[2]
        let wall = columns[3]
        var rows = 0
        for i in 0..<batch.tags.count {
            run.ids.append(runID)
            tag.ids.append(slotIDs[Int(batch.tags[i] & ~TidyBatch.float32)])
            step.integers.append(batch.steps[i])
            wall.doubles.append(batch.walls[i])
            columns[4].doubles.append(batch.values[i])
            try writer.endRow()
            rows += 1
        }
        for h in batch.histograms {
            let tagID = tag.intern(h.tag)
            if statistics {
                run.ids.append(runID)
                tag.ids.append(tagID)
                step.integers.append(h.step)
                wall.doubles.append(h.wallTime)
                let values = [h.min, h.max, h.num, h.sum, h.mean, h.standardDeviation]
                for (k, x) in values.enumerated() { columns[4 + k].doubles.append(x) }
                try writer.endRow()
                rows += 1
            } else {
                for b in h.buckets {
                    run.ids.append(runID)
                    tag.ids.append(tagID)
                    step.integers.append(h.step)
                    wall.doubles.append(h.wallTime)
                    columns[4].doubles.append(b.left)
                    columns[5].doubles.append(b.right)
                    columns[6].doubles.append(b.count)
                    try writer.endRow()
                    rows += 1
                }
            }
        }
        return rows
    }
}
