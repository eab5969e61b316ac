/// A computation graph for TensorBoard's graphs dashboard: `tensorflow.GraphDef` (graph.proto),
/// stored as `Event.graph_def` (not a summary). The dashboard shows the last graph of a run.
///
/// Node names use `/` to nest nodes into collapsible scopes ("dense1/MatMul" sits in "dense1");
/// `inputs` name the nodes feeding this one. The attribute `_output_shapes` (a list of shapes,
/// −1 for an unknown size) labels the edges with tensor shapes.
///
/// ```swift
/// let graph = GraphDef(nodes: [
///     .init(name: "input", op: "Placeholder", outputShapes: [[-1, 784]]),
///     .init(name: "dense1/MatMul", op: "MatMul", inputs: ["input", "dense1/W"], outputShapes: [[-1, 128]]),
/// ])
/// try writer.graph(graph)
/// ```
public struct GraphDef: Sendable, Equatable {
    /// One operation (`tensorflow.NodeDef`: 1 name, 2 op, 3 input, 4 device, 5 attr).
    public struct Node: Sendable, Equatable {
        /// Unique name; `/` separates name scopes.
        public var name: String
        /// The operation type shown on the node ("MatMul", "Relu" ...).
        public var op: String
        /// Names of the input nodes (`name` or `name:k` for output k; `^name` for a control edge).
        public var inputs: [String]
        /// Device string, or empty.
        public var device: String
        /// Attributes, written in key order.
        public var attributes: [String: AttrValue]

        /// Makes a node; `outputShapes`, when given, becomes the `_output_shapes` attribute.
        public init(
            name: String, op: String, inputs: [String] = [], device: String = "",
            attributes: [String: AttrValue] = [:], outputShapes: [[Int64]]? = nil
        ) {
            self.name = name
            self.op = op
            self.inputs = inputs
            self.device = device
            self.attributes = attributes
            if let outputShapes { self.attributes["_output_shapes"] = .shapes(outputShapes) }
        }

        /// Appends the protobuf encoding.
        @inline(never)
        package func encode(into w: inout ProtoWriter) {
            w.writeStringFieldIfNonEmpty(1, name)
            w.writeStringFieldIfNonEmpty(2, op)
            for input in inputs { w.writeStringField(3, input) }
            w.writeStringFieldIfNonEmpty(4, device)
            for key in attributes.keys.sortedShared() {
                guard let value = attributes[key] else { continue }
                w.writeMessageField(5) { entry in
                    entry.writeStringField(1, key)
                    entry.writeMessageField(2) { value.encode(into: &$0) }
                }
            }
        }
    }

    /// A node attribute (`tensorflow.AttrValue`), the members TBKit writes.
    public enum AttrValue: Sendable, Equatable {
        /// Bytes shown as a string (field 2).
        case string(String)
        /// An integer (field 3).
        case int(Int64)
        /// A float (field 4).
        case float(Float)
        /// A bool (field 5).
        case bool(Bool)
        /// A data type (field 6), e.g. `.float` for "T".
        case type(TensorProto.DataType)
        /// A tensor shape (field 7); −1 is an unknown size.
        case shape([Int64])
        /// A list of shapes (field 1, ListValue.shape), as `_output_shapes` holds.
        case shapes([[Int64]])

        /// Appends the protobuf encoding; the oneof member is written even when zero.
        @inline(never)
        package func encode(into w: inout ProtoWriter) {
            switch self {
            case .string(let s): w.writeStringField(2, s)
            case .int(let i): w.writeVarintField(3, i)
            case .float(let f): w.writeFloatField(4, f)
            case .bool(let b): w.writeBoolField(5, b)
            case .type(let t): w.writeVarintField(6, Int64(t.rawValue))
            case .shape(let dims): w.writeMessageField(7) { GraphDef.encodeShape(dims, into: &$0) }
            case .shapes(let shapes):
                w.writeMessageField(1) { list in
                    for dims in shapes { list.writeMessageField(7) { GraphDef.encodeShape(dims, into: &$0) } }
                }
            }
        }
    }

    /// The nodes, in any order (edges come from `inputs`).
    public var nodes: [Node]
    /// `versions.producer`: the GraphDef version that produced the graph.
    public var producer: Int32

    /// Makes a graph.
    public init(nodes: [Node], producer: Int32 = 22) {
        self.nodes = nodes
        self.producer = producer
    }

    /// The serialized GraphDef (nodes, then `versions{producer}`).
    package func encoded() -> [UInt8] {
        var w = ProtoWriter(capacity: 64 * nodes.count + 8)
        for node in nodes { w.writeMessageField(1) { node.encode(into: &$0) } }
        w.writeMessageField(4) { $0.writeVarintFieldIfNonZero(1, Int64(producer)) }
        return w.bytes
    }

    /// `TensorShapeProto`: one `dim{size}` per dimension.
    static func encodeShape(_ dims: [Int64], into w: inout ProtoWriter) {
        for d in dims { w.writeMessageField(2) { $0.writeVarintFieldIfNonZero(1, d) } }
    }
}
