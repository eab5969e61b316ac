import Foundation
import InitLab
import Synchronization

/// Shows training progress: on a terminal one line redrawn in place with `\r` (run, step, loss,
/// accuracy, ETA) at most ten times a second; otherwise a plain line every `plainEvery` steps.
/// Runs trained at once (`--jobs`) share it: each run keeps its own start and ETA, the line in
/// place shows the run that reported last, and a run that ends leaves its last line behind.
final class ProgressBar: Sendable {
    private struct RunClock {
        var start: ContinuousClock.Instant
        /// Steps already done when the run's first update came (a resumed run starts late).
        var firstStep: Int
    }
    private struct State {
        var runs: [String: RunClock] = [:]
        var lastDraw: ContinuousClock.Instant
    }
    private let isTerminal: Bool
    private let plainEvery: Int
    private let clock = ContinuousClock()
    private let state: Mutex<State>

    init(plainEvery: Int) {
        self.isTerminal = isatty(1) == 1
        self.plainEvery = max(1, plainEvery)
        self.state = Mutex(State(lastDraw: clock.now))
    }

    /// Called after every step, from the thread training the run.
    func update(_ p: TrainingProgress) {
        let now = clock.now
        state.withLock { s in
            let run = s.runs[p.run] ?? RunClock(start: now, firstStep: p.step - 1)
            s.runs[p.run] = p.step == p.total ? nil : run
            let elapsed = seconds(now - run.start)
            if isTerminal {
                guard p.step == p.total || seconds(now - s.lastDraw) >= 0.1 else { return }
                s.lastDraw = now
                let width = 24
                let filled = p.total > 0 ? width * p.step / p.total : width
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                let done = p.step - run.firstStep
                let eta = done > 0 ? elapsed * Double(p.total - p.step) / Double(done) : 0
                let line =
                    "\(TableText.left(shown(p.run), 26)) [\(bar)] \(TableText.left("\(p.step)/\(p.total)", 9)) loss \(TableText.number(p.loss, 4)) acc \(TableText.number(p.accuracy, 3)) ETA \(TableText.number(eta, 1))s"
                print("\r" + line + "\u{1B}[K", terminator: p.step == p.total ? "\n" : "")
                fflush(nil)
            } else if p.step == p.total || p.step % plainEvery == 0 {
                print(
                    "\(shown(p.run)) step \(p.step)/\(p.total) loss \(TableText.number(p.loss, 4)) acc \(TableText.number(p.accuracy, 3)) \(TableText.number(elapsed, 2))s"
                )
                fflush(nil)
            }
        }
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
