// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TBKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TBKit", targets: ["TBKit"]),
        .library(name: "TBKitParquet", targets: ["TBKitParquet"]),
        .library(name: "TBKitArchive", targets: ["TBKitArchive"]),
        .library(name: "InitLab", targets: ["InitLab"]),
        .library(name: "TBKitReport", targets: ["TBKitReport"]),
        .library(name: "TBKitS3", targets: ["TBKitS3"]),
        .executable(name: "tbkit", targets: ["tbkit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // libz: deflate/inflate (PNG's IDAT, MNIST's .gz, the archives' .tar.gz), wrapped once in
        // TBKit's Compression folder.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // OpenSSL's libcrypto: SHA-256 and HMAC-SHA256 where CryptoKit is missing (Linux), wrapped
        // once in TBKitCrypto.
        .systemLibrary(
            name: "CLibCrypto",
            path: "Sources/CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .yum(["openssl-devel"])]
        ),
        // SHA-256 (archive manifests, SigV4 payload hashes) and HMAC-SHA256 (SigV4 signing keys)
        // from the platform: CryptoKit on Apple platforms, libcrypto elsewhere.
        .target(
            name: "TBKitCrypto",
            dependencies: [
                .target(name: "CLibCrypto", condition: .when(platforms: [.linux, .android]))
            ],
            path: "Sources/TBKitCrypto"
        ),
        // Small C shims for CPU instructions Swift cannot name directly (hardware CRC32C).
        .target(name: "CTBKitSupport", path: "Sources/CTBKitSupport"),
        // Writing and reading event files: all a training program needs.
        .target(
            name: "TBKit",
            dependencies: [
                "CZlib", "CTBKitSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Sources/TBKit"
        ),
        // Scalars and histograms as Parquet files (`tbkit export --format parquet`), written by a
        // small Parquet writer of our own. Apart from TBKit, so it compiles beside the other
        // libraries that depend on TBKit (on another core) rather than inside TBKit.
        .target(
            name: "TBKitParquet",
            dependencies: [
                "TBKit",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Sources/TBKitParquet"
        ),
        // Runs grouped across seeds: mean and t confidence bands (`tbkit aggregate`), group
        // comparisons (`tbkit compare --group-by`, the report's groups). Apart from TBKit, as
        // TBKitParquet is.
        .target(name: "TBKitAggregation", dependencies: ["TBKit"], path: "Sources/TBKitAggregation"),
        // Log directories as deterministic .tar.gz archives with a SHA-256 manifest, and their
        // verified extraction.
        .target(
            name: "TBKitArchive",
            dependencies: [
                "TBKit", "TBKitCrypto",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Sources/TBKitArchive"
        ),
        // The one-file HTML report of a logdir (`tbkit report`, and report.html in archives).
        .target(name: "TBKitReport", dependencies: ["TBKit", "TBKitAggregation"], path: "Sources/TBKitReport"),
        // S3-compatible object storage for logdirs and archives (SigV4, URLSession). Kept apart so
        // TBKit itself links no network code; it plugs in through TBKit's remote logdir registry.
        // The S3 protocol itself (client, SigV4, XML, multipart uploads), with neither TBKit nor
        // swift-system: ready as soon as TBKitCrypto is, the first release build compiles it
        // while swift-system compiles, off the path to TBKit. TBKitS3 re-exports it.
        .target(
            name: "TBKitS3Core",
            dependencies: ["TBKitCrypto"],
            path: "Sources/TBKitS3Core"
        ),
        .target(
            name: "TBKitS3",
            dependencies: [
                "TBKit", "TBKitS3Core", "TBKitCrypto", .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Sources/TBKitS3"
        ),
        // The lab's model, maths and run options: no TBKit, so it compiles while TBKit does (the
        // first release build's longest step). InitLab re-exports it.
        .target(
            name: "InitLabCore",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            path: "Sources/InitLabCore"
        ),
        .target(
            name: "InitLab",
            dependencies: ["InitLabCore", "TBKit", .product(name: "SystemPackage", package: "swift-system")],
            path: "Sources/InitLab",
            resources: [.copy("Resources/mnist-5k")]
        ),
        // The command line's commands, archives and object storage included. It is glue over the
        // libraries (the work is theirs, built optimized), so it is compiled without optimization
        // even in release builds: that takes about 20 s off the first
        // `swift run -c release tbkit train` on two cores. `-Xcc -Os` hands the C importer the
        // options every optimized module gives it, so this module reuses their precompiled C
        // modules (Glibc, zlib, Foundation's shims) instead of building its own set, which took
        // 2-3 s at the very end of that build. It is no product, so packages that depend on
        // TBKit's libraries never meet the flags.
        .target(
            name: "TBKitCommands",
            dependencies: [
                "TBKit",
                "TBKitParquet",
                "TBKitAggregation",
                "TBKitArchive",
                "TBKitReport",
                "TBKitS3",
                "InitLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Sources/TBKitCommands",
            swiftSettings: [.unsafeFlags(["-Onone", "-Xcc", "-Os"], .when(configuration: .release))]
        ),
        // `tbkit`: the one executable, every subcommand (local and s3:// logdirs, archives, bench).
        .executableTarget(name: "tbkit", dependencies: ["TBKitCommands"], path: "Sources/tbkit"),
        // Helpers the test targets share: one temporary directory type, the fixture files.
        .target(name: "TBKitTestSupport", dependencies: ["TBKit"], path: "Tests/TBKitTestSupport"),
        .testTarget(
            name: "TBKitTests",
            dependencies: ["TBKit", "TBKitTestSupport"],
            path: "Tests/TBKitTests",
            exclude: ["Fixtures"]
        ),
        // Runs the built `tbkit` binary (a dependency, so it is always built first).
        .testTarget(
            name: "TBKitCLITests",
            dependencies: ["tbkit", "TBKitTestSupport"],
            path: "Tests/TBKitCLITests"
        ),
        .testTarget(
            name: "TBKitReportTests", dependencies: ["TBKitReport", "TBKit", "TBKitTestSupport"],
            path: "Tests/TBKitReportTests"),
        .testTarget(
            name: "TBKitS3Tests", dependencies: ["TBKitS3", "TBKitS3Core", "TBKit", "TBKitTestSupport"], path: "Tests/TBKitS3Tests"),
        .testTarget(
            name: "TBKitParquetTests", dependencies: ["TBKitParquet", "TBKit"], path: "Tests/TBKitParquetTests"),
        .testTarget(
            name: "TBKitAggregationTests", dependencies: ["TBKitAggregation", "TBKit", "TBKitTestSupport"],
            path: "Tests/TBKitAggregationTests"),
        // Archives and their gzip streams: apart, so TBKitTests compiles no crypto or archive code.
        .testTarget(
            name: "TBKitArchiveTests",
            dependencies: ["TBKitArchive", "TBKit", "TBKitCrypto", "TBKitTestSupport"],
            path: "Tests/TBKitArchiveTests"
        ),
        .testTarget(name: "TBKitCryptoTests", dependencies: ["TBKitCrypto"], path: "Tests/TBKitCryptoTests"),
        .testTarget(
            name: "InitLabTests", dependencies: ["InitLab", "InitLabCore", "TBKit", "TBKitTestSupport"], path: "Tests/InitLabTests"),
    ]
)
