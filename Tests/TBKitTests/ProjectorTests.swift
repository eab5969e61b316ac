import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

private func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

@Suite struct ProjectorTests {
    @Test func writesTensorTSVLabelsAndAConfigWithPathsInsideTheRun() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        try Projector.writeEmbedding(
            runDirectory: dir, name: "words", vectors: [1, 0.5, -2, 0.1], rows: 2, dims: 2,
            labels: ["a\tb", ""])
        #expect(try read(dir + "/words.tensor.tsv") == "1.0\t0.5\n-2.0\t0.1\n")
        #expect(try read(dir + "/words.metadata.tsv") == "a b\n(empty)\n")
        #expect(
            try read(dir + "/projector_config.pbtxt") == """
                embeddings {
                  tensor_name: "words"
                  metadata_path: "words.metadata.tsv"
                  tensor_shape: 2
                  tensor_shape: 2
                  tensor_path: "words.tensor.tsv"
                }

                """)
    }

    @Test func secondEmbeddingIsAddedAndSameNameReplaced() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        try Projector.writeEmbedding(runDirectory: dir, name: "a \"q\"", vectors: [1], rows: 1, dims: 1)
        try Projector.writeEmbedding(runDirectory: dir, name: "b", vectors: [1, 2], rows: 1, dims: 2)
        try Projector.writeEmbedding(runDirectory: dir, name: "a \"q\"", vectors: [1, 2, 3], rows: 3, dims: 1)
        let entries = try Projector.readConfig(at: dir + "/projector_config.pbtxt")
        #expect(entries.map(\.tensorName) == ["a \"q\"", "b"])
        #expect(entries.map(\.tensorShape) == [[3, 1], [1, 2]])
        #expect(entries[0].tensorPath == "a__q_.tensor.tsv" && entries[0].metadataPath == "")
    }

    @Test func aForeignConfigIsAnErrorAndLeftUntouched() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let foreign = "model_checkpoint_path: \"x\"\n"
        try foreign.write(toFile: dir + "/projector_config.pbtxt", atomically: true, encoding: .utf8)
        #expect(throws: Projector.Error.self) {
            try Projector.writeEmbedding(runDirectory: dir, name: "e", vectors: [1], rows: 1, dims: 1)
        }
        #expect(try read(dir + "/projector_config.pbtxt") == foreign)
    }

    @Test func shapeLabelCountAndNonFiniteValuesAreErrors() {
        #expect(throws: Projector.Error.self) {
            try Projector.writeEmbedding(runDirectory: "/nonexistent", name: "e", vectors: [1, 2, 3], rows: 2, dims: 2)
        }
        #expect(throws: Projector.Error.self) {
            try Projector.writeEmbedding(
                runDirectory: "/nonexistent", name: "e", vectors: [1, 2], rows: 2, dims: 1,
                labels: ["x"])
        }
        #expect(throws: Projector.Error.self) {
            try Projector.tensorTSV([1, .nan], rows: 1, dims: 2)
        }
    }

    @Test func textFormatEscapingRoundTrips() {
        for s in ["plain", "quote \" and \\ backslash", "tab\tnewline\n", "\u{1}ctl", "ünï"] {
            #expect(Projector.unescape("\"" + Projector.escape(s) + "\"") == s)
        }
        #expect(Projector.escape("a\"b\\c\n") == "a\\\"b\\\\c\\n")
    }

    @Test func fileStemKeepsSafeCharactersOnly() {
        #expect(Projector.fileStem("layer 1/out.v2") == "layer_1_out.v2")
        #expect(Projector.fileStem("..") == "_.")
    }
}
