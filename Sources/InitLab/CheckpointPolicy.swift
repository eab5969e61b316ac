import InitLabCore

/// How a run saves its state: every `every` steps into `store` (and once more when it finishes,
/// marked finished).
public struct CheckpointPolicy: Sendable {
    /// Where the checkpoints go.
    public var store: CheckpointStore
    /// Steps between checkpoints (positive).
    public var every: Int

    /// Checkpoints every `every` steps into `store`.
    public init(store: CheckpointStore, every: Int) {
        self.store = store
        self.every = every
    }
}
