import Testing
@testable import LifestyleClustering
import LifestyleCore
import LifestyleText
import LifestyleVectors

@Suite struct MiniBatchKMeansTests {
    let x = randomTopicMatrix(rows: 2000, columns: 120, topics: 4, perRow: 12, seed: 17)
    var truth: [Int32] { (0..<2000).map { Int32($0 % 4) } }

    @Test func fitFindsTheTopics() throws {
        let model = try MiniBatchKMeans(.init(k: 4, batchSize: 200, steps: 40, seed: 3, threads: 2)).fit(x)
        #expect(ClusterQuality.adjustedRandIndex(model.labels, truth) > 0.95)
        // Within 5% of the full-batch objective (mini-batch trades a little quality for bounded memory).
        let full = try KMeans(.init(k: 4, restarts: 2, seed: 3, threads: 2)).fit(x)
        #expect(model.objective <= full.objective * 1.05, "mini-batch \(model.objective) vs full \(full.objective)")
    }

    @Test func partialFitStreamsBlocks() throws {
        let mb = try MiniBatchKMeans(.init(k: 4, seed: 5, threads: 1))
        var state: MiniBatchKMeans.State?
        for start in stride(from: 0, to: 2000, by: 250) {
            let block = SparseInput(x).subset(rows: Array(start..<(start + 250))).matrix
            state = try mb.partialFit(state, block)
        }
        #expect(state!.batches == 8)
        let absorbed: Double = state!.counts.reduce(0, +)
        #expect(absorbed == 2000)
        let model = KMeansModelProbe.predict(state!, x)
        #expect(ClusterQuality.adjustedRandIndex(model, truth) > 0.95)
        #expect(throws: InputError.self) { _ = try mb.partialFit(state, csr([[1, 0]])) }
    }

    @Test func threadIndependent() throws {
        let a = try MiniBatchKMeans(.init(k: 4, batchSize: 128, steps: 10, seed: 1, threads: 1)).fit(x)
        let b = try MiniBatchKMeans(.init(k: 4, batchSize: 128, steps: 10, seed: 1, threads: 2)).fit(x)
        #expect(a.centroids == b.centroids)
        #expect(a.labels == b.labels)
    }
}

/// Nearest centre by cosine for a state (tests only).
enum KMeansModelProbe {
    static func predict(_ s: MiniBatchKMeans.State, _ x: CSRMatrix) -> [Int32] {
        let rows = x.dense()
        return rows.map { r in
            var best = 0, top = -Float.infinity
            for c in 0..<s.k {
                let dot = (0..<s.dimension).reduce(Float(0)) { $0 + r[$1] * s.centroids[c * s.dimension + $1] }
                if dot > top { top = dot; best = c }
            }
            return Int32(best)
        }
    }
}
