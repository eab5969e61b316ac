/// `tensorflow.TensorProto` (tensor.proto), the payload of every v2 summary.
///
/// Numbers travel as `tensor_content` (raw little-endian, row-major) or in the typed repeated
/// fields; strings always in `string_val`. Field numbers: 1 dtype, 2 tensor_shape,
/// 4 tensor_content, 5 float_val, 6 double_val, 7 int_val, 8 string_val, 10 int64_val, 11 bool_val.
public struct TensorProto: Sendable, Equatable {
    /// `tensorflow.DataType`.
    public enum DataType: Int32, Sendable {
        /// `DT_INVALID` (0): no type was set.
        case invalid = 0
        /// `DT_FLOAT` (1): 32-bit floats, the type of v2 scalars.
        case float = 1
        /// `DT_DOUBLE` (2): 64-bit floats.
        case double = 2
        /// `DT_INT32` (3).
        case int32 = 3
        /// `DT_UINT8` (4).
        case uint8 = 4
        /// `DT_STRING` (7): byte strings, in `string_val`.
        case string = 7
        /// `DT_INT64` (9).
        case int64 = 9
        /// `DT_BOOL` (10).
        case bool = 10
        /// `DT_HALF` (19): IEEE 754 16-bit floats.
        case half = 19
    }

    /// Element type.
    public var dtype: DataType
    /// Dimension sizes; `[]` is a scalar (rank 0).
    public var shape: [Int64]
    /// Raw little-endian element bytes (numbers), or empty.
    public var content: [UInt8]
    /// `float_val` (field 5).
    public var floatValues: [Float]
    /// `double_val` (field 6).
    public var doubleValues: [Double]
    /// `int_val` (field 7).
    public var intValues: [Int64]
    /// `int64_val` (field 10).
    public var int64Values: [Int64]
    /// `bool_val` (field 11).
    public var boolValues: [Bool]
    /// `string_val` (field 8): byte strings (PNG, WAV, UTF-8 text ...).
    public var stringValues: [[UInt8]]

    /// Makes a tensor; unused lists stay empty.
    package init(
        dtype: DataType, shape: [Int64], content: [UInt8] = [], floatValues: [Float] = [],
        doubleValues: [Double] = [], intValues: [Int64] = [], int64Values: [Int64] = [],
        boolValues: [Bool] = [], stringValues: [[UInt8]] = []
    ) {
        self.dtype = dtype
        self.shape = shape
        self.content = content
        self.floatValues = floatValues
        self.doubleValues = doubleValues
        self.intValues = intValues
        self.int64Values = int64Values
        self.boolValues = boolValues
        self.stringValues = stringValues
    }

    /// A rank-0 DT_FLOAT tensor: the v2 scalar that both TensorBoard loaders read.
    package static func scalar(_ x: Float) -> TensorProto {
        TensorProto(dtype: .float, shape: [], floatValues: [x])
    }

    /// A DT_STRING tensor of the given shape holding UTF-8 strings.
    package static func strings(_ values: [String], shape: [Int64]) -> TensorProto {
        TensorProto(dtype: .string, shape: shape, stringValues: values.map { Array($0.utf8) })
    }

    /// Number of elements the shape describes (1 for a scalar); nil when the product does not fit
    /// in an Int64, which only a corrupt shape from a file can make.
    package var elementCount: Int64? {
        var n: Int64 = 1
        for dim in shape {
            let (product, overflow) = n.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            n = product
        }
        return n
    }

    /// Appends the protobuf encoding; `tensor_shape` is always written (`12 00` for a scalar).
    @inline(never)
    package func encode(into w: inout ProtoWriter) {
        w.writeVarintFieldIfNonZero(1, Int64(dtype.rawValue))
        w.writeMessageField(2) { s in
            for dim in shape {
                s.writeMessageField(2) { $0.writeVarintFieldIfNonZero(1, dim) }
            }
        }
        if !content.isEmpty { w.writeBytesField(4, content) }
        if !floatValues.isEmpty { floatValues.withUnsafeBufferPointer { w.writePackedFloats(5, $0) } }
        if !doubleValues.isEmpty { doubleValues.withUnsafeBufferPointer { w.writePackedDoubles(6, $0) } }
        if !intValues.isEmpty { w.writePackedVarints(7, intValues) }
        for s in stringValues { w.writeBytesField(8, s) }
        if !int64Values.isEmpty { w.writePackedVarints(10, int64Values) }
        if !boolValues.isEmpty { w.writePackedVarints(11, boolValues.map { $0 ? 1 : 0 }) }
    }
}
