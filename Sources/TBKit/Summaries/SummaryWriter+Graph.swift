import Foundation

extension SummaryWriter {
    /// Logs a computation graph as `Event.graph_def` for the graphs dashboard (the last graph
    /// written to a run is the one shown).
    public func graph(_ graph: GraphDef, wallTime: Double? = nil) throws {
        try event(Event(wallTime: wallTime ?? Date().timeIntervalSince1970, what: .graphDef(graph.encoded())))
    }
}
