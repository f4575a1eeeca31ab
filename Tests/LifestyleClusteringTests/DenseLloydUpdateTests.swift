import Testing
@testable import LifestyleClustering
import LifestyleCore

/// Dense Lloyd's centre update from Double sums that only the changed rows move, against
/// rebuilding every sum each round: the same labels round by round and the same centres; the
/// same bits for 1 and 2 threads (rows go in fixed pieces combined in order); empty clusters keep their centres.
@Suite struct DenseLloydUpdateTests {
    static func blobs(rows: Int, d: Int, groups: Int, spread: Float, seed: UInt64) -> DenseMatrix {
        var rng = SeededGenerator(seed: seed)
        return DenseMatrix((0..<rows).map { i in (0..<d).map { j in Float(rng.nextGaussian()) + ((i % groups) == j % groups ? spread : 0) } })
    }

    func fit(_ x: DenseMatrix, k: Int, seed: UInt64, threads: Int, incremental: Bool, pruning: Bool = false) -> (result: RunResult, moved: Int) {
        let input = DenseInput(x)
        let run = LloydRun(input: input, weights: RowWeights(input, spherical: false), spherical: false, k: k, threads: threads,
                           pruning: pruning, incremental: incremental)
        var rng = SeededGenerator.stream(seed: seed, index: 0)
        run.initialize(.init(k: k, seed: seed, initialization: .random, algorithm: .lloyd), rng: &rng)
        let result = run.iterate(maxIterations: 40, tolerance: 0)
        return (result, run.denseUpdate?.incrementalUpdates ?? 0)
    }

    @Test(arguments: [3, 12, 40])
    func movedSumsMatchRebuiltSums(k: Int) {
        // Overlapping blobs: many rounds in which a few percent of the rows change.
        let x = Self.blobs(rows: 4000, d: 37, groups: 12, spread: 1.2, seed: 5)
        let (full, none) = fit(x, k: k, seed: 9, threads: 2, incremental: false)
        let (fast, moved) = fit(x, k: k, seed: 9, threads: 2, incremental: true)
        #expect(none == 0)
        #expect(moved > 0, "no round moved rows instead of rebuilding")
        #expect(fast.labels == full.labels)
        #expect(fast.history.map(\.changedLabels) == full.history.map(\.changedLabels))
        let worst = zip(fast.centers, full.centers).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-6)
        #expect(abs(fast.objective - full.objective) <= 1e-9 * full.objective)
    }

    @Test func movedSumsAreThreadIndependent() {
        let x = Self.blobs(rows: 3000, d: 48, groups: 9, spread: 1.5, seed: 6)
        for pruning in [false, true] {
            let (one, moved) = fit(x, k: 20, seed: 3, threads: 1, incremental: true, pruning: pruning)
            let (two, _) = fit(x, k: 20, seed: 3, threads: 2, incremental: true, pruning: pruning)
            #expect(moved > 0)
            #expect(one.labels == two.labels)
            #expect(one.centers.map(\.bitPattern) == two.centers.map(\.bitPattern))
            #expect(one.history.map(\.centerShift) == two.history.map(\.centerShift))
        }
    }

    @Test func centresAreTheMeansOfTheirRows() {
        let x = Self.blobs(rows: 2500, d: 20, groups: 6, spread: 1.0, seed: 8)
        let (result, moved) = fit(x, k: 6, seed: 2, threads: 2, incremental: true)
        #expect(moved > 0)
        // The last round's centres are the exact means of the labels that produced them; the run
        // ends with no change, so those are also the final labels.
        #expect(result.history.last?.changedLabels == 0)
        for c in 0..<6 {
            let members = result.labels.indices.filter { result.labels[$0] == Int32(c) }
            for j in 0..<20 {
                let mean = members.reduce(0.0) { $0 + Double(x.values[$1 * 20 + j]) } / Double(members.count)
                #expect(result.centers[c * 20 + j] == Float(mean), "cluster \(c) column \(j)")
            }
        }
    }

    @Test func duplicateRowsLeaveClustersEmpty() {
        // 5 distinct rows, k = 8: three clusters stay empty and keep their centres.
        let x = DenseMatrix((0..<60).map { i in (0..<6).map { j in j == i % 5 ? 1 : (j == 5 ? 0.5 : 0) } })
        let (full, _) = fit(x, k: 8, seed: 1, threads: 2, incremental: false)
        let (fast, _) = fit(x, k: 8, seed: 1, threads: 2, incremental: true)
        #expect(fast.labels == full.labels)
        #expect(fast.sizes.filter { $0 == 0 }.count == 3)
        #expect(fast.centers == full.centers)
    }

    /// Large k·d (two pieces instead of four), driven directly: moved rows (partitioned and direct)
    /// against a rebuild and against means in Double; 1 and 2 threads give the same bits.
    @Test func largeCentreTablesUseFewerPiecesAndAgree() {
        let n = 2000, k = 1000, d = 1100
        #expect(k * d > 1 << 20)
        var rng = SeededGenerator(seed: 31)
        let x = DenseMatrix(rows: n, columns: d, values: ContiguousArray((0..<(n * d)).map { _ in Float(rng.nextGaussian()) }))
        let input = DenseInput(x)
        let first = (0..<n).map { i in i % 97 == 5 ? Int32(-1) : Int32(rng.nextInt(below: k)) }
        var second = first
        for i in stride(from: 3, to: n, by: 3) where second[i] >= 0 { second[i] = Int32(rng.nextInt(below: k)) }   // ≈ 660 moved: pieces
        var third = second
        for i in stride(from: 7, to: n, by: 50) where third[i] >= 0 { third[i] = Int32(rng.nextInt(below: k)) }    // ≈ 40 moved: direct
        func run(threads: Int, incremental: Bool) -> [[Float]] {
            let update = DenseLloydUpdate(rows: n, k: k, d: d)
            #expect(update.partitions == 2)
            var centers = [Float](repeating: 0, count: k * d)
            var out: [[Float]] = []
            for labels in [first, second, third] {
                labels.withUnsafeBufferPointer { l in
                    centers.withUnsafeMutableBufferPointer { c in
                        _ = update.update(input, labels: l.baseAddress!, centers: c.baseAddress!, threads: threads, incremental: incremental)
                    }
                }
                out.append(centers)
            }
            #expect(update.incrementalUpdates == (incremental ? 2 : 0))
            return out
        }
        let one = run(threads: 1, incremental: true), two = run(threads: 2, incremental: true), rebuilt = run(threads: 2, incremental: false)
        #expect(one.map { $0.map(\.bitPattern) } == two.map { $0.map(\.bitPattern) })
        for (a, b) in zip(two, rebuilt) { #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }) }
        // Means in Double for a few clusters of the last labels.
        for c in [0, 17, 999] {
            let members = third.indices.filter { third[$0] == Int32(c) }
            guard !members.isEmpty else { continue }
            for j in [0, 550, 1099] {
                let mean = members.reduce(0.0) { $0 + Double(x.values[$1 * d + j]) } / Double(members.count)
                #expect(abs(Double(two[2][c * d + j]) - mean) <= 1e-6 * max(1, abs(mean)))
            }
        }
    }
}
