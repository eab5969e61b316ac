import ArgumentParser
import InitLab

/// `tbkit bench-matmul`: GFLOP/s of the lab's matrix products at its shapes, beside the plain loop.
struct BenchMatmulCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-matmul",
        abstract: "Measure the lab's matrix products (GFLOP/s) against a plain triple loop (build with -c release)."
    )

    @Option(help: "Seconds to spend timing each implementation per shape.")
    var seconds = 0.2

    func run() throws {
        print("GFLOP/s (2·m·k·n flops a product): simd = the SIMD kernel (used at -O), scalar = the same blocking with")
        print("scalar loops (used in debug builds), loop = the plain triple loop; speedup = simd / loop.")
        print(
            TableText.left("shape", 30) + TableText.left("product", 8) + TableText.right("m", 6)
                + TableText.right("k", 6) + TableText.right("n", 6)
                + TableText.right("simd", 9) + TableText.right("scalar", 9) + TableText.right("loop", 9)
                + TableText.right("speedup", 9) + TableText.right("max|err|", 11))
        for m in MatMulBenchmark.run(seconds: seconds) {
            let c = m.benchCase
            print(
                TableText.left(c.label, 30) + TableText.left(c.product.rawValue, 8) + TableText.right("\(c.m)", 6)
                    + TableText.right("\(c.k)", 6) + TableText.right("\(c.n)", 6)
                    + TableText.right(TableText.number(m.gflops, 2), 9)
                    + TableText.right(TableText.number(m.scalarKernelGflops, 2), 9)
                    + TableText.right(TableText.number(m.referenceGflops, 2), 9)
                    + TableText.right(TableText.number(m.gflops / m.referenceGflops, 1) + "x", 9)
                    + TableText.right(String(format: "%.1e", m.maxError), 11))
        }
    }
}
