import TBKitCommands

// `tbkit`: every command, on local and s3:// log directories, archives included.
EntryPoint.main()
