/// Where a number writes its text: straight into reserved buffer space, or, should the text come
/// as a `String` or be longer than any number's, into `overflow` (which then holds all of it).
struct TidyDigitSink: TextOutputStream {
    /// More than the longest text of a finite Float or Double ("-2.2250738585072014e-308").
    static let capacity = 40
    let base: UnsafeMutablePointer<UInt8>
    var count = 0
    var overflow: String?

    init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard overflow == nil, count + buffer.count <= TidyDigitSink.capacity, let from = buffer.baseAddress else {
            write(String(decoding: buffer, as: UTF8.self))
            return
        }
        (base + count).update(from: from, count: buffer.count)
        count += buffer.count
    }

    mutating func write(_ string: String) {
        var text = overflow ?? String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        text += string
        overflow = text
    }
}
