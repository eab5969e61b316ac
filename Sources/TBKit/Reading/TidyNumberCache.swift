/// A direct-mapped cache of formatted numbers keyed by their bit pattern: histogram edges repeat
/// from one histogram to the next (fixed bucket limits), so most are formatted once per export.
/// Not copyable: one owner, which frees the memory when it ends.
struct TidyNumberCache: ~Copyable {
    private static let slots = 4096
    private static let width = 32
    private let keys: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<UInt8>
    private let text: UnsafeMutablePointer<UInt8>

    init() {
        keys = .allocate(capacity: TidyNumberCache.slots)
        keys.initialize(repeating: 0, count: TidyNumberCache.slots)
        lengths = .allocate(capacity: TidyNumberCache.slots)
        lengths.initialize(repeating: 0, count: TidyNumberCache.slots)
        text = .allocate(capacity: TidyNumberCache.slots * TidyNumberCache.width)
        text.initialize(repeating: 0, count: TidyNumberCache.slots * TidyNumberCache.width)
    }

    deinit {
        keys.deallocate()
        lengths.deallocate()
        text.deallocate()
    }

    /// Appends `x` formatted as `TidyExporter` formats numbers; one cache serves one format and one
    /// `float32` setting.
    @inline(__always)
    func append(_ x: Double, float32: Bool, format: TidyExporter.Format, to out: inout TidyRowBuffer) {
        let key = x.bitPattern
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 52)
        let length = Int(lengths[slot])
        if length > 0 && keys[slot] == key {
            out.append(UnsafeBufferPointer(start: text + slot * TidyNumberCache.width, count: length))
            return
        }
        let before = out.count
        TidyExporter.appendNumber(x, float32: float32, format: format, to: &out)
        let written = out.count - before
        if written > 0 && written <= TidyNumberCache.width {
            keys[slot] = key
            lengths[slot] = UInt8(written)
            out.copyLast(written, to: text + slot * TidyNumberCache.width)
        }
    }
}
