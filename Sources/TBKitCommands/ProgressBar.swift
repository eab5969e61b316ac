import Foundation
import InitLab

/// Shows training progress: on a terminal one line redrawn in place with `\r` (run, step, loss,
/// accuracy, ETA) at most ten times a second; otherwise a plain line every `plainEvery` steps.
final class ProgressBar {
    private let isTerminal: Bool
    private let plainEvery: Int
    private let clock = ContinuousClock()
    private var runStart: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var currentRun = ""
    /// Steps already done when the current run's first update came (a resumed run starts late).
    private var firstStep = 0

    init(plainEvery: Int) {
        self.isTerminal = isatty(1) == 1
        self.plainEvery = max(1, plainEvery)
        self.runStart = clock.now
        self.lastDraw = clock.now
    }

    /// Called after every step.
    func update(_ p: TrainingProgress) {
        let now = clock.now
        if p.run != currentRun {
            currentRun = p.run
            runStart = now
            firstStep = p.step - 1
        }
        let elapsed = seconds(now - runStart)
        if isTerminal {
            guard p.step == p.total || seconds(now - lastDraw) >= 0.1 else { return }
            lastDraw = now
            let width = 24
            let filled = p.total > 0 ? width * p.step / p.total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let done = p.step - firstStep
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

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
