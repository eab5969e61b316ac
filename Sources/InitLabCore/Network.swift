/// A stack of dense layers ending in logits, trained with mean softmax cross-entropy.
///
/// Invariant: layer i's fanOut equals layer i+1's fanIn; the last layer's activation is identity.
/// After `forward`, every layer holds its matmul and output for the batch; after `backward`,
/// every layer holds its gradients for that batch.
public struct Network: Sendable {
    /// The layers, input side first.
    public var layers: [Dense]
    private var gradients: [Matrix]
    private var scratch = Matrix(rows: 0, columns: 0)
    /// One optimizer per layer for its weights and one for its biases.
    package private(set) var optimizers: [(weights: Adam, bias: Adam)]

    /// A network over the given layers (checked for matching widths).
    public init(layers: [Dense]) {
        precondition(!layers.isEmpty, "a network needs at least one layer")
        for i in 1..<layers.count {
            precondition(
                layers[i - 1].fanOut == layers[i].fanIn,
                "layer \(i) takes \(layers[i].fanIn) inputs but layer \(i - 1) gives \(layers[i - 1].fanOut)")
        }
        self.layers = layers
        self.gradients = Array(repeating: Matrix(rows: 0, columns: 0), count: layers.count)
        self.optimizers = layers.map { (Adam(count: $0.weights.count), Adam(count: $0.bias.count)) }
    }

    /// inputs -> hidden (each `hiddenActivation`, weights from `hiddenInitializer`) -> outputs
    /// (identity, weights from `outputInitializer`); all biases zero. Layers draw in order from `rng`.
    public init(
        inputs: Int, hidden: [Int], outputs: Int, hiddenActivation: Activation,
        hiddenInitializer: Initializer, outputInitializer: Initializer, rng: inout SeededGenerator
    ) {
        var layers: [Dense] = []
        var fanIn = inputs
        for width in hidden {
            layers.append(
                Dense(
                    weights: hiddenInitializer.makeWeights(fanIn: fanIn, fanOut: width, using: &rng),
                    activation: hiddenActivation))
            fanIn = width
        }
        layers.append(
            Dense(
                weights: outputInitializer.makeWeights(fanIn: fanIn, fanOut: outputs, using: &rng),
                activation: .identity))
        self.init(layers: layers)
    }

    /// Replaces every layer's weights, biases and optimizers with saved ones (for checkpoints).
    /// The caller has checked that each shape matches the layer it replaces.
    package mutating func restore(weights: [Matrix], biases: [[Float]], optimizers: [(weights: Adam, bias: Adam)]) {
        precondition(
            weights.count == layers.count && biases.count == layers.count && optimizers.count == layers.count,
            "Network.restore: layer count differs")
        for i in layers.indices {
            precondition(
                weights[i].rows == layers[i].fanIn && weights[i].columns == layers[i].fanOut
                    && biases[i].count == layers[i].fanOut, "Network.restore: layer \(i + 1) shape differs")
            layers[i].weights = weights[i]
            layers[i].bias = biases[i]
        }
        self.optimizers = optimizers
    }

    /// The logits of the last forward pass.
    public var logits: Matrix { layers[layers.count - 1].output }

    /// Runs `input` (batch x inputs) through every layer.
    public mutating func forward(_ input: Matrix) {
        layers[0].forward(input)
        for i in 1..<layers.count {
            let x = layers[i - 1].output
            layers[i].forward(x)
        }
    }

    /// Loss and number of correct predictions of the last forward pass, without gradients.
    public func evaluate(labels: [UInt8]) -> (loss: Double, correct: Int) {
        labels.withUnsafeBufferPointer { SoftmaxCrossEntropy.evaluate(logits: logits, labels: $0, gradient: nil) }
    }

    /// Loss and accuracy of the last forward pass, and every layer's gradients (input was `input`).
    @discardableResult
    public mutating func backward(input: Matrix, labels: [UInt8]) -> (loss: Double, correct: Int) {
        let last = layers.count - 1
        let out = layers[last].output
        if gradients[last].rows != out.rows || gradients[last].columns != out.columns {
            gradients[last] = Matrix(rows: out.rows, columns: out.columns)
        }
        let result = labels.withUnsafeBufferPointer { l in
            gradients[last].withUnsafeMutableBufferPointer { g in
                SoftmaxCrossEntropy.evaluate(logits: out, labels: l, gradient: g)
            }
        }
        let empty = Matrix(rows: 0, columns: 0)
        for i in stride(from: last, through: 0, by: -1) {
            let x = i == 0 ? input : layers[i - 1].output
            // Move the two gradient buffers out of the array so both can be passed inout.
            var upstream = gradients[i]
            gradients[i] = empty
            if i > 0 {
                var downstream = gradients[i - 1]
                gradients[i - 1] = empty
                layers[i].backward(input: x, gradient: &upstream, inputGradient: &downstream, propagate: true)
                gradients[i - 1] = downstream
            } else {
                layers[i].backward(input: x, gradient: &upstream, inputGradient: &scratch, propagate: false)
            }
            gradients[i] = upstream
        }
        return result
    }

    /// One Adam update of every weight and bias from the gradients of the last `backward`.
    public mutating func applyAdam() {
        for i in layers.indices {
            let wg = layers[i].weightGradient
            let bg = layers[i].biasGradient
            wg.withUnsafeBufferPointer { g in
                layers[i].weights.withUnsafeMutableBufferPointer { w in optimizers[i].weights.update(w, gradient: g) }
            }
            bg.withUnsafeBufferPointer { g in
                layers[i].bias.withUnsafeMutableBufferPointer { b in optimizers[i].bias.update(b, gradient: g) }
            }
        }
    }

    /// The fraction of `labels` predicted correctly for `images`, in chunks of `chunk` rows
    /// (does not disturb training state beyond the layers' last-pass buffers).
    public mutating func accuracy(images: Matrix, labels: [UInt8], chunk: Int = 1000) -> Double {
        guard images.rows > 0 else { return 0 }
        var correct = 0
        var start = 0
        while start < images.rows {
            let end = min(start + chunk, images.rows)
            let batch = (start == 0 && end == images.rows) ? images : images.rows(start..<end)
            forward(batch)
            correct += evaluate(labels: Array(labels[start..<end])).correct
            start = end
        }
        return Double(correct) / Double(images.rows)
    }
}
