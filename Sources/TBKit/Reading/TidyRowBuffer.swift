/// A growable byte buffer for rows on raw memory (no reference counting or uniqueness checks on
/// the per-field path), handed to the sink in chunks and reused. Not copyable: one owner, which
/// frees the memory when it ends.
package struct TidyRowBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    package private(set) var count = 0
    private var capacity: Int

    package init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    /// A buffer holding a copy of `bytes`.
    init(copying bytes: [UInt8]) {
        self.init(capacity: bytes.count)
        append(bytes)
    }

    deinit { base.deallocate() }

    mutating func removeAll() { count = 0 }

    /// Makes room for `n` more bytes.
    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    package mutating func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ b: UnsafeBufferPointer<UInt8>) {
        guard let from = b.baseAddress, b.count > 0 else { return }
        reserve(b.count)
        (base + count).update(from: from, count: b.count)
        count += b.count
    }

    package mutating func append(_ b: [UInt8]) { b.withUnsafeBufferPointer { append($0) } }

    /// Another buffer's bytes.
    mutating func append(_ other: borrowing TidyRowBuffer) {
        append(UnsafeBufferPointer(start: other.base, count: other.count))
    }

    package mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { append($0) }
    }

    /// A finite number's text as its `description` gives it (shortest form that reads back the
    /// same), formatted straight into the buffer when the standard library hands the digits
    /// over as bytes, as it does through `TextOutputStream._writeASCII`.
    package mutating func append<F: BinaryFloatingPoint & TextOutputStreamable>(formatted x: F) {
        reserve(TidyDigitSink.capacity)
        var sink = TidyDigitSink(base + count)
        x.write(to: &sink)
        if let text = sink.overflow {
            var text = text
            text.withUTF8 { append($0) }
        } else {
            count += sink.count
        }
    }

    /// Decimal digits of an integer, as `String(v)` gives them.
    package mutating func append(integer v: Int64) {
        reserve(20)
        if v < 0 {
            base[count] = 0x2D
            count += 1
        }
        var n = v.magnitude
        var digits = 1
        var t = n
        while t >= 10 {
            t /= 10
            digits += 1
        }
        var i = count + digits - 1
        repeat {
            base[i] = 0x30 &+ UInt8(truncatingIfNeeded: n % 10)
            n /= 10
            i -= 1
        } while n > 0
        count += digits
    }

    /// Copies the last `n` bytes to `target`.
    func copyLast(_ n: Int, to target: UnsafeMutablePointer<UInt8>) {
        target.update(from: base + (count - n), count: n)
    }

    /// Hands the bytes to `sink` and empties the buffer (capacity kept).
    package mutating func flush(_ sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        sink(UnsafeBufferPointer(start: base, count: count))
        count = 0
    }
}
