import Synchronization
import TBKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Set by SIGINT/SIGTERM while `tbkit watch` runs, so the loop can restore the terminal and end.
let terminalStopRequested = Atomic<Bool>(false)

/// The terminal side of `tbkit watch`: raw keyboard input (no echo, no line buffering, Ctrl-C as
/// a byte), the alternate screen and a hidden cursor, all put back by `restore()`. This is the
/// one place the CLI talks termios.
final class TerminalSession {
    private var saved = termios()
    private var rawEnabled = false
    private var screenEnabled = false

    /// True when the descriptor is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Makes SIGINT and SIGTERM set `terminalStopRequested` instead of ending the process.
    static func catchStopSignals() {
        signal(SIGINT) { _ in terminalStopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in terminalStopRequested.store(true, ordering: .relaxed) }
    }

    /// Enters raw input mode on standard input (when it is a terminal) and the alternate screen.
    func enter() {
        if Self.isTerminal(0), tcgetattr(0, &saved) == 0 {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
            raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
            if tcsetattr(0, TCSANOW, &raw) == 0 { rawEnabled = true }
        }
        emit("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        screenEnabled = true
    }

    /// Leaves the alternate screen, shows the cursor and restores the saved input mode.
    func restore() {
        if screenEnabled {
            emit("\u{1B}[?25h\u{1B}[?1049l")
            screenEnabled = false
        }
        if rawEnabled {
            _ = tcsetattr(0, TCSANOW, &saved)
            rawEnabled = false
        }
    }

    deinit { restore() }

    /// Waits up to `seconds` for a key; returns the bytes typed (empty on timeout or signal).
    func readKeys(timeout seconds: Double) -> [UInt8] {
        var fds = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        let ready = poll(&fds, 1, Int32(Swift.max(0, seconds * 1000)))
        guard ready > 0, fds.revents & Int16(POLLIN) != 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// Rows and columns of the terminal on standard output, from the `TIOCGWINSZ` ioctl (24 × 80
    /// when standard output is no terminal). Every supported C library declares the request and
    /// `struct winsize`; the request's C type differs (an `unsigned long` on Darwin, an `int`
    /// macro on Linux), so it is converted to the `UInt` the ioctl overlay takes.
    static func size() -> (rows: Int, columns: Int) {
        var ws = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 {
            return (Int(ws.ws_row), Int(ws.ws_col))
        }
        return (24, 80)
    }

    /// Writes text to standard output unbuffered.
    func emit(_ text: String) { Self.emit(text) }

    /// Writes text to standard output unbuffered, all of it (retrying after a signal).
    static func emit(_ text: String) {
        var t = text
        t.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let n = Platform.retryingOnInterrupt { write(1, base + offset, bytes.count - offset) }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
