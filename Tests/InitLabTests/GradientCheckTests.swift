import Foundation
import InitLab
import Testing

/// Backprop against centred finite differences of the loss, per activation and per layer.
struct GradientCheckTests {
    static let activations: [Activation] = [
        .sigmoid, .tanh, .relu, .softsign, .leakyRelu(slope: 0.1), .elu(alpha: 1.0), .identity,
    ]

    /// A 6 -> 5 -> 4 -> 3 net whose hidden layers use `activation`, on a batch of 4.
    func makeNet(_ activation: Activation) -> (Network, Matrix, [UInt8]) {
        var rng = SeededGenerator(seed: 7)
        var net = Network(
            inputs: 6, hidden: [5, 4], outputs: 3, hiddenActivation: activation,
            hiddenInitializer: .normal(stddev: 0.8), outputInitializer: .normal(stddev: 0.8), rng: &rng)
        for i in net.layers.indices {
            for j in net.layers[i].bias.indices { net.layers[i].bias[j] = Float(rng.nextUniform(-0.3, 0.3)) }
        }
        let x = Initializer.uniform(limit: 1).makeWeights(fanIn: 4, fanOut: 6, using: &rng)
        return (net, x, [0, 2, 1, 2])
    }

    func loss(_ net: Network, _ x: Matrix, _ labels: [UInt8]) -> Double {
        var copy = net
        copy.forward(x)
        return copy.evaluate(labels: labels).loss
    }

    @Test("Weight and bias gradients of every layer match finite differences", arguments: activations)
    func parameterGradients(activation: Activation) {
        let (net0, x, labels) = makeNet(activation)
        var net = net0
        net.forward(x)
        net.backward(input: x, labels: labels)
        let h: Float = 1e-2
        var checked = 0
        for layer in net.layers.indices {
            for index in 0..<net.layers[layer].weights.count {
                var plus = net0
                var minus = net0
                plus.layers[layer].weights.storage[index] += h
                minus.layers[layer].weights.storage[index] -= h
                // Skip points where a kink (relu family) lies inside the step.
                guard !crossesKink(net0, plus, minus, x) else { continue }
                let numeric = (loss(plus, x, labels) - loss(minus, x, labels)) / Double(2 * h)
                let analytic = Double(net.layers[layer].weightGradient.storage[index])
                #expect(
                    abs(numeric - analytic) <= 2e-3 + 2e-2 * abs(numeric),
                    "\(activation) layer \(layer + 1) w[\(index)]")
                checked += 1
            }
            for index in net.layers[layer].bias.indices {
                var plus = net0
                var minus = net0
                plus.layers[layer].bias[index] += h
                minus.layers[layer].bias[index] -= h
                guard !crossesKink(net0, plus, minus, x) else { continue }
                let numeric = (loss(plus, x, labels) - loss(minus, x, labels)) / Double(2 * h)
                let analytic = Double(net.layers[layer].biasGradient[index])
                #expect(
                    abs(numeric - analytic) <= 2e-3 + 2e-2 * abs(numeric),
                    "\(activation) layer \(layer + 1) b[\(index)]")
                checked += 1
            }
        }
        #expect(checked >= 60)  // 74 parameters; a few may sit on a kink
    }

    /// Whether some hidden pre-activation changes sign between the perturbed nets.
    func crossesKink(_ base: Network, _ plus: Network, _ minus: Network, _ x: Matrix) -> Bool {
        var p = plus
        var m = minus
        p.forward(x)
        m.forward(x)
        for i in 0..<(p.layers.count - 1) {
            for (a, b) in zip(p.layers[i].output.storage, m.layers[i].output.storage) where (a > 0) != (b > 0) {
                return true
            }
        }
        return false
    }

    @Test("Each activation's backward equals the numeric derivative of its forward", arguments: activations)
    func activationDerivative(activation: Activation) {
        let points: [Float] = [-2.5, -1.2, -0.4, 0.3, 0.9, 2.2]
        for x in points {
            let h: Float = 1e-3
            var values = [x + h, x - h, x]
            values.withUnsafeMutableBufferPointer { activation.apply($0) }
            let numeric = (values[0] - values[1]) / (2 * h)
            var gradient: [Float] = [1]
            [values[2]].withUnsafeBufferPointer { y in
                gradient.withUnsafeMutableBufferPointer { activation.backward(output: y, gradient: $0) }
            }
            #expect(abs(gradient[0] - numeric) <= 2e-3, "\(activation) at \(x)")
        }
    }

    @Test("Softmax cross-entropy stays finite for logits of ±1000 and its gradient rows sum to zero")
    func stableCrossEntropy() {
        let logits = Matrix(rows: 2, columns: 3, storage: [1000, -1000, 0, -1000, 1000, 999])
        var g = [Float](repeating: 0, count: 6)
        let (loss, correct) = [UInt8(0), 2].withUnsafeBufferPointer { l in
            g.withUnsafeMutableBufferPointer { SoftmaxCrossEntropy.evaluate(logits: logits, labels: l, gradient: $0) }
        }
        // Row 1: loss 0 (label 0 has all the mass). Row 2: log(1 + e^-1) + 1 - ... = log(e^1000 + e^999) - 999.
        let expected = (0 + (1000 + log1p(exp(-1.0)) - 999)) / 2
        #expect(abs(loss - expected) < 1e-9)
        #expect(correct == 1)
        #expect(abs(g[0] + g[1] + g[2]) < 1e-6 && abs(g[3] + g[4] + g[5]) < 1e-6)
    }

    @Test("Adam's first bias-corrected step moves each parameter by lr against its gradient's sign")
    func adamFirstStep() {
        var adam = Adam(count: 3)
        var p: [Float] = [1, 1, 1]
        let g: [Float] = [0.5, -2, 1e-3]
        p.withUnsafeMutableBufferPointer { pp in g.withUnsafeBufferPointer { adam.update(pp, gradient: $0) } }
        // m̂ = g, v̂ = g², so the step is lr · g / (|g| + eps) ≈ lr · sign(g).
        for (value, expected) in zip(p, [Float(0.999), 1.001, 0.999]) {
            #expect(abs(value - expected) < 1e-6)
        }
    }

    @Test("Adam over 19 parameters (SIMD lanes and tail) follows the bias-corrected formula for three steps")
    func adamMatchesFormula() {
        let count = 19
        var adam = Adam(count: count)
        var p = (0..<count).map { Float($0) * 0.1 - 1 }
        var reference = p.map(Double.init)
        var m = [Double](repeating: 0, count: count)
        var v = [Double](repeating: 0, count: count)
        for t in 1...3 {
            let g = (0..<count).map { Float(sin(Double($0 * 7 + t))) }
            p.withUnsafeMutableBufferPointer { pp in g.withUnsafeBufferPointer { adam.update(pp, gradient: $0) } }
            for i in 0..<count {
                m[i] = 0.9 * m[i] + 0.1 * Double(g[i])
                v[i] = 0.999 * v[i] + 0.001 * Double(g[i]) * Double(g[i])
                let mHat = m[i] / (1 - pow(0.9, Double(t)))
                let vHat = v[i] / (1 - pow(0.999, Double(t)))
                reference[i] -= 0.001 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        for i in 0..<count { #expect(abs(Double(p[i]) - reference[i]) < 1e-6, "parameter \(i)") }
    }
}
