/// A run's custom-scalars layout as one writer builds it: the categories given to
/// `SummaryWriter.customScalarsLayout(_:)` and the charts `SummaryWriter.scalars` laid out, merged
/// into the one layout TensorBoard reads (it keeps the last layout a run logs, so each write
/// carries the whole of it).
struct RunLayout: Sendable {
    /// The caller's categories, in the order first given; a later category with the same title
    /// replaces the earlier one in place.
    var explicit: [CustomScalarLayout.Category] = []
    /// The charts of `scalars(_:_:step:)`: main tag -> keys.
    var charts: [String: Set<String>] = [:]

    /// Adds the caller's categories; returns the categories they replaced (same title).
    mutating func merge(_ layout: CustomScalarLayout) -> [CustomScalarLayout.Category] {
        var replaced: [CustomScalarLayout.Category] = []
        for category in layout.categories {
            if let i = explicit.firstIndex(where: { $0.title == category.title }) {
                replaced.append(explicit[i])
                explicit[i] = category
            } else {
                explicit.append(category)
            }
        }
        return replaced
    }

    /// Adds `keys` to the chart of `main`; true when that brought a line the layout lacked.
    mutating func addLines(_ main: String, keys: some Sequence<String>) -> Bool {
        let known = charts[main, default: []]
        let all = known.union(keys)
        guard all != known else { return false }
        charts[main] = all
        return true
    }

    /// The whole layout: the caller's categories first, then one multiline chart per main tag
    /// (each line matching one tag exactly). A main tag's chart joins a caller's category of the
    /// same title, unless that category already has a chart of that title (the caller's wins).
    var merged: CustomScalarLayout {
        var categories = explicit
        for main in charts.keys.sortedShared() {
            let tags = (charts[main] ?? []).sortedShared().map { "^" + Self.regexEscaped("\(main)/\($0)") + "$" }
            let chart = CustomScalarLayout.Chart(title: main, multiline: tags)
            if let i = categories.firstIndex(where: { $0.title == main }) {
                if !categories[i].charts.contains(where: { $0.title == main }) { categories[i].charts.append(chart) }
            } else {
                categories.append(CustomScalarLayout.Category(title: main, charts: [chart]))
            }
        }
        return CustomScalarLayout(categories)
    }

    /// `text` with the characters Python's `re` treats specially escaped.
    static func regexEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\^$.|?*+()[]{}".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
