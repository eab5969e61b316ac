/// Hands out example indices in shuffled epochs without replacement, as TensorFlow's MNIST
/// loader did: each epoch is a fresh permutation; a batch that runs past the end of an epoch
/// takes the rest of it and continues in the next one.
package struct EpochSampler: Sendable {
    /// Number of examples in the data set.
    package let count: Int
    /// The current epoch's permutation of 0..<count.
    package private(set) var order: [Int]
    /// How many indices of `order` have been handed out.
    package private(set) var position = 0
    /// The stream the next epochs are shuffled from.
    package private(set) var rng: SeededGenerator
    private var batch: [Int] = []

    /// A sampler over 0..<count whose epochs are drawn from `rng`.
    package init(count: Int, rng: SeededGenerator) {
        precondition(count > 0, "cannot sample from an empty data set")
        self.count = count
        self.rng = rng
        self.order = Array(0..<count)
        order.shuffle(using: &self.rng)
    }

    /// A sampler that continues a saved one: `order` must be a permutation of 0..<order.count and
    /// `position` within 0...order.count (checked by the caller).
    package init(order: [Int], position: Int, rng: SeededGenerator) {
        precondition(!order.isEmpty && (0...order.count).contains(position), "EpochSampler: bad saved state")
        self.count = order.count
        self.order = order
        self.position = position
        self.rng = rng
    }

    /// The next `size` indices (the returned slice is valid until the next call).
    package mutating func next(_ size: Int) -> ArraySlice<Int> {
        batch.removeAll(keepingCapacity: true)
        while batch.count < size {
            if position == count {
                order.shuffle(using: &rng)
                position = 0
            }
            let take = min(size - batch.count, count - position)
            batch.append(contentsOf: order[position..<(position + take)])
            position += take
        }
        return batch[...]
    }
}
