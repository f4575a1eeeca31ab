import Testing
@testable import LifestyleClustering
import LifestyleVectors

/// The same seed gives bit-identical centroids and labels with 1 or 2 threads: chunk boundaries
/// are fixed and every reduction runs in chunk order.
@Suite(.serialized) struct KMeansDeterminismTests {
    @Test(arguments: KMeans.Initialization.allCases)
    func sparseSphericalIsThreadIndependent(initialization: KMeans.Initialization) throws {
        let x = randomTopicMatrix(rows: 1500, columns: 200, topics: 7, perRow: 10, seed: 21)
        let one = try KMeans(.init(k: 7, restarts: 2, seed: 42, initialization: initialization, threads: 1)).fit(x)
        let two = try KMeans(.init(k: 7, restarts: 2, seed: 42, initialization: initialization, threads: 2)).fit(x)
        #expect(one.labels == two.labels)
        #expect(one.centroids.map(\.bitPattern) == two.centroids.map(\.bitPattern))
        #expect(one.objective.bitPattern == two.objective.bitPattern)
        #expect(one.history.map(\.objective) == two.history.map(\.objective))
    }

    @Test func denseLloydIsThreadIndependent() throws {
        var rng = SeededGenerator(seed: 3)
        let rows = (0..<1200).map { i in (0..<16).map { j in Float(rng.nextGaussian()) + Float((i % 5) == j % 5 ? 4 : 0) } }
        let x = DenseMatrix(rows)
        let one = try KMeans(.init(k: 5, restarts: 2, seed: 7, algorithm: .lloyd, threads: 1)).fit(x)
        let two = try KMeans(.init(k: 5, restarts: 2, seed: 7, algorithm: .lloyd, threads: 2)).fit(x)
        #expect(one.labels == two.labels)
        #expect(one.centroids.map(\.bitPattern) == two.centroids.map(\.bitPattern))
        #expect(samePartition(one.labels, (0..<1200).map { Int32($0 % 5) }))
    }

    @Test func boundPruningGivesPlainLloyd() throws {
        // Hamerly's bounds only skip work: labels and centroids equal plain Lloyd's, round by round.
        var rng = SeededGenerator(seed: 11)
        let rows = (0..<3000).map { i in (0..<24).map { j in Float(rng.nextGaussian()) + Float((i % 9) == j % 9 ? 2.5 : 0) } }
        let x = DenseMatrix(rows)
        for k in [2, 9, 20] {
            let plain = try KMeans(.init(k: k, maxIterations: 50, seed: 4, algorithm: .lloyd, threads: 2, boundPruning: false)).fit(x)
            let pruned = try KMeans(.init(k: k, maxIterations: 50, seed: 4, algorithm: .lloyd, threads: 2, boundPruning: true)).fit(x)
            #expect(plain.labels == pruned.labels, "k=\(k)")
            #expect(plain.centroids == pruned.centroids, "k=\(k)")
            #expect(plain.iterations == pruned.iterations)
            #expect(plain.history.map(\.changedLabels) == pruned.history.map(\.changedLabels))
            #expect(plain.objective == pruned.objective)
        }
    }

    @Test func boundPruningReseedsLikePlainLloyd() throws {
        // Seven points, each repeated: random starts often put two centres on one point, the
        // second centre's cluster empties and is re-seeded from the farthest rows, which the
        // bounded fit must see with exact distances.
        var rng = SeededGenerator(seed: 12)
        let points = (0..<7).map { _ in (0..<6).map { _ in Float(rng.nextGaussian()) * 3 } }
        let x = DenseMatrix((0..<700).map { i in points[i % 7].map { $0 + Float((i / 7) % 5) * 0.01 } })
        var reseededFits = 0
        for k in [5, 6, 9] {
            for seed in UInt64(1)...6 {
                let plain = try KMeans(.init(k: k, maxIterations: 50, seed: seed, initialization: .random, algorithm: .lloyd, threads: 2, boundPruning: false)).fit(x)
                let pruned = try KMeans(.init(k: k, maxIterations: 50, seed: seed, initialization: .random, algorithm: .lloyd, threads: 2, boundPruning: true)).fit(x)
                #expect(plain.history.map(\.reseeded) == pruned.history.map(\.reseeded), "k=\(k) seed \(seed)")
                #expect(plain.labels == pruned.labels, "k=\(k) seed \(seed)")
                #expect(plain.centroids == pruned.centroids, "k=\(k) seed \(seed)")
                if plain.history.dropFirst().contains(where: { $0.reseeded > 0 }) { reseededFits += 1 }
            }
        }
        #expect(reseededFits > 0, "no fit re-seeded after its first round")
    }

    @Test func seedsDiffer() throws {
        let x = randomTopicMatrix(rows: 400, columns: 100, topics: 5, perRow: 8, seed: 2)
        let a = try KMeans(.init(k: 5, seed: 1, initialization: .random)).fit(x)
        let b = try KMeans(.init(k: 5, seed: 1, initialization: .random)).fit(x)
        #expect(a.centroids == b.centroids)
    }
}
