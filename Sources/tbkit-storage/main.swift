import TBKitArchive
import TBKitCommands

// `tbkit-storage`: the whole `tbkit` command line, with archives (TBKitArchive) and S3-compatible
// object storage (TBKitS3). `tbkit` runs it for archive, extract, bench and s3:// arguments.
Storage.install(ArchiveAndObjectStorage())
ArchiveLogSource.register()
EntryPoint.main()
