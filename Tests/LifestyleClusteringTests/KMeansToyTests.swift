import Testing
@testable import LifestyleClustering
import LifestyleVectors

/// Hand-computed cases; labels compared up to permutation.
@Suite struct KMeansToyTests {
    @Test func twoPairsOnALine() throws {
        // Centres 0.5 and 10.5; every point is 0.5 away: inertia = 4 × 0.25 = 1.
        let x = DenseMatrix([[0], [1], [10], [11]])
        for initialization in KMeans.Initialization.allCases {
            let model = try KMeans(.init(k: 2, restarts: 3, seed: 1, initialization: initialization, algorithm: .lloyd, threads: 1)).fit(x)
            #expect(samePartition(model.labels, [0, 0, 1, 1]), "\(initialization)")
            #expect(abs(model.inertia - 1.0) < 1e-6)
            #expect(model.converged)
            #expect(Set(model.centroids) == [0.5, 10.5])
        }
    }

    @Test func sparseLloydToy() throws {
        // Two groups in 3-D; means (1, 0.5, 0) and (0, 0, 3); inertia = 2·0.25 + 2·1 = 2.5.
        let x = csr([[1, 0, 0], [1, 1, 0], [0, 0, 2], [0, 0, 4]])
        let model = try KMeans(.init(k: 2, restarts: 4, algorithm: .lloyd, threads: 1)).fit(x)
        #expect(samePartition(model.labels, [0, 0, 1, 1]))
        #expect(abs(model.inertia - 2.5) < 1e-6)
    }

    @Test func sphericalGroupsByDirectionNotLength() throws {
        // Directions x and y; lengths differ by 100×, cosine ignores them.
        let x = csr([[1, 0.1, 0], [100, 5, 0], [0.1, 1, 0], [3, 60, 0], [0, 0.02, 2]])
        let model = try KMeans(.init(k: 3, restarts: 2, seed: 3)).fit(x)
        #expect(samePartition(model.labels, [0, 0, 1, 1, 2]))
        // Centroids are unit vectors.
        for c in 0..<3 {
            let norm = model.centroid(c).reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        // Objective by hand: Σ(1 − cos) with the normalised mean directions.
        #expect(model.objective >= 0 && model.objective < 0.01)
        let sims = try model.transform(csr([[2, 0.1, 0]]))
        let best = (0..<3).max { sims[0, $0] < sims[0, $1] }!
        #expect(try model.predict(csr([[2, 0.1, 0]])) == [Int32(best)])
        #expect(sims[0, best] > 0.99)
    }

    @Test func sphericalObjectiveByHand() throws {
        // One cluster of two unit rows 90° apart: centroid (1,1)/√2, each cos = 1/√2.
        let x = csr([[1, 0], [0, 1]])
        let model = try KMeans(.init(k: 1)).fit(x)
        #expect(abs(model.objective - 2 * (1 - 0.5.squareRoot())) < 1e-6)
        #expect(abs(model.centroids[0] - 0.5.squareRoot().float) < 1e-6)
    }

    @Test func restartsKeepTheBestObjective() throws {
        let x = randomTopicMatrix(rows: 300, columns: 60, topics: 6, perRow: 8, seed: 5)
        let model = try KMeans(.init(k: 6, restarts: 4, seed: 9, initialization: .random, threads: 2)).fit(x)
        #expect(model.restartObjectives.count == 4)
        #expect(model.objective == model.restartObjectives.min())
        // Monotone objective along the history (Lloyd never increases it).
        for (a, b) in zip(model.history, model.history.dropFirst()) { #expect(b.objective <= a.objective + 1e-3) }
    }

    @Test func kMeansParallelFindsTheTopics() throws {
        let x = randomTopicMatrix(rows: 600, columns: 80, topics: 4, perRow: 12, seed: 11)
        let truth = (0..<600).map { Int32($0 % 4) }
        let model = try KMeans(.init(k: 4, restarts: 2, seed: 1, initialization: .kMeansParallel, threads: 2)).fit(x)
        #expect(samePartition(model.labels, truth))
    }
}

extension Double { var float: Float { Float(self) } }
