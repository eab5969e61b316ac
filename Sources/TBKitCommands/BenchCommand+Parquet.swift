import Dispatch
import Foundation
import TBKit
import TBKitParquet

extension BenchCommand {
    /// `export --format parquet` against the CSV export on the bench's log directory: medians of
    /// `repeats` runs each, and the sizes of the two outputs.
    func compareParquetExport(logdir: String, tmp: String) throws {
        var csvSeconds = [Double]()
        var parquetSeconds = [Double]()
        var csvBytes = 0
        let file = tmp + "/bench.parquet"
        for _ in 0..<repeats {
            var bytes = 0
            let out = try TextOutput(path: "/dev/null")
            var start = DispatchTime.now().uptimeNanoseconds
            _ = try TidyExporter().export(logdir: logdir) { (chunk: UnsafeBufferPointer<UInt8>) in
                bytes += chunk.count
                out.write(bytes: chunk)
            }
            try out.close()
            csvSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            csvBytes = bytes
            start = DispatchTime.now().uptimeNanoseconds
            _ = try ParquetExporter().export(logdir: logdir, toFile: file)
            parquetSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let parquetBytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        try? FileManager.default.removeItem(atPath: file)
        let csv = median(csvSeconds)
        let parquet = median(parquetSeconds)
        print(
            String(
                format: "  parquet:    %12.3f s, %.1f MB (CSV: %.3f s, %.1f MB) -> %.2fx CSV's time, %.2fx its size",
                parquet, Double(parquetBytes) / 1e6, csv, Double(csvBytes) / 1e6, parquet / csv,
                Double(parquetBytes) / Double(max(csvBytes, 1))))
    }
}
