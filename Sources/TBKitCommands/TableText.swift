import Foundation

/// Fixed-width text for the command line's tables and progress lines.
enum TableText {
    /// `value` with `digits` decimals.
    static func number(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `value` with four significant figures in fixed notation (88.41, 0.1812, 3276.0).
    static func figure(_ value: Double) -> String {
        let magnitude = abs(value)
        let digits = magnitude >= 1000 ? 1 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 1 ? 3 : 4
        return number(value, digits)
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
