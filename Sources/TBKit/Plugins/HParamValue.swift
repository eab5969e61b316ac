/// One hyperparameter value as the hparams dashboard stores it: a `google.protobuf.Value` holding
/// a number (`number_value`, field 2), a string (`string_value`, 3) or a bool (`bool_value`, 4).
///
/// Literals work: `["lr": 0.001, "init": "he", "batch": 64, "bias": true]`.
public enum HParamValue: Sendable, Hashable, CustomStringConvertible,
    ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    /// A number (integers too: protobuf's Value has only doubles).
    case number(Double)
    /// A string.
    case string(String)
    /// A bool.
    case bool(Bool)

    /// A number.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A number.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A bool.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The hparams `DataType` this value has: 1 STRING, 2 BOOL, 3 FLOAT64.
    public var dataType: HParams.DataType {
        switch self {
        case .number: return .float64
        case .string: return .string
        case .bool: return .bool
        }
    }

    /// The value as text.
    public var description: String {
        switch self {
        case .number(let x): return "\(x)"
        case .string(let s): return s
        case .bool(let b): return "\(b)"
        }
    }

    /// Appends the `google.protobuf.Value` encoding; the oneof member is written even when zero.
    package func encode(into w: inout ProtoWriter) {
        switch self {
        case .number(let x): w.writeDoubleField(2, x)
        case .string(let s): w.writeStringField(3, s)
        case .bool(let b): w.writeBoolField(4, b)
        }
    }
}
