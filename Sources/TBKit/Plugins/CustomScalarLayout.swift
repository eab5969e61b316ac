/// The custom scalars dashboard's layout (`tensorboard.Layout`, custom_scalar/layout.proto):
/// categories of charts, each chart either several scalar series on one plot (multiline, tags
/// given as regular expressions) or a value with a lower/upper band (margin).
///
/// TensorBoard reads it from the tag `custom_scalars__config__` (a rank-0 DT_STRING tensor
/// holding the serialized Layout, plugin "custom_scalars"), merges the layouts of all runs by
/// category title, and matches chart tags with Python's `re.match`: anchored at the start only,
/// so end a tag with `$` to match it exactly.
///
/// ```swift
/// try writer.customScalarsLayout(CustomScalarLayout([
///     .init(title: "Losses", charts: [.init(title: "train vs test", multiline: ["loss/train$", "loss/test$"])]),
/// ]))
/// ```
public struct CustomScalarLayout: Sendable, Equatable {
    /// The tag TensorBoard reads the layout from.
    package static let tag = "custom_scalars__config__"

    /// A titled group of charts (`tensorboard.Category`: 1 title, 2 chart, 3 closed).
    public struct Category: Sendable, Equatable {
        /// Section heading; categories with equal titles from several runs are merged.
        public var title: String
        /// The charts, in order.
        public var charts: [Chart]
        /// Whether the section starts collapsed.
        public var closed: Bool

        /// Makes a category.
        public init(title: String, charts: [Chart], closed: Bool = false) {
            self.title = title
            self.charts = charts
            self.closed = closed
        }
    }

    /// One plot (`tensorboard.Chart`: 1 title; oneof 2 multiline, 3 margin).
    public struct Chart: Sendable, Equatable {
        /// What a chart draws.
        public enum Content: Sendable, Equatable {
            /// Every scalar series whose tag matches one of these regexes, on one plot.
            case multiline(tags: [String])
            /// Series drawn as a value line inside a lower…upper band.
            case margin(series: [MarginSeries])
        }

        /// Chart title.
        public var title: String
        /// What it draws.
        public var content: Content

        /// Makes a chart.
        public init(title: String, content: Content) {
            self.title = title
            self.content = content
        }

        /// A multiline chart of the scalar tags matching `tags` (regexes, `re.match` semantics).
        public init(title: String, multiline tags: [String]) {
            self.init(title: title, content: .multiline(tags: tags))
        }

        /// A margin chart.
        public init(title: String, margin series: [MarginSeries]) {
            self.init(title: title, content: .margin(series: series))
        }
    }

    /// One band of a margin chart: three exact scalar tags (`MarginChartContent.Series`).
    public struct MarginSeries: Sendable, Equatable {
        /// Tag of the middle line.
        public var value: String
        /// Tag of the lower bound.
        public var lower: String
        /// Tag of the upper bound.
        public var upper: String

        /// Makes a series.
        public init(value: String, lower: String, upper: String) {
            self.value = value
            self.lower = lower
            self.upper = upper
        }
    }

    /// The categories, in display order.
    public var categories: [Category]

    /// Makes a layout.
    public init(_ categories: [Category]) {
        self.categories = categories
    }

    /// The serialized `Layout` (version 0 omitted; fields in ascending order).
    package func encoded() -> [UInt8] {
        var w = ProtoWriter(capacity: 128)
        encode(into: &w)
        return w.bytes
    }

    /// Appends the protobuf encoding. The chart's oneof member is written even when empty.
    package func encode(into w: inout ProtoWriter) {
        for category in categories {
            w.writeMessageField(2) { c in
                c.writeStringFieldIfNonEmpty(1, category.title)
                for chart in category.charts {
                    c.writeMessageField(2) { ch in
                        ch.writeStringFieldIfNonEmpty(1, chart.title)
                        switch chart.content {
                        case .multiline(let tags):
                            ch.writeMessageField(2) { m in
                                for tag in tags { m.writeStringField(1, tag) }
                            }
                        case .margin(let series):
                            ch.writeMessageField(3) { m in
                                for s in series {
                                    m.writeMessageField(1) {
                                        $0.writeStringFieldIfNonEmpty(1, s.value)
                                        $0.writeStringFieldIfNonEmpty(2, s.lower)
                                        $0.writeStringFieldIfNonEmpty(3, s.upper)
                                    }
                                }
                            }
                        }
                    }
                }
                if category.closed { c.writeBoolField(3, true) }
            }
        }
    }
}
