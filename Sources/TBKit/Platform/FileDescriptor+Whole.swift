import SystemPackage

extension FileDescriptor {
    /// Reads until `buffer` is full or the file ends; returns the count (short only at the end).
    /// swift-system retries a read interrupted by a signal.
    package func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        var done = 0
        while done < buffer.count {
            let got = try Self.typed { try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...])) }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Reads at `offset` (`pread`, the descriptor's own position untouched) until `buffer` is
    /// full or the file ends; returns the count.
    package func readFully(into buffer: UnsafeMutableRawBufferPointer, atOffset offset: Int64) throws(Errno) -> Int {
        var done = 0
        while done < buffer.count {
            let got = try Self.typed {
                try read(
                    fromAbsoluteOffset: offset + Int64(done),
                    into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Writes all of `bytes` (swift-system loops over short writes and interrupted calls).
    package func writeFully(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        _ = try Self.typed { try writeAll(bytes) }
    }

    /// Closes the descriptor, with swift-system's `Errno` as a typed error.
    package func closeReportingErrors() throws(Errno) {
        try Self.typed { try close() }
    }

    /// Runs a swift-system call, whose errors are always `Errno`, with that as a typed error.
    package static func typed<T>(_ body: () throws -> T) throws(Errno) -> T {
        do {
            return try body()
        } catch let error as Errno {
            throw error
        } catch {
            throw Errno.ioError
        }
    }
}
