// swift-tools-version:6.0
import PackageDescription

// Benchmarks live in their own package so the main build never pays for them.
// Each executable is driven by a script beside it that also runs the Python peers.

// A path dependency is known by its directory's name, whatever a clone is called.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main")

let package = Package(
    name: "LifestyleBenchmarks",
    dependencies: [
        .package(path: "../"),
    ],
    targets: [
        .executableTarget(
            name: "SegmentationBench",
            dependencies: [.product(name: "LifestyleText", package: root)],
            path: "Sources/SegmentationBench"),
        .executableTarget(
            name: "TextBench",
            dependencies: [
                .product(name: "LifestyleText", package: root),
                .product(name: "LifestyleVectors", package: root),
            ],
            path: "Sources/TextBench"),
        .executableTarget(
            name: "KMeansBench",
            dependencies: [
                .product(name: "LifestyleText", package: root),
                .product(name: "LifestyleVectors", package: root),
                .product(name: "LifestyleClustering", package: root),
            ],
            path: "Sources/KMeansBench"),
    ],
    swiftLanguageModes: [.v6]
)
