import Foundation

/// Mean softmax cross-entropy over a batch of logits against integer labels, computed stably
/// (log-sum-exp after subtracting each row's maximum), with its gradient and the batch accuracy.
public enum SoftmaxCrossEntropy {
    /// The loss, the number of rows whose arg-max equals the label, and (if `gradient` is given)
    /// dLoss/dLogits = (softmax - onehot) / batch.
    public static func evaluate(
        logits: Matrix, labels: UnsafeBufferPointer<UInt8>, gradient: UnsafeMutableBufferPointer<Float>?
    ) -> (loss: Double, correct: Int) {
        let rows = logits.rows
        let n = logits.columns
        precondition(labels.count == rows, "one label per logits row")
        var loss = 0.0
        var correct = 0
        logits.withUnsafeBufferPointer { z in
            for r in 0..<rows {
                let row = r * n
                var best = 0
                var maxValue = z[row]
                for c in 1..<n where z[row + c] > maxValue {
                    maxValue = z[row + c]
                    best = c
                }
                var sum = 0.0
                for c in 0..<n { sum += Foundation.exp(Double(z[row + c] - maxValue)) }
                let logSum = Foundation.log(sum)
                let label = Int(labels[r])
                loss += logSum - Double(z[row + label] - maxValue)
                if best == label { correct += 1 }
                if let g = gradient {
                    let scale = 1 / Double(rows)
                    for c in 0..<n {
                        let p = Foundation.exp(Double(z[row + c] - maxValue) - logSum)
                        g[row + c] = Float((p - (c == label ? 1 : 0)) * scale)
                    }
                }
            }
        }
        return (rows > 0 ? loss / Double(rows) : 0, correct)
    }
}
