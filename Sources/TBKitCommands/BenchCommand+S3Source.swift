import Foundation
import TBKit
import TBKitS3

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BenchCommand {
    /// `tbkit export` of the bench log directory uploaded under an s3:// prefix, read in place,
    /// against the same export of the local directory. Each export runs as a child process
    /// (stdout to /dev/null), so its wall time and its peak RSS are its own (see `runChild`).
    /// Skipped, with a message, without S3 settings in the environment.
    func measureS3SourceExport(logdir: String) throws {
        let client: S3Client
        do {
            client = try S3Client.fromEnvironment()
        } catch {
            print("  export of an s3:// prefix: not measured (no S3 settings: \(error))")
            return
        }
        guard let binary = Self.ownExecutable() else {
            print("  export of an s3:// prefix: not measured (cannot find the tbkit executable)")
            return
        }
        let base = try S3Location(url: s3 ?? "s3://tbkit-bench/")
        if s3 == nil, (try? client.checkAccess(bucket: base.bucket, prefix: "")) == nil {
            try client.createBucket(base.bucket)
        }
        let prefix = base.appending("export-source-\(UUID().uuidString.prefix(8))")
        var uploaded: [S3Location] = []
        defer { for object in uploaded { try? client.deleteObject(bucket: object.bucket, key: object.key) } }
        let files = (FileManager.default.enumerator(atPath: logdir)?.allObjects as? [String] ?? []).sorted()
        var bytes: UInt64 = 0
        for relative in files {
            var isDirectory: ObjCBool = false
            let path = logdir + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let object = prefix.appending(relative)
            bytes += try S3Transfer.upload(path, client: client, to: object)
            uploaded.append(object)
        }
        var local: [ChildRun] = []
        var remote: [ChildRun] = []
        for _ in 0..<repeats {
            local.append(try Self.runChild(binary, ["export", logdir]))
            remote.append(try Self.runChild(binary, ["export", prefix.description]))
        }
        let localSeconds = median(local.map(\.seconds))
        let remoteSeconds = median(remote.map(\.seconds))
        let localRSS = local.map(\.maxRSSBytes).max() ?? 0
        let remoteRSS = remote.map(\.maxRSSBytes).max() ?? 0
        print(
            String(
                format:
                    "  export of an s3:// prefix: %.3f s (%.2fx the local logdir's %.3f s; %d objects, %.1f MB, read in place)",
                remoteSeconds, remoteSeconds / localSeconds, localSeconds, uploaded.count, Double(bytes) / 1e6))
        print(
            String(
                format: "    peak RSS of the export process: %.1f MB from s3://, %.1f MB from the local logdir",
                Double(remoteRSS) / 1e6, Double(localRSS) / 1e6))
    }

    /// One child process's wall time and peak resident set.
    struct ChildRun {
        var seconds: Double
        var maxRSSBytes: Int
    }

    /// The running executable's path.
    static func ownExecutable() -> String? {
        #if os(Linux)
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        return Bundle.main.executablePath
    }

    /// Runs `binary arguments` with stdout to /dev/null; its wall time and peak RSS. Throws when
    /// it cannot start or exits non-zero.
    ///
    /// On Linux the peak is the child's own VmHWM (/proc/<pid>/status), read every 2 ms while it
    /// runs: `wait4`'s `ru_maxrss` would not do, since a child spawned from this process (vfork)
    /// keeps this process's high-water mark through exec. VmHWM only grows, so a sample misses
    /// at most the growth of the child's last 2 ms. Elsewhere it is `ru_maxrss`.
    static func runChild(_ binary: String, _ arguments: [String]) throws -> ChildRun {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw CommandFailure("bench: cannot start \(binary): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        var highWater = 0
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 {
                guard errno == EINTR else {
                    throw CommandFailure("bench: wait4 failed for \(binary) (errno \(errno))")
                }
                continue
            }
            highWater = max(highWater, Self.highWaterMark(of: pid) ?? 0)
            usleep(2000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard status == 0 else {
            throw CommandFailure("bench: `tbkit \(arguments.joined(separator: " "))` failed (wait status \(status))")
        }
        #if os(Linux)
            let rss = highWater
        #else
            let rss = Int(usage.ru_maxrss)
        #endif
        return ChildRun(seconds: seconds, maxRSSBytes: rss)
    }

    /// The VmHWM line of /proc/<pid>/status in bytes, or nil (not Linux, or the process is gone).
    static func highWaterMark(of pid: pid_t) -> Int? {
        // /proc files report a size of 0, so read until read(2) says the end.
        let fd = open("/proc/\(pid)/status", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += block[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kib = line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap {
                Int($0)
            }
            return kib.map { $0 * 1024 }
        }
        return nil
    }
}
