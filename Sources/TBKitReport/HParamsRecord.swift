import TBKit

/// A hyperparameter's value as the hparams plugin stores it (a `google.protobuf.Value`).
package enum HParamSetting: Sendable, Equatable, Encodable {
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// A boolean.
    case bool(Bool)

    /// Encodes as the JSON value itself.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        }
    }
}

/// The parts of the hparams plugin's metadata the report shows: a session's hyperparameters and
/// an experiment's metric tags. Decoded from `HParamsPluginData` by hand, like every message.
package enum HParamsRecord {
    /// The hyperparameters of a `session_start_info` (field 3), or nil for another payload.
    package static func sessionHParams(_ content: [UInt8]) -> [String: HParamSetting]? {
        HParams.sessionHParams(pluginContent: content)?.mapValues { value in
            switch value {
            case .number(let x): return .number(x)
            case .string(let text): return .string(text)
            case .bool(let b): return .bool(b)
            }
        }
    }

    /// The metric tags of an `experiment` (field 2), or nil for another payload.
    package static func experimentMetricTags(_ content: [UInt8]) -> [String]? {
        content.withUnsafeBytes { raw in
            var r = ProtoReader(raw)
            var tags: [String]?
            do {
                while var experiment = try r.nextSubmessage(field: 2) {
                    var found: [String] = []
                    while var info = try experiment.nextSubmessage(field: 5) {
                        while var name = try info.nextSubmessage(field: 1) {
                            var tag = ""
                            while !name.isAtEnd {
                                let (nf, nw) = try name.readKey()
                                if nf == 2 && nw == .lengthDelimited {
                                    tag = try name.readString()
                                } else {
                                    try name.skip(nw, field: nf)
                                }
                            }
                            if !tag.isEmpty { found.append(tag) }
                        }
                    }
                    tags = found
                }
            } catch {
                return nil
            }
            return tags
        }
    }
}
