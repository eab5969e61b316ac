extension Duration {
    /// The duration in seconds, as the Double intervals of the writer's internals.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
