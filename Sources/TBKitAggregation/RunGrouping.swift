import Foundation
import TBKit

/// How `ScalarAggregation` puts runs into groups: by seed (the default) or by a pattern.
///
/// By seed, runs whose hparams session values are equal apart from `seed` form a group; runs
/// without a session are grouped by their name with a trailing seed part removed (`_seed3`,
/// `-seed-3`, `seed_3`, `.s3`, `/seed=3`, case-insensitive). A group is named by what its members'
/// names share once the seed part is removed: that name when it is the same for all, else their
/// longest common prefix trimmed of separators. By pattern, the first capture group of a regular
/// expression (searched anywhere in the run name) names the group; runs it does not match are
/// left out.
package enum RunGrouping: Sendable {
    /// Runs that differ only in their seed.
    case seeds
    /// Runs whose names give the same first capture group.
    case pattern(String)

    /// One group: its name and its members' run names, in name order.
    package struct Group: Sendable, Equatable {
        /// The group's name (also its run name in an aggregate's output).
        package var name: String
        /// The run names of its members.
        package var members: [String]

        /// Makes a group.
        package init(name: String, members: [String]) {
            self.name = name
            self.members = members
        }
    }

    /// The groups of `runs` (run name, hparams session values or nil), in name order, and the
    /// runs no group took (a pattern that does not match them). Two groups that would share a
    /// name get `-2`, `-3` … suffixes in order.
    package func groups(of runs: [(name: String, hparams: [String: HParamValue]?)]) throws(RunGroupingError)
        -> (groups: [Group], leftOut: [String])
    {
        var keyed: [String: [String]] = [:]
        var keyOrder: [String] = []
        var leftOut: [String] = []
        var explicitName: [String: String] = [:]
        switch self {
        case .seeds:
            for run in runs.sortedShared(by: { $0.name < $1.name }) {
                let key: String
                if let hparams = run.hparams {
                    key =
                        "hparams:"
                        + hparams.filter { $0.key != "seed" }.sortedShared { $0.key < $1.key }
                        .map { "\($0.key)=\(Self.typed($0.value))" }.joined(separator: "\u{1}")
                } else {
                    key = "name:" + Self.withoutSeed(run.name)
                }
                if keyed[key] == nil { keyOrder.append(key) }
                keyed[key, default: []].append(run.name)
            }
        case .pattern(let pattern):
            let regex: NSRegularExpression
            do {
                regex = try NSRegularExpression(pattern: pattern)
            } catch {
                throw .invalidPattern(pattern, reason: "\(error.localizedDescription)")
            }
            guard regex.numberOfCaptureGroups >= 1 else { throw .noCaptureGroup(pattern) }
            for run in runs.sortedShared(by: { $0.name < $1.name }) {
                let ns = run.name as NSString
                guard let match = regex.firstMatch(in: run.name, range: NSRange(location: 0, length: ns.length)),
                    match.range(at: 1).location != NSNotFound
                else {
                    leftOut.append(run.name)
                    continue
                }
                let captured = ns.substring(with: match.range(at: 1))
                let key = "capture:" + captured
                if keyed[key] == nil { keyOrder.append(key) }
                explicitName[key] = captured
                keyed[key, default: []].append(run.name)
            }
        }
        var result: [Group] = []
        var used: Set<String> = []
        for key in keyOrder {
            let members = keyed[key] ?? []
            var name = explicitName[key] ?? Self.sharedName(members)
            if name.isEmpty || name == "." || name == ".." { name = "group" }
            var unique = name
            var k = 2
            while used.contains(unique) {
                unique = "\(name)-\(k)"
                k += 1
            }
            used.insert(unique)
            result.append(Group(name: unique, members: members))
        }
        result.sortShared { $0.name < $1.name }
        return (result, leftOut)
    }

    /// `name` without a trailing seed part (`run_seed3` → `run`); unchanged when it has none.
    package static func withoutSeed(_ name: String) -> String {
        let ns = name as NSString
        let range = NSRange(location: 0, length: ns.length)
        guard let match = seedSuffix.firstMatch(in: name, range: range) else { return name }
        return ns.substring(to: match.range.location)
    }

    /// What the members' names share once their seed parts are removed.
    static func sharedName(_ members: [String]) -> String {
        let bases = members.map(withoutSeed)
        guard let first = bases.first else { return "" }
        if bases.allSatisfy({ $0 == first }) { return trimmed(first) }
        var prefix = Array(first)
        for base in bases.dropFirst() {
            let chars = Array(base)
            var i = 0
            while i < prefix.count, i < chars.count, prefix[i] == chars[i] { i += 1 }
            prefix.removeSubrange(i...)
        }
        let shared = trimmed(String(prefix))
        return shared.isEmpty ? trimmed(first) : shared
    }

    private static func trimmed(_ s: String) -> String {
        s.trimmingCharacters(in: CharacterSet(charactersIn: "_-./ =:"))
    }

    private static func typed(_ value: HParamValue) -> String {
        switch value {
        case .number(let x): return "n\(x)"
        case .string(let s): return "s\(s)"
        case .bool(let b): return "b\(b)"
        }
    }

    // A separator (or the start) then `seed` with an optional separator and digits, or `s` and
    // digits after a separator, at the end of the name.
    private static let seedSuffix: NSRegularExpression = {
        do {
            return try NSRegularExpression(
                pattern: "(?:(?:^|[_\\-./ ])seed[_\\-=]?|[_\\-./ ]s)[0-9]+$", options: [.caseInsensitive])
        } catch {
            preconditionFailure("the seed pattern is a constant: \(error)")
        }
    }()
}

/// A grouping that cannot be used.
package enum RunGroupingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pattern is not a regular expression.
    case invalidPattern(String, reason: String)
    /// The pattern has no capture group to name a group with.
    case noCaptureGroup(String)

    /// A sentence for people.
    package var description: String {
        switch self {
        case .invalidPattern(let p, let reason):
            return "--group-by '\(p)' is not a valid regular expression: \(reason)"
        case .noCaptureGroup(let p):
            return
                "--group-by '\(p)' has no capture group; put the part that names a group in parentheses, e.g. '(.*)_seed[0-9]+'"
        }
    }
}
