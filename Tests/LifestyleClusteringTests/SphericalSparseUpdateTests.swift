import Testing
@testable import LifestyleClustering
import LifestyleCore
import LifestyleVectors

/// The incremental spherical CSR update (only changed rows move) against full updates every
/// iteration: same labels round by round, centres and shifts equal up to float rounding.
@Suite struct SphericalSparseUpdateTests {
    func run(_ x: CSRMatrix, k: Int, seed: UInt64, threads: Int, incremental: Bool) -> RunResult {
        fit(x, k: k, seed: seed, threads: threads, incremental: incremental).result
    }

    func fit(_ x: CSRMatrix, k: Int, seed: UInt64, threads: Int, incremental: Bool) -> (result: RunResult, incrementalUpdates: Int) {
        let input = SparseInput(x)
        let weights = RowWeights(input, spherical: true)
        let run = LloydRun(input: input, weights: weights, spherical: true, k: k, threads: threads, incremental: incremental)
        var rng = SeededGenerator.stream(seed: seed, index: 0)
        run.initialize(.init(k: k, seed: seed, initialization: .random), rng: &rng)
        let result = run.iterate(maxIterations: 30, tolerance: 0)
        return (result, run.sparseUpdate?.incrementalUpdates ?? 0)
    }

    @Test(arguments: [3, 12, 40])
    func incrementalMatchesFullUpdates(k: Int) throws {
        let x = randomTopicMatrix(rows: 3000, columns: 400, topics: 12, perRow: 14, seed: 5)
        let full = run(x, k: k, seed: 9, threads: 2, incremental: false)
        let (fast, moved) = fit(x, k: k, seed: 9, threads: 2, incremental: true)
        #expect(moved > 0)
        #expect(fast.labels == full.labels)
        #expect(fast.history.map(\.changedLabels) == full.history.map(\.changedLabels))
        let worst = zip(fast.centers, full.centers).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5)
        for (a, b) in zip(fast.history, full.history) {
            #expect(abs(a.centerShift - b.centerShift) <= 1e-5 * max(1, b.centerShift))
            #expect(abs(a.objective - b.objective) <= 1e-4 * b.objective)
        }
        #expect(abs(fast.objective - full.objective) <= 1e-6 * full.objective)
    }

    @Test func incrementalIsThreadIndependent() throws {
        let x = randomTopicMatrix(rows: 3000, columns: 400, topics: 12, perRow: 14, seed: 6)
        let one = run(x, k: 20, seed: 3, threads: 1, incremental: true)
        let two = run(x, k: 20, seed: 3, threads: 2, incremental: true)
        #expect(one.labels == two.labels)
        #expect(one.centers.map(\.bitPattern) == two.centers.map(\.bitPattern))
        #expect(one.history.map(\.centerShift) == two.history.map(\.centerShift))
    }

    @Test func duplicateRowsLeaveClustersEmpty() throws {
        // 5 distinct rows, k = 8: three clusters stay empty and keep their centres.
        let rows: [[Float]] = (0..<60).map { i in (0..<6).map { j in j == i % 5 ? 1 : (j == 5 ? 0.5 : 0) } }
        let x = csr(rows)
        let full = run(x, k: 8, seed: 1, threads: 2, incremental: false)
        let fast = run(x, k: 8, seed: 1, threads: 2, incremental: true)
        #expect(fast.labels == full.labels)
        #expect(fast.sizes.filter { $0 == 0 }.count == 3)
        #expect(zip(fast.centers, full.centers).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}

/// The CSR gather kernel against exact dot products for every tile combination of the table
/// stride (k rounded up to 4: tiles of 32, 16, 12, 8 and 4 columns).
@Suite struct SparseGatherTests {
    @Test func dotsMatchExactProductsForEveryWidth() throws {
        let x = randomTopicMatrix(rows: 300, columns: 90, topics: 6, perRow: 15, seed: 4)
        let input = SparseInput(x)
        var rng = SeededGenerator(seed: 12)
        for k in 1...41 {
            let d = x.columns
            let centers = (0..<(k * d)).map { _ in Float(rng.nextUniform()) - 0.5 }
            var aux = [Float](repeating: 0, count: input.auxiliaryCount(k: k))
            var out = [Float](repeating: 0, count: x.rows * k)
            centers.withUnsafeBufferPointer { c in
                aux.withUnsafeMutableBufferPointer { a in
                    _ = input.refreshAuxiliary(centers: c.baseAddress!, k: k, aux: a.baseAddress!, threads: 1)
                    out.withUnsafeMutableBufferPointer { o in
                        input.dots(0..<x.rows, centers: c.baseAddress!, aux: a.baseAddress!, k: k, out: o.baseAddress!)
                    }
                }
                var worst = 0.0
                for i in 0..<x.rows {
                    for cl in 0..<k {
                        worst = max(worst, abs(Double(out[i * k + cl]) - input.exactDot(row: i, c.baseAddress! + cl * d)))
                    }
                }
                #expect(worst < 1e-5, "k=\(k)")
            }
        }
    }
}
