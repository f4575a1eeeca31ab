import Testing
@testable import LifestyleClustering
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// Agreement and cohesion scores against values computed by hand / by scikit-learn's formulas.
@Suite struct ClusterQualityTests {
    @Test func adjustedRandIndex() {
        #expect(ClusterQuality.adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]) == 1)
        // sklearn.metrics.adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285714 (scikit-learn 1.9.1)
        #expect(abs(ClusterQuality.adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]) - 0.5714285714285715) < 1e-12)
        // adjusted_rand_score([0,0,0,1,1,1],[0,1,2,0,1,2]) = -0.36363636363636365
        #expect(abs(ClusterQuality.adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2]) + 0.36363636363636365) < 1e-12)
        // Excluded rows (−1) are ignored.
        #expect(ClusterQuality.adjustedRandIndex([0, -1, 1, 1, 0], [5, 3, 7, 7, 5]) == 1)
    }

    @Test func normalizedMutualInformation() {
        #expect(abs(ClusterQuality.normalizedMutualInformation([0, 0, 1, 1], [1, 1, 0, 0]) - 1) < 1e-12)
        // normalized_mutual_info_score([0,0,1,1],[0,0,1,2]) = 0.8
        #expect(abs(ClusterQuality.normalizedMutualInformation([0, 0, 1, 1], [0, 0, 1, 2]) - 0.8) < 1e-12)
        #expect(abs(ClusterQuality.normalizedMutualInformation([0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2])) < 1e-12)
    }

    @Test func cosineSilhouetteMatchesTheDefinition() {
        // Brute force: mean over rows of (b − a)/max(a, b) with cosine distances.
        let x = randomTopicMatrix(rows: 90, columns: 30, topics: 3, perRow: 6, seed: 4)
        let labels = (0..<90).map { Int32($0 % 3) }
        let rows = x.dense()
        func dist(_ i: Int, _ j: Int) -> Double { 1 - zip(rows[i], rows[j]).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
        var total = 0.0
        for i in 0..<90 {
            var mean = [Double](repeating: 0, count: 3), count = [Double](repeating: 0, count: 3)
            for j in 0..<90 where j != i { mean[Int(labels[j])] += dist(i, j); count[Int(labels[j])] += 1 }
            let own = Int(labels[i])
            let a = mean[own] / count[own]
            let b = (0..<3).filter { $0 != own }.map { mean[$0] / count[$0] }.min()!
            total += (b - a) / max(a, b)
        }
        let fast = ClusterQuality.cosineSilhouette(x, labels: labels, k: 3)
        #expect(abs(fast - total / 90) < 1e-5)
        let dense = ClusterQuality.cosineSilhouette(DenseMatrix(rows), labels: labels, k: 3)
        #expect(abs(dense - total / 90) < 1e-5)
    }

    @Test func chooseKFindsTheTopicCount() throws {
        let x = randomTopicMatrix(rows: 600, columns: 120, topics: 5, perRow: 12, seed: 8)
        let result = try ChooseK(.init(ks: [2, 3, 4, 5, 6, 8], runs: 2, seed: 1, silhouetteSample: 300, threads: 2)).evaluate(x)
        #expect(result.recommended == 5, "\(result.candidates.map { ($0.k, $0.silhouette, $0.stability) })")
        #expect(result.candidates.map(\.objective) == result.candidates.map(\.objective).sorted(by: >))
        #expect(throws: ConfigurationError("k=1 should be >= 2 when choosing k (a silhouette needs two clusters)")) {
            _ = try ChooseK(.init(ks: [1, 2]))
        }
    }

    @Test func chooseKSaysWhenNothingStandsOut() throws {
        // Uniform noise: no k is clearly better.
        var rng = SeededGenerator(seed: 5)
        let rows = (0..<300).map { _ in (0..<20).map { _ in Float(rng.nextUniform()) } }
        let result = try ChooseK(.init(ks: [2, 3, 4], runs: 2, seed: 2, silhouetteSample: 300, margin: 0.05, threads: 1)).evaluate(DenseMatrix(rows))
        #expect(!result.clear, "\(result.explanation)")
    }

    /// Progress for a bar: k-means reports rounds up to restarts × maxIterations, choose-k its fits.
    @Test func kMeansAndChooseKReportProgress() throws {
        var rng = SeededGenerator(seed: 9)
        let rows = (0..<200).map { _ in (0..<8).map { _ in Float(rng.nextUniform()) } }
        let seen = Locked([Int]())
        let kmeans = try KMeans(.init(k: 3, restarts: 2, maxIterations: 50, seed: 1, threads: 1)).reporting { v in seen.withLock { $0.append(v) } }
        let model = try kmeans.fit(DenseMatrix(rows))
        let values = seen.withLock { $0 }
        #expect(values == values.sorted() && values.last == 100 && values.count > 2)
        #expect(model.labels == (try KMeans(.init(k: 3, restarts: 2, maxIterations: 50, seed: 1, threads: 1)).fit(DenseMatrix(rows))).labels)
        let fits = Locked([Int]())
        var chooser = try ChooseK(.init(ks: [2, 3], runs: 2, seed: 2, silhouetteSample: 100, margin: 0.05, threads: 1))
        chooser.progress = { v in fits.withLock { $0.append(v) } }
        _ = try chooser.evaluate(DenseMatrix(rows))
        #expect(fits.withLock { $0 } == [1, 2, 3, 4])
    }
}
