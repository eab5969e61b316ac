/// Keeps an even thinning of a stream of unknown length in bounded memory: items whose index is a
/// multiple of a stride that doubles whenever more than `2 * limit` are held, plus the last item.
struct StrideSampler<Element> {
    let limit: Int
    private(set) var stride = 1
    private(set) var kept: [(index: Int, item: Element)] = []
    private(set) var count = 0
    private var last: Element?

    init(limit: Int) {
        self.limit = Swift.max(2, limit)
    }

    mutating func add(_ item: Element) {
        let index = count
        count += 1
        last = item
        guard index % stride == 0 else { return }
        kept.append((index, item))
        if kept.count > 2 * limit {
            stride *= 2
            let s = stride
            kept.removeAll(where: { $0.index % s != 0 })
        }
    }

    /// The thinned items, in order, at most `limit + 1` of them, always ending with the last one.
    func result() -> [Element] {
        guard let last else { return [] }
        var items = kept
        var step = 1
        while (items.count + step - 1) / step > limit { step += 1 }
        if step > 1 { items = items.enumerated().filter { $0.offset % step == 0 }.map(\.element) }
        var out = items.map(\.item)
        if items.last?.index != count - 1 { out.append(last) }
        return out
    }
}
