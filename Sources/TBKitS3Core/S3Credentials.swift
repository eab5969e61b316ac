import Foundation

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

    /// The `[section]` / `key = value` lines of an AWS shared credentials or config file
    /// (`#` and `;` start comments; keys are lower-cased).
    package static func parseINI(_ text: String) -> [String: [String: String]] {
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
