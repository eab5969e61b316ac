import TBKit
import Testing

@Suite struct GraphDefTests {
    // Expected bytes: the same graph built with tensorboard 2.21's graph_pb2 and serialized by the
    // official protobuf runtime (deterministic, map keys sorted).
    @Test func graphMatchesTheOfficialSerialization() {
        let graph = GraphDef(nodes: [
            .init(name: "x", op: "Placeholder", attributes: ["dtype": .type(.float)], outputShapes: [[-1]]),
            .init(name: "d/MatMul", op: "MatMul", inputs: ["x", "d/W"], attributes: ["transpose_a": .bool(false)]),
        ])
        #expect(
            graph.encoded()
                == hexBytes(
                    "0a420a0178120b506c616365686f6c6465722a230a0e5f6f75747075745f73686170657312110a0f3a0d120b08ffffffffffffffffff012a0b0a056474797065120230010a2d0a08642f4d61744d756c12064d61744d756c1a01781a03642f572a110a0b7472616e73706f73655f611202280022020816"
                ))
    }
}
