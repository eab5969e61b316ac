// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TBKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TBKit", targets: ["TBKit"]),
        .library(name: "InitLab", targets: ["InitLab"]),
        .library(name: "TBKitReport", targets: ["TBKitReport"]),
        .executable(name: "tbkit", targets: ["tbkit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // libz: deflate/inflate for PNG, gzip and tar.gz.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Small C shims for CPU instructions Swift cannot name directly (hardware CRC32C).
        .target(name: "CTBKitSupport", path: "Sources/CTBKitSupport"),
        .target(
            name: "TBKit",
            dependencies: ["CZlib", "CTBKitSupport"],
            path: "Sources/TBKit"
        ),
        // The one-file HTML report of a logdir (`tbkit report`, and report.html in archives).
        .target(name: "TBKitReport", dependencies: ["TBKit"], path: "Sources/TBKitReport"),
        .target(
            name: "InitLab",
            dependencies: ["TBKit", "CZlib"],
            path: "Sources/InitLab",
            resources: [.copy("Resources/mnist-5k")]
        ),
        .executableTarget(
            name: "tbkit",
            dependencies: [
                "TBKit",
                "TBKitReport",
                "InitLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/tbkit"
        ),
        .testTarget(name: "TBKitTests", dependencies: ["TBKit"], path: "Tests/TBKitTests"),
        .testTarget(name: "TBKitReportTests", dependencies: ["TBKitReport", "TBKit"], path: "Tests/TBKitReportTests"),
        .testTarget(name: "InitLabTests", dependencies: ["InitLab", "TBKit"], path: "Tests/InitLabTests"),
    ]
)
