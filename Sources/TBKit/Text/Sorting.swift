/// Sorting of the short lists that name things (runs, files, tags, archive members), compiled
/// once.
///
/// Every `sort(by:)` with a closure of its own, and every element type, gets its own specialized
/// copy of the standard library's merge sort, which the optimizer then works through again: most
/// of a second per module for a dozen call sites. Here the standard library sorts indices, with
/// the comparison behind a function value, in one function compiled once for the package, and
/// each call site compiles only its comparison and the gather. The order is the one `sort(by:)`
/// gives with the same comparison: stable, equal elements keep their order. Not for hot paths
/// (the gather copies every element once): long series keep `sort(by:)`.
package enum Sorting {
    /// The permutation of `0..<count` that orders it by `less`, stably.
    @inline(never)
    package static func order(count: Int, by less: (Int, Int) -> Bool) -> [Int] {
        var order = Array(0..<count)
        order.sort(by: less)
        return order
    }
}

extension Array {
    /// Sorts in place as `sort(by:)` does, through `Sorting.order`.
    package mutating func sortShared(by less: (Element, Element) -> Bool) {
        self = sortedShared(by: less)
    }

    /// A sorted copy, as `sorted(by:)` gives, through `Sorting.order`.
    package func sortedShared(by less: (Element, Element) -> Bool) -> [Element] {
        Sorting.order(count: count) { less(self[$0], self[$1]) }.map { self[$0] }
    }
}

extension Sequence {
    /// A sorted array of the elements, as `sorted(by:)` gives, through `Sorting.order`.
    package func sortedShared(by less: (Element, Element) -> Bool) -> [Element] {
        Array(self).sortedShared(by: less)
    }
}

extension Sequence where Element: Comparable {
    /// The elements in ascending order, as `sorted()` gives, through `Sorting.order`.
    package func sortedShared() -> [Element] {
        Array(self).sortedShared(by: <)
    }
}
