import Synchronization
import SystemPackage
import TBKit

/// The event files of an archive read in place, made for the readers on demand with a bounded
/// amount of them in memory: the store holds members up to `budget` bytes, and a member it does
/// not hold is inflated again from the archive (the stream goes on forward from the last member
/// read, or starts over when the member is behind it), its SHA-256 checked again before its
/// bytes are handed out.
///
/// Readers read runs in name order, which is the archive's order, so a reading of every run costs
/// at most one more pass over the archive. Memory is the held members (at most `budget`, or one
/// member when a single member is larger) plus the files readers are reading at the moment.
final class ArchiveMemberStore: Sendable {
    /// A member checked against the manifest when the archive was first read.
    struct Member: Sendable {
        /// Its index in the archive (see `ArchiveStream.memberIndex`).
        var index: Int
        /// Its path inside the archive.
        var name: String
        /// Its size and SHA-256, as the manifest gives them.
        var size: UInt64
        var sha256: String
    }

    private struct State {
        var held: [String: (bytes: [UInt8], index: Int)] = [:]
        var heldBytes = 0
        var stream: ArchiveStream?
    }

    /// The archive's path (or URL), as errors name it.
    let archive: String
    /// Where its bytes come from.
    let bytes: ArchiveBytes
    /// Bytes of members held at most (a larger member is handed out, not held).
    let budget: Int
    private let members: [String: Member]
    private let state: Mutex<State>

    /// A store of `members` (keyed by their path under the archive, `<archive>/<member>`),
    /// holding `held` at first.
    init(
        archive: String, bytes: ArchiveBytes, budget: Int, members: [String: Member],
        held: [String: (bytes: [UInt8], index: Int)]
    ) {
        self.archive = archive
        self.bytes = bytes
        self.budget = budget
        self.members = members
        var state = State()
        state.held = held
        state.heldBytes = held.values.reduce(0) { $0 + $1.bytes.count }
        self.state = Mutex(state)
    }

    /// Bytes of members held right now.
    var heldBytes: Int { state.withLock { $0.heldBytes } }

    /// The content of the member at `path` (`<archive>/<member>`).
    func contents(of path: String) throws(RecordReaderError) -> [UInt8] {
        guard let member = members[path] else {
            throw .io(
                path: path, operation: "find the member in the archive", errno: Errno.noSuchFileOrDirectory.rawValue)
        }
        return try state.withLock { state throws(RecordReaderError) -> [UInt8] in
            if let held = state.held[path] { return held.bytes }
            let bytes = try Self.inflate(member, path: path, archive: archive, from: self.bytes, state: &state)
            hold(bytes, at: path, index: member.index, in: &state)
            return bytes
        }
    }

    /// Reads `member` from the archive again, checking its size and SHA-256.
    private static func inflate(
        _ member: Member, path: String, archive: String, from bytes: ArchiveBytes, state: inout State
    )
        throws(RecordReaderError) -> [UInt8]
    {
        func failure(_ why: String) -> RecordReaderError {
            .io(
                path: path, operation: "read member \(member.name) from \(archive) (\(why))",
                errno: Errno.ioError.rawValue)
        }
        do {
            if state.stream == nil || state.stream!.memberIndex >= member.index {
                state.stream = nil
                state.stream = try ArchiveStream(bytes: bytes, label: archive)
            }
            guard let stream = state.stream else { throw failure("cannot open it") }
            while let entry = try stream.next() {
                guard stream.memberIndex == member.index else { continue }
                guard entry.path == member.name else { break }
                let data = try stream.readData(keep: true, sizeHint: member.size)
                guard data.size == member.size, data.sha256 == member.sha256 else {
                    state.stream = nil
                    throw failure("its SHA-256 no longer matches the manifest: the archive changed; not used")
                }
                return data.bytes
            }
            state.stream = nil
            throw failure("it is no longer where it was: the archive changed")
        } catch let error as RecordReaderError {
            throw error
        } catch {
            state.stream = nil
            throw failure("\(error)")
        }
    }

    /// Holds `bytes`, letting go of members earlier in the archive (those readers are past) while
    /// more than the budget is held. A member larger than the budget is not held.
    private func hold(_ bytes: [UInt8], at path: String, index: Int, in state: inout State) {
        guard bytes.count <= budget else { return }
        state.held[path] = (bytes, index)
        state.heldBytes += bytes.count
        while state.heldBytes > budget {
            guard let oldest = state.held.filter({ $0.key != path }).min(by: { $0.value.index < $1.value.index })
            else { break }
            state.heldBytes -= oldest.value.bytes.count
            state.held[oldest.key] = nil
        }
    }
}
