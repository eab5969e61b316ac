extension HistogramProto {
    /// Decodes a `HistogramProto`; bucket lists may be packed or unpacked.
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes the fields left in `reader`.
    @inline(never)
    package init(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        var min = 0.0
        var max = 0.0
        var num = 0.0
        var sum = 0.0
        var sumSquares = 0.0
        var limits: [Double] = []
        var counts: [Double] = []
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            switch (field, type) {
            case (1, .fixed64): min = try reader.readDouble()
            case (2, .fixed64): max = try reader.readDouble()
            case (3, .fixed64): num = try reader.readDouble()
            case (4, .fixed64): sum = try reader.readDouble()
            case (5, .fixed64): sumSquares = try reader.readDouble()
            case (6, _): try reader.readDoubles(type, field: 6, into: &limits)
            case (7, _): try reader.readDoubles(type, field: 7, into: &counts)
            default: try reader.skip(type, field: field)
            }
        }
        self.init(
            min: min, max: max, num: num, sum: sum, sumSquares: sumSquares,
            bucketLimits: limits, buckets: counts)
    }
}

extension TensorProto {
    /// Decodes a `TensorProto`. A dtype TBKit does not model decodes as `.invalid` (the raw value
    /// bytes stay available to the caller that read them); fields TBKit does not model
    /// (half_val, uint32_val, ...) are skipped.
    package init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var reader = ProtoReader(bytes)
        try self.init(from: &reader)
    }

    /// Decodes the fields left in `reader`.
    @inline(never)
    package init(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        var dtype = DataType.invalid
        var shape: [Int64] = []
        var content: [UInt8] = []
        var floats: [Float] = []
        var doubles: [Double] = []
        var ints: [Int64] = []
        var int64s: [Int64] = []
        var bools: [Int64] = []
        var strings: [[UInt8]] = []
        while !reader.isAtEnd {
            let (field, type) = try reader.readKey()
            switch (field, type) {
            case (1, .varint): dtype = DataType(rawValue: try reader.readInt32()) ?? .invalid
            case (2, .lengthDelimited):
                var sub = try reader.readSubmessage()
                shape = try Self.decodeShape(&sub)
            case (4, .lengthDelimited): content = try reader.readBytes()
            case (5, _): try reader.readFloats(type, field: 5, into: &floats)
            case (6, _): try reader.readDoubles(type, field: 6, into: &doubles)
            case (7, _): try reader.readVarints(type, field: 7, into: &ints)
            case (8, .lengthDelimited): strings.append(try reader.readBytes())
            case (10, _): try reader.readVarints(type, field: 10, into: &int64s)
            case (11, _): try reader.readVarints(type, field: 11, into: &bools)
            default: try reader.skip(type, field: field)
            }
        }
        // int_val holds int32s: keep the low 32 bits, sign-extended, as protobuf does.
        self.init(
            dtype: dtype, shape: shape, content: content, floatValues: floats, doubleValues: doubles,
            intValues: ints.map { Int64(Int32(truncatingIfNeeded: $0)) }, int64Values: int64s,
            boolValues: bools.map { $0 != 0 }, stringValues: strings)
    }

    /// The sizes of a `TensorShapeProto`'s `dim`s (their names and other fields skipped).
    @inline(never)
    static func decodeShape(_ sub: inout ProtoReader) throws(ProtoDecodingError) -> [Int64] {
        var shape: [Int64] = []
        while !sub.isAtEnd {
            let (f, t) = try sub.readKey()
            if f == 2 && t == .lengthDelimited {
                var dim = try sub.readSubmessage()
                var size: Int64 = 0
                while !dim.isAtEnd {
                    let (df, dt) = try dim.readKey()
                    if df == 1 && dt == .varint {
                        size = try dim.readInt64()
                    } else {
                        try dim.skip(dt, field: df)
                    }
                }
                shape.append(size)
            } else {
                try sub.skip(t, field: f)
            }
        }
        return shape
    }

    /// The elements as Doubles for DT_FLOAT and DT_DOUBLE tensors, from `tensor_content` when it
    /// is set and from `float_val`/`double_val` otherwise; nil for other dtypes or when the
    /// content length does not match a whole number of elements.
    package func numericValues() -> [Double]? {
        switch dtype {
        case .float:
            if !content.isEmpty {
                guard content.count % 4 == 0 else { return nil }
                var out: [Float] = []
                content.withUnsafeBytes { ProtoReader.appendLittleEndian($0, as: Float.self, to: &out) }
                return out.map(Double.init)
            }
            return floatValues.map(Double.init)
        case .double:
            if !content.isEmpty {
                guard content.count % 8 == 0 else { return nil }
                var out: [Double] = []
                content.withUnsafeBytes { ProtoReader.appendLittleEndian($0, as: Double.self, to: &out) }
                return out
            }
            return doubleValues
        default:
            return nil
        }
    }
}
