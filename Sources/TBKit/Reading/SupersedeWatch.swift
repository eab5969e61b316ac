/// Watches the values of a run as one reading goes through them for anything `SupersededPoints`
/// would cut: a value at a step not after its tag's previous one, or a second SessionLog START.
/// While it stays `clean`, the plan of a first pass would be trivial, so that pass can be
/// skipped (the export reads a run once when nothing in it is superseded, the usual case).
///
/// Tags are told apart as `SupersededPoints` tells them (a tag's stored bytes decode as its
/// String), so a value read raw and one read decoded under the same tag are one series.
struct SupersedeWatch {
    private var tags = TagIndex()
    /// The last step of each tag id, nil until one is seen.
    private var last: [Int64?] = []
    /// False once a value came at a step not after its tag's previous one.
    private(set) var clean = true

    /// Takes in a value whose stored tag bytes are `tag`.
    @inline(__always)
    mutating func see(bytes tag: UnsafeRawBufferPointer, step: Int64) {
        see(id: tags.id(bytes: tag), step: step)
    }

    /// Takes in a value of `tag`.
    mutating func see(_ tag: String, step: Int64) {
        see(id: tags.id(tag), step: step)
    }

    @inline(__always)
    private mutating func see(id: Int32, step: Int64) {
        let i = Int(id)
        if i >= last.count { last.append(contentsOf: repeatElement(nil, count: i + 1 - last.count)) }
        if let previous = last[i], step <= previous { clean = false }
        last[i] = step
    }

    /// True while nothing read by `reader` (whose values were all seen) can be superseded: no
    /// step went back or repeated within a tag, and at most one START (a run's first START
    /// marks its start, not a restart).
    func isClean(_ reader: EventFileReader) -> Bool {
        clean && reader.sessionStarts <= 1
    }
}
