import Foundation
import SystemPackage
import TBKitS3Core

// Settings and credentials from the environment, found the way the AWS tools find them. Here
// rather than in TBKitS3Core because the shared credentials file is a local path, joined with
// swift-system's FilePath, which TBKitS3Core does without (so that it compiles while
// swift-system does).

extension S3Credentials {
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
}

extension S3Configuration {
    /// The configuration AWS tools would use: the endpoint from `AWS_ENDPOINT_URL_S3`,
    /// `AWS_ENDPOINT_URL` or `S3_ENDPOINT` (TensorBoard's variable; a bare `host:port` means
    /// https unless `S3_USE_HTTPS=0`), else AWS itself in `AWS_REGION` (default `us-east-1`,
    /// also read from `AWS_DEFAULT_REGION`); credentials from `S3Credentials.fromEnvironment`.
    /// Custom endpoints use path-style addressing and AWS virtual-host addressing, unless
    /// `TBKIT_S3_ADDRESSING` is `path` or `virtual`.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(S3Error) -> S3Configuration
    {
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1"
        let credentials = try S3Credentials.fromEnvironment(environment)
        var endpointText: String
        var custom = true
        if let e = value("AWS_ENDPOINT_URL_S3") ?? value("AWS_ENDPOINT_URL") ?? value("S3_ENDPOINT") {
            endpointText = e
            if !endpointText.contains("://") {
                endpointText = (value("S3_USE_HTTPS") == "0" ? "http://" : "https://") + endpointText
            }
            while endpointText.hasSuffix("/") { endpointText.removeLast() }
        } else {
            endpointText = "https://s3.\(region).amazonaws.com"
            custom = false
        }
        guard let endpoint = URL(string: endpointText) else {
            throw .invalidConfiguration(detail: "the endpoint '\(endpointText)' is not a URL")
        }
        var addressing: Addressing = custom ? .path : .virtualHost
        switch value("TBKIT_S3_ADDRESSING")?.lowercased() {
        case nil: break
        case "path": addressing = .path
        case "virtual", "virtual-host", "virtualhost": addressing = .virtualHost
        case let other?:
            throw .invalidConfiguration(detail: "TBKIT_S3_ADDRESSING is '\(other)'; use 'path' or 'virtual'")
        }
        var configuration = try S3Configuration(
            endpoint: endpoint, region: region, addressing: addressing, credentials: credentials)
        if let offset = value("TBKIT_S3_CLOCK_OFFSET_SECONDS") {
            guard let seconds = Double(offset), seconds.isFinite else {
                throw .invalidConfiguration(detail: "TBKIT_S3_CLOCK_OFFSET_SECONDS is '\(offset)', not a number")
            }
            configuration.clockOffset = seconds
        }
        return configuration
    }
}

extension S3Client {
    /// A client configured from the environment (see `S3Configuration.fromEnvironment`).
    package static func fromEnvironment() throws(S3Error) -> S3Client {
        S3Client(configuration: try S3Configuration.fromEnvironment())
    }
}
