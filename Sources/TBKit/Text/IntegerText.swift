/// Decimal integers read from text exactly as the standard library's `Int64(_:)`, `UInt64(_:)`
/// and `Int(_:)` read them (an optional sign, then ASCII digits; nil on anything else or on
/// overflow), compiled once for the package.
///
/// Each call of those initializers on a `String` makes its module compile its own copy of the
/// library's generic parser for that integer type, over two thousand lines of optimized SIL each
/// time. The package's modules call these instead, so the parser is compiled twice in all.
package enum IntegerText {
    @inline(never)
    package static func int64(_ text: String) -> Int64? { Int64(text) }

    @inline(never)
    package static func uint64(_ text: String) -> UInt64? { UInt64(text) }

    /// `Int(text)`: the 64-bit reading, when it fits.
    @inline(never)
    package static func int(_ text: String) -> Int? { int64(text).flatMap { Int(exactly: $0) } }
}
