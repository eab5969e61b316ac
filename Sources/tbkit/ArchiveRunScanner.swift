import TBKit

/// The per-run part of an archive manifest (tags and step ranges). Not wired yet: the archive's
/// manifest carries files only until event-file reading is available.
enum ArchiveRunScanner {
    static let scanner: LogArchiver.RunScanner? = nil
}
