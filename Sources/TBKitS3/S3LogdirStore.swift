import Foundation
import Synchronization
import SystemPackage
import TBKit
import TBKitS3Core

/// One s3:// run directory being written: the local spool `<spoolRoot>/<bucket>/<key>` and a
/// thread that uploads each sealed file once, in the order sealed, to `<key>/<file name>`.
///
/// A sealed file is marked by an empty `<spool>/.sealed/<name>` beside it; the file and its mark
/// are removed only once the object is stored, so a file whose upload did not finish (an outage,
/// a crash, a `close()` that timed out) stays in the spool and is sent by the next store opened
/// for the same run. A failed upload (after the client's own retries) is tried again after a
/// wait that doubles up to `maxRetryWait`. The caller's thread never waits for the network: the
/// spool is on disk, and memory holds at most the one file being sent.
package final class S3LogdirStore: RemoteLogdirStore {
    /// Where the files go.
    package let location: S3Location
    /// The client that sends them.
    package let client: S3Client
    /// Limits and timeouts.
    package let settings: S3LogdirSettings
    /// The run's local spool directory.
    package let spoolDirectory: String

    private struct State {
        var queue: [String] = []
        var sending: String?
        var stopping = false
        var uploaded = 0
        var lastError: String?
    }
    private let state = Mutex(State())
    private let wake = NSCondition()
    private let done = DispatchSemaphore(value: 0)
    private var markDirectory: String { FilePath(spoolDirectory).appending(".sealed").string }

    /// Opens the spool (creating it) and starts the uploader; queues sealed leftovers first.
    package init(location: S3Location, client: S3Client, settings: S3LogdirSettings) throws {
        self.location = location
        self.client = client
        self.settings = settings
        // The key's `/`-separated parts become directories under <spool>/<bucket>.
        let path = FilePath(settings.spoolRoot).appending(location.bucket).appending(location.key).string
        spoolDirectory = path
        do {
            try FileManager.default.createDirectory(
                atPath: markDirectory, withIntermediateDirectories: true)
        } catch {
            throw S3Error.localFile(path: spoolDirectory, detail: "cannot create the spool directory: \(error)")
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: markDirectory)) ?? []
        state.withLock { $0.queue = leftovers.sortedShared().map { FilePath(path).appending($0).string } }
        let thread = Thread { [self] in run() }
        thread.name = "tbkit-s3-upload"
        thread.start()
    }

    /// Seals by size and age so each object is written once.
    package var rotation: FileRotation { settings.rotation }
    /// `flush()` seals past this size.
    package var minimumFlushBytes: Int { settings.minimumFlushBytes }

    /// Files sealed and not yet stored, oldest first.
    package var pending: [String] {
        state.withLock { s in (s.sending.map { [$0] } ?? []) + s.queue }
    }

    /// Objects stored so far by this store.
    package var uploadedCount: Int { state.withLock { $0.uploaded } }

    /// Marks `path` sealed and queues it.
    package func fileSealed(path: String) {
        let name = (path as NSString).lastPathComponent
        _ = FileManager.default.createFile(atPath: FilePath(markDirectory).appending(name).string, contents: nil)
        state.withLock { $0.queue.append(path) }
        wake.lock()
        wake.signal()
        wake.unlock()
    }

    /// Waits up to `closeTimeout` for the queue to drain, then stops the uploader; throws
    /// `SummaryWriterError.remoteUploadIncomplete` naming the files still only local.
    package func finish() throws {
        // Side files the writer's owner put in the run directory (projector TSVs and config)
        // go up with the run.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: spoolDirectory)) ?? []
        let queued = Set(pending)
        for name in names.sortedShared() where !name.hasPrefix(".") && !RunDirectory.isEventFileName(name) {
            let path = FilePath(spoolDirectory).appending(name).string
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                !queued.contains(path)
            else { continue }
            fileSealed(path: path)
        }
        let deadline = Date().addingTimeInterval(settings.closeTimeout)
        while !pending.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        state.withLock { $0.stopping = true }
        wake.lock()
        wake.broadcast()
        wake.unlock()
        let left = pending
        if !left.isEmpty {
            let reason = state.withLock { $0.lastError } ?? "still uploading"
            throw SummaryWriterError.remoteUploadIncomplete(
                logdir: location.description, localPaths: left, reason: reason)
        }
    }

    private func run() {
        var wait = settings.retryWait
        while true {
            let next = state.withLock { s -> String? in
                if s.sending == nil, !s.queue.isEmpty { s.sending = s.queue.removeFirst() }
                return s.stopping ? nil : s.sending
            }
            guard let path = next else {
                if state.withLock({ $0.stopping }) { return }
                wake.lock()
                _ = wake.wait(until: Date().addingTimeInterval(0.5))
                wake.unlock()
                continue
            }
            do {
                try upload(path)
                state.withLock { s in
                    s.sending = nil
                    s.uploaded += 1
                }
                wait = settings.retryWait
            } catch {
                state.withLock { $0.lastError = "\(error)" }
                wake.lock()
                _ = wake.wait(until: Date().addingTimeInterval(wait))
                wake.unlock()
                wait = min(wait * 2, settings.maxRetryWait)
            }
        }
    }

    /// Sends one sealed file (one PUT up to 64 MiB, multipart above), then removes it and its mark.
    private func upload(_ path: String) throws {
        let name = (path as NSString).lastPathComponent
        let key = location.directoryPrefix + name
        guard let handle = FileHandle(forReadingAtPath: path) else {
            // Gone already (removed by hand, or stored by a store that crashed before the mark
            // was removed): nothing to send.
            try? FileManager.default.removeItem(atPath: FilePath(markDirectory).appending(name).string)
            return
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        if size <= S3MultipartWriter.singlePutLimit {
            let body = try handle.readToEnd() ?? Data()
            try client.putObject(bucket: location.bucket, key: key, body: body)
        } else {
            let writer = try S3MultipartWriter(client: client, bucket: location.bucket, key: key)
            do {
                while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
                    try writer.write(chunk)
                }
                try writer.finish()
            } catch {
                writer.abort()
                throw error
            }
        }
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: FilePath(markDirectory).appending(name).string)
    }
}
