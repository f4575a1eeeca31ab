// swift-tools-version:6.0
import PackageDescription

// Benchmarks live in their own package so the main build never pays for them.
// Each executable is driven by a script beside it that also runs the Python peers.
let package = Package(
    name: "LifestyleBenchmarks",
    dependencies: [
        .package(path: "../"),
    ],
    targets: [
        .executableTarget(
            name: "SegmentationBench",
            dependencies: [.product(name: "LifestyleText", package: "main")],
            path: "Sources/SegmentationBench"),
        .executableTarget(
            name: "TextBench",
            dependencies: [
                .product(name: "LifestyleText", package: "main"),
                .product(name: "LifestyleVectors", package: "main"),
            ],
            path: "Sources/TextBench"),
        .executableTarget(
            name: "KMeansBench",
            dependencies: [
                .product(name: "LifestyleText", package: "main"),
                .product(name: "LifestyleVectors", package: "main"),
                .product(name: "LifestyleClustering", package: "main"),
            ],
            path: "Sources/KMeansBench"),
    ],
    swiftLanguageModes: [.v6]
)
