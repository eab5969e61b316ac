import Foundation
import SystemPackage

/// An access key pair (and, for temporary credentials, a session token) that signs requests.
package struct S3Credentials: Sendable, Equatable {
    /// The access key id (`AWS_ACCESS_KEY_ID`).
    package var accessKeyID: String
    /// The secret access key (`AWS_SECRET_ACCESS_KEY`); never printed.
    package var secretAccessKey: String
    /// A session token for temporary credentials (`AWS_SESSION_TOKEN`), sent as `x-amz-security-token`.
    package var sessionToken: String?

    /// Credentials from their parts.
    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Credentials the way the AWS tools find them: `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`) from the environment, else the profile
    /// `AWS_PROFILE` (default `default`) of the shared credentials file
    /// (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`).
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(S3Error) -> S3Credentials
    {
        func value(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        if let id = value("AWS_ACCESS_KEY_ID") {
            guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
                throw .missingCredentials(detail: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        }
        let profile = value("AWS_PROFILE") ?? "default"
        let path: String
        if let file = value("AWS_SHARED_CREDENTIALS_FILE") {
            path = file
        } else if let home = value("HOME") {
            path = FilePath(home).appending(".aws/credentials").string
        } else {
            throw .missingCredentials(
                detail: "no AWS_ACCESS_KEY_ID in the environment and no HOME to find ~/.aws/credentials")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .missingCredentials(
                detail: "no AWS_ACCESS_KEY_ID in the environment and no readable credentials file at \(path)")
        }
        let sections = parseINI(text)
        guard let section = sections[profile] else {
            throw .missingCredentials(detail: "the credentials file \(path) has no [\(profile)] profile")
        }
        guard let id = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
            throw .missingCredentials(
                detail: "profile [\(profile)] of \(path) lacks aws_access_key_id or aws_secret_access_key")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: section["aws_session_token"])
    }

    /// The `[section]` / `key = value` lines of an AWS shared credentials or config file
    /// (`#` and `;` start comments; keys are lower-cased).
    static func parseINI(_ text: String) -> [String: [String: String]] {
        var sections = [String: [String: String]]()
        var current: String?
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = String(name.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
                current = name
                sections[name, default: [:]] = sections[name, default: [:]]
                continue
            }
            guard let section = current, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            sections[section]?[key] = value
        }
        return sections
    }
}
