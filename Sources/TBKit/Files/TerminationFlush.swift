import Foundation
import Synchronization

extension SummaryWriter {
    /// Flushes every open writer when the process gets SIGTERM or SIGINT (what a scheduler
    /// sends before SIGKILL, and Ctrl-C), then lets the signal do what it did before: a process
    /// that would have ended still ends by that signal, a handler installed earlier still runs,
    /// an ignored signal stays ignored. Call it once, early (later calls do nothing); writers
    /// made before or after are covered. Normal exit flushes without it.
    ///
    /// The signal handler itself only writes the signal number to a pipe; a dedicated thread
    /// reads it, flushes (taking each writer's lock as any caller would) and passes the signal
    /// on, so nothing unsafe runs in signal context. With `durability: .fsyncOnFlush` the flush
    /// also reaches stable storage. Throws `.terminationHandlingUnavailable` if the pipe or the
    /// handlers cannot be set up.
    public static func flushOnTermination() throws {
        try TerminationFlush.installOnce()
    }
}

/// The one termination-flush thread of the process.
enum TerminationFlush {
    private static let installed = Mutex(false)

    static func installOnce() throws {
        try installed.withLock { done throws in
            guard !done else { return }
            switch TerminationSignals.install([SIGTERM, SIGINT]) {
            case .failure(let error):
                throw SummaryWriterError.terminationHandlingUnavailable(reason: error.message)
            case .success(let readEnd):
                let thread = Thread { waitForSignals(readEnd) }
                thread.name = "TBKit termination flush"
                thread.start()
                done = true
            }
        }
    }

    private static func waitForSignals(_ readEnd: Int32) {
        var byte: UInt8 = 0
        while true {
            let n = Platform.retryingOnInterrupt { read(readEnd, &byte, 1) }
            if n <= 0 { return }
            OpenWriters.shared.flushAll()
            TerminationSignals.passOn(Int32(byte))
        }
    }
}
