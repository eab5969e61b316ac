@testable import TBKit

extension RecordReader.Next {
    /// A comparable summary of the outcome (payload reduced to its bytes).
    var summary: String {
        switch self {
        case .record(let offset, let payload): return "record@\(offset):\(payload.count)"
        case .damaged(let d): return "damaged@\(d.offset):\(d.length)"
        case .incomplete(let offset, let available, let needed): return "incomplete@\(offset):\(available)/\(needed)"
        case .end: return "end"
        }
    }
}
