extension SummaryWriter {
    /// Writes every buffered record to the file now. For a remote logdir, a file that has
    /// reached the store's minimum size is also sealed and handed on for upload.
    ///
    /// Then throws `.loggingFailed` once when calls made through `log` failed since the last
    /// `flush()` or `close()`.
    public func flush() throws {
        let minimum = remote?.minimumFlushBytes
        let sealed = try state.withLock { s throws -> String? in
            if let error = s.pendingError {
                s.pendingError = nil
                throw error
            }
            guard let file = s.file else { return nil }
            try file.flush()
            if let minimum, file.size >= minimum { return try seal(file, &s) }
            return nil
        }
        if let sealed { onFileSealed?(sealed) }
        try throwKeptFailures()
    }

    /// Keeps the failure of a call made through `log`, for the next `flush()` or `close()`.
    func keepFailure(_ error: any Error) {
        state.withLock { s in
            s.keptFailures += 1
            if s.firstKeptFailure == nil { s.firstKeptFailure = "\(error)" }
        }
    }

    /// Throws `.loggingFailed` for the kept failures (once: they are cleared).
    private func throwKeptFailures() throws {
        let kept = state.withLock { s -> (Int, String)? in
            guard s.keptFailures > 0 else { return nil }
            defer {
                s.keptFailures = 0
                s.firstKeptFailure = nil
            }
            return (s.keptFailures, s.firstKeptFailure ?? "")
        }
        if let (count, first) = kept { throw SummaryWriterError.loggingFailed(count: count, first: first) }
    }

    /// Seals the current file now (flushed, closed, reported to `onFileSealed`) and starts the
    /// next one, whatever the rotation limits say. Throws `.closed` after `close()`.
    public func rotate() throws {
        if isDisabled { return }
        let sealed = try state.withLock { s throws -> String in
            let file = try openFile(&s)
            return try seal(file, &s)
        }
        onFileSealed?(sealed)
    }

    /// Flushes and closes the file, then reports it to `onFileSealed`. Later calls to log
    /// anything throw `.closed`; closing again does nothing. When the last flush fails, the
    /// error is thrown and the writer stays open, so `close()` can be called again. For a
    /// remote logdir, then waits (bounded) for the uploads: see `init`. Last, throws
    /// `.loggingFailed` when calls made through `log` failed (the file is closed all the same).
    public func close() throws {
        let sealed = try state.withLock { s throws -> String? in
            guard !s.isClosed else { return nil }
            if let file = s.file {
                try file.flush()
                try file.close()
                s.sealedBytes += file.bytesWritten
                s.file = nil
            }
            s.isClosed = true
            s.timer?.cancel()
            s.timer = nil
            return s.paths.last
        }
        OpenWriters.shared.remove(self)
        if let sealed { onFileSealed?(sealed) }
        if sealed != nil { try remote?.finish() }
        try throwKeptFailures()
    }

    /// Bytes of this writer's files known to be written out, over every file it has made.
    public var bytesWritten: Int {
        state.withLock { s in s.sealedBytes + (s.file?.bytesWritten ?? 0) }
    }
}
