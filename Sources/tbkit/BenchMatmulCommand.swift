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
        print(pad("shape", 30) + pad("product", 8) + padLeft("m", 6) + padLeft("k", 6) + padLeft("n", 6)
              + padLeft("simd", 9) + padLeft("scalar", 9) + padLeft("loop", 9) + padLeft("speedup", 9) + padLeft("max|err|", 11))
        for m in MatMulBenchmark.run(seconds: seconds) {
            let c = m.benchCase
            print(pad(c.label, 30) + pad(c.product.rawValue, 8) + padLeft("\(c.m)", 6) + padLeft("\(c.k)", 6) + padLeft("\(c.n)", 6)
                  + padLeft(fmt(m.gflops, 2), 9) + padLeft(fmt(m.scalarKernelGflops, 2), 9) + padLeft(fmt(m.referenceGflops, 2), 9)
                  + padLeft(fmt(m.gflops / m.referenceGflops, 1) + "x", 9) + padLeft(String(format: "%.1e", m.maxError), 11))
        }
    }
}
