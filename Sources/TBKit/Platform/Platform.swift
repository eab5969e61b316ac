// The POSIX calls TBKit needs that swift-system does not offer, with their per-platform spellings.
// No other library file names a C library module's members or a platform-only struct field.

import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: writer

/// Forces the file's written bytes to stable storage; returns 0 or an errno value.
func platformSync(_ fd: Int32) -> Int32 {
    while fsync(fd) != 0 {
        if errno == EINTR { continue }
        return errno
    }
    return 0
}

/// The write end of the pipe the termination signal handler writes a signal number to.
private let terminationPipe = Atomic<Int32>(-1)

/// The signal handler: writes the signal number (one byte) to the pipe and nothing else. write(2)
/// is async-signal-safe; errno is kept for the interrupted code.
private func forwardTerminationSignal(_ signal: Int32) {
    let saved = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(terminationPipe.load(ordering: .relaxed), &byte, 1)
    errno = saved
}

/// Signal dispositions for the termination flush: installs the forwarding handler, and passes a
/// signal on to whatever disposition was there before.
enum TerminationSignals {
    /// The disposition each signal had before the forwarding handler was installed.
    private static let previous = Mutex<[Int32: sigaction]>([:])

    /// Creates the pipe (read end returned, blocking; write end non-blocking, so the handler
    /// never waits) and installs the handler for `signals`, keeping their earlier dispositions.
    /// Returns the read end, or an errno value.
    static func install(_ signals: [Int32]) -> Result<Int32, PlatformErrno> {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return .failure(PlatformErrno(errno)) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        terminationPipe.store(fds[1], ordering: .relaxed)
        for signal in signals {
            var action = forwardingAction()
            var old = sigaction()
            guard sigaction(signal, &action, &old) == 0 else { return .failure(PlatformErrno(errno)) }
            previous.withLock { $0[signal] = old }
        }
        return .success(fds[0])
    }

    /// Gives `signal` to the disposition that was installed before: an ignored signal stays
    /// ignored; a handler runs (on this thread); the default terminates the process here, as it
    /// would have without TBKit. Then the forwarding handler goes back in place.
    static func passOn(_ signal: Int32) {
        guard var old = previous.withLock({ $0[signal] }) else { return }
        if isIgnore(old) { return }
        var ours = sigaction()
        _ = sigaction(signal, &old, &ours)
        _ = raise(signal)
        _ = sigaction(signal, &ours, nil)
    }

    private static func forwardingAction() -> sigaction {
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        #if os(Linux)
            action.__sigaction_handler.sa_handler = forwardTerminationSignal
        #elseif canImport(Darwin)
            action.__sigaction_u.__sa_handler = forwardTerminationSignal
        #endif
        return action
    }

    private static func isIgnore(_ action: sigaction) -> Bool {
        guard action.sa_flags & SA_SIGINFO == 0 else { return false }
        #if os(Linux)
            let handler = action.__sigaction_handler.sa_handler
        #elseif canImport(Darwin)
            let handler = action.__sigaction_u.__sa_handler
        #endif
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}

/// An errno value.
struct PlatformErrno: Error, Sendable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var message: String { String(cString: strerror(code)) }
}
