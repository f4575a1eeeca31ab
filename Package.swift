// swift-tools-version:6.0
import PackageDescription

// Stage modules depend one way: Core → Text → Vectors → (clustering → lookalike, later) → CLI.
let package = Package(
    name: "Lifestyle",
    products: [
        .library(name: "LifestyleText", targets: ["LifestyleText"]),
        .library(name: "LifestyleVectors", targets: ["LifestyleVectors"]),
        .executable(name: "lifestyle", targets: ["LifestyleCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "pkg-config"])]),
        .systemLibrary(
            name: "CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "pkg-config"])]),
        .target(name: "LifestyleCore"),
        .target(name: "LifestyleText", dependencies: ["LifestyleCore"]),
        .target(name: "LifestyleVectors", dependencies: ["LifestyleCore", "LifestyleText", "CBLAS"]),
        .executableTarget(
            name: "LifestyleCLI",
            dependencies: [
                "LifestyleCore", "LifestyleText", "LifestyleVectors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "LifestyleCoreTests", dependencies: ["LifestyleCore"]),
        .testTarget(name: "LifestyleTextTests", dependencies: ["LifestyleText"]),
        .testTarget(name: "LifestyleVectorsTests", dependencies: ["LifestyleVectors", "CBLAS", "CLAPACKE"], exclude: ["Fixtures"]),
        .testTarget(name: "LifestyleCLITests", dependencies: ["LifestyleCore"]),
    ],
    swiftLanguageModes: [.v6]
)
