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
    /// (stdout to /dev/null), so its wall time and its peak RSS (`ru_maxrss` from `wait4`) are
    /// its own. Skipped, with a message, without S3 settings in the environment.
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

    /// Runs `binary arguments` with stdout to /dev/null; its wall time and `ru_maxrss` (KiB on
    /// Linux, bytes on Darwin). Throws when it cannot start or exits non-zero.
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
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw CommandFailure("bench: wait4 failed for \(binary) (errno \(errno))") }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard status == 0 else {
            throw CommandFailure("bench: `tbkit \(arguments.joined(separator: " "))` failed (wait status \(status))")
        }
        #if os(Linux)
            let rss = usage.ru_maxrss * 1024
        #else
            let rss = usage.ru_maxrss
        #endif
        return ChildRun(seconds: seconds, maxRSSBytes: Int(rss))
    }
}
