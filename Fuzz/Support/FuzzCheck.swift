#if canImport(Glibc)
    import Glibc
#endif

/// Stops the fuzzer with a message (precondition messages are dropped at -O).
func fail(_ message: @autoclosure () -> String) -> Never {
    var text = "fuzz check failed: " + message() + "\n"
    text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stderr) }
    abort()
}

/// Fails with `message` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String = "") {
    if !condition { fail(message()) }
}
