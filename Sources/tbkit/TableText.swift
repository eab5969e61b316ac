import Foundation

/// Fixed-width text for the command line's tables and progress lines.
enum TableText {
    /// `value` with `digits` decimals.
    static func number(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `text` padded with spaces to `width` characters (left-aligned).
    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` padded with spaces to `width` characters (right-aligned).
    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
