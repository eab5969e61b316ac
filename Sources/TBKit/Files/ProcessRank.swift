import Foundation

/// How a distributed job's processes log.
public enum RankPolicy: Sendable, Equatable {
    /// Rank 0 logs; every other rank gets a disabled writer (no file, no cost).
    case rankZeroOnly
    /// Each rank logs into its own run, `<logdir>/rank_<r>`.
    case perRank
}

/// Which process of a distributed job this is: its rank and, when known, the world size.
public struct ProcessRank: Sendable, Equatable {
    /// 0-based rank of this process.
    public let rank: Int
    /// Number of processes in the job, when known.
    public let worldSize: Int?

    /// A rank in `0..<worldSize`; anything else throws `.invalidRank`.
    public init(rank: Int, worldSize: Int? = nil) throws(SummaryWriterError) {
        if let worldSize, worldSize < 1 {
            throw .invalidRank(reason: "world size \(worldSize) must be 1 or more")
        }
        if rank < 0 { throw .invalidRank(reason: "rank \(rank) is below zero") }
        if let worldSize, rank >= worldSize {
            throw .invalidRank(reason: "rank \(rank) is outside a world of \(worldSize) (ranks 0...\(worldSize - 1))")
        }
        self.rank = rank
        self.worldSize = worldSize
    }

    /// The rank from `RANK`, else `LOCAL_RANK`, with `WORLD_SIZE` if set (the variables
    /// torchrun and most launchers set); nil when neither rank variable is set. A value that is
    /// not a number, or a rank outside the world size, throws `.invalidRank` naming the variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SummaryWriterError) -> ProcessRank? {
        func number(_ name: String) throws(SummaryWriterError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = IntegerText.int(text.trimmingCharacters(in: .whitespaces)) else {
                throw .invalidRank(reason: "\(name)=\(text.debugDescription) is not a whole number")
            }
            return value
        }
        let global = try number("RANK")
        let local = try number("LOCAL_RANK")
        guard let rank = global ?? local else { return nil }
        return try ProcessRank(rank: rank, worldSize: try number("WORLD_SIZE"))
    }
}
