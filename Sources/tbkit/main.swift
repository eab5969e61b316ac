import TBKitCommands

// `tbkit`: every command on local log directories. Archives, extraction, the bench and s3://
// locations run in `tbkit-storage`, which links swift-crypto (an exec, same command line).
StorageForwarding.forwardIfNeeded()
EntryPoint.main()
