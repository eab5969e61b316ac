import TBKit
import Testing

@Suite struct CustomScalarLayoutTests {
    // Expected bytes: the same Layout built and serialized with tensorboard 2.21's layout_pb2.
    @Test func layoutMatchesTheOfficialSerialization() {
        let layout = CustomScalarLayout([
            .init(title: "Losses", charts: [.init(title: "both", multiline: ["a$", "b$"])]),
            .init(
                title: "M",
                charts: [
                    .init(title: "band", margin: [.init(value: "v", lower: "lo", upper: "hi")]),
                    .init(title: "empty", multiline: []),
                ], closed: true),
        ])
        #expect(
            layout.encoded()
                == hexBytes(
                    "121a0a064c6f7373657312100a04626f746812080a0261240a02622412270a014d12150a0462616e641a0d0a0b0a017612026c6f1a02686912090a05656d70747912001801"
                ))
    }
}
