import TBKit

/// The per-run part of an archive manifest: each run's tags with their step range and count,
/// read with `EventFileReader` (damaged records are skipped, as TensorBoard skips them).
public enum ArchiveRunScanner {
    /// Scans the event files directly inside `runDirectory`, in lexicographic order; tags come
    /// back sorted by their UTF-8 bytes so the manifest is deterministic.
    public static let eventFiles: LogArchiver.RunScanner = { runDirectory in
        let reader: EventFileReader
        do {
            reader = try EventFileReader(runDirectory: runDirectory)
        } catch {
            throw LogArchiveError.runScan(run: runDirectory, reason: "\(error)")
        }
        var rows: [String: ArchiveManifest.Run.Tag] = [:]
        while let value = reader.nextValue() {
            let step: Int64
            switch value {
            case .scalar(let point): step = point.step
            case .histogram(let point): step = point.step
            case .other(let point): step = point.step
            }
            if var row = rows[value.tag] {
                row.firstStep = min(row.firstStep, step)
                row.lastStep = max(row.lastStep, step)
                row.count += 1
                rows[value.tag] = row
            } else {
                rows[value.tag] = .init(tag: value.tag, firstStep: step, lastStep: step, count: 1)
            }
        }
        return rows.values.sorted { $0.tag.utf8.lexicographicallyPrecedes($1.tag.utf8) }
    }
}
