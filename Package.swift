// swift-tools-version:6.0
import PackageDescription

// Hot loops are generic over token sinks that live in the next stage's module; aggressive
// cross-module optimisation lets the compiler specialise them there (without it every token
// goes through a witness table, about 3× slower).
let optimized: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

// Stage modules depend one way: Core → Text → Vectors → (clustering → lookalike, later) → CLI.
let package = Package(
    name: "Lifestyle",
    products: [
        .library(name: "LifestyleText", targets: ["LifestyleText"]),
        .library(name: "LifestyleVectors", targets: ["LifestyleVectors"]),
        .library(name: "LifestyleClustering", targets: ["LifestyleClustering"]),
        .library(name: "LifestyleCRM", targets: ["LifestyleCRM"]),
        .library(name: "LifestyleLookalike", targets: ["LifestyleLookalike"]),
        .executable(name: "lifestyle", targets: ["LifestyleCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "pkg-config"])]),
        .systemLibrary(
            name: "CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "pkg-config"])]),
        .target(name: "CLifestyleShims", cSettings: [.unsafeFlags(["-O2", "-fno-math-errno"])]),
        .target(name: "LifestyleCore", swiftSettings: optimized),
        .target(name: "LifestyleText", dependencies: ["LifestyleCore"], swiftSettings: optimized),
        // Vectors needs no BLAS: linking OpenBLAS starts its idle server threads, which spin on the
        // other core for a while and slow the text stage's own threads down.
        .target(name: "LifestyleVectors", dependencies: ["LifestyleCore", "LifestyleText", "CLifestyleShims"], swiftSettings: optimized),
        .target(
            name: "LifestyleClustering",
            dependencies: ["LifestyleCore", "LifestyleText", "LifestyleVectors", "CBLAS", "CLAPACKE", "CLifestyleShims"],
            swiftSettings: optimized),
        // CRM side of the loop: purchases, accounts, prospects, RFM and quality-customer selection.
        .target(name: "LifestyleCRM", dependencies: ["LifestyleCore"], swiftSettings: optimized),
        // The S-CRM loop: lifestyle clusters of quality customers, cards, purchase likelihood,
        // evaluation, the model directory.
        .target(
            name: "LifestyleLookalike",
            dependencies: [
                "LifestyleCore", "LifestyleCRM", "LifestyleText", "LifestyleVectors", "LifestyleClustering", "CBLAS", "CLifestyleShims",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimized),
        .executableTarget(
            name: "LifestyleCLI",
            dependencies: [
                "LifestyleCore", "LifestyleText", "LifestyleVectors", "LifestyleClustering",
                "LifestyleCRM", "LifestyleLookalike",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "LifestyleCoreTests", dependencies: ["LifestyleCore"]),
        .testTarget(name: "LifestyleTextTests", dependencies: ["LifestyleText"]),
        .testTarget(name: "LifestyleVectorsTests", dependencies: ["LifestyleVectors"], exclude: ["Fixtures"]),
        .testTarget(name: "LifestyleClusteringTests", dependencies: ["LifestyleClustering", "LifestyleVectors", "CBLAS", "CLifestyleShims"], exclude: ["Fixtures"]),
        .testTarget(name: "LifestyleCRMTests", dependencies: ["LifestyleCRM"]),
        .testTarget(name: "LifestyleLookalikeTests", dependencies: ["LifestyleLookalike", "LifestyleCRM", "LifestyleVectors"]),
        .testTarget(name: "LifestyleCLITests", dependencies: ["LifestyleCore"]),
    ],
    swiftLanguageModes: [.v6]
)
