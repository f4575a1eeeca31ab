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

    /// k = 12 runs the fused AVX-512 assignment where the CPU has it, k = 20 the gather and the Swift scan.
    @Test(arguments: [12, 20])
    func incrementalIsThreadIndependent(k: Int) throws {
        let x = randomTopicMatrix(rows: 3000, columns: 400, topics: 12, perRow: 14, seed: 6)
        let one = run(x, k: k, seed: 3, threads: 1, incremental: true)
        let two = run(x, k: k, seed: 3, threads: 2, incremental: true)
        #expect(one.labels == two.labels)
        #expect(one.centers.map(\.bitPattern) == two.centers.map(\.bitPattern))
        #expect(one.history.map(\.centerShift) == two.history.map(\.centerShift))
    }

    /// Drives the update through full updates and moves (including a cluster that keeps a tenth
    /// of its rows, which must be a full update) and checks after each step: the table is the sums
    /// bit for bit, the sums are the rows' sums up to float rounding, 1/‖T_c‖ and the shift are
    /// what Double arithmetic on the sums gives.
    @Test func movesKeepTableSumsAndNormsExact() throws {
        let x = randomTopicMatrix(rows: 1500, columns: 300, topics: 8, perRow: 12, seed: 11)
        let input = SparseInput(x)
        let weights = RowWeights(input, spherical: true)
        let (n, d, k) = (x.rows, x.columns, 6)
        let kp = centerStride(k)
        var rng = SeededGenerator(seed: 4)
        var sums = [Float](repeating: 0, count: k * d)
        sums.withUnsafeMutableBufferPointer { s in
            for c in 0..<k { input.add(row: c * 101, scale: weights.scale[c * 101], to: s.baseAddress! + c * d) }   // unit rows
        }
        var table = [Float](repeating: 0, count: input.auxiliaryCount(k: k))
        let update = SphericalSparseUpdate(rows: n, d: d, k: k)
        sums.withUnsafeBufferPointer { s in
            table.withUnsafeMutableBufferPointer { t in _ = input.refreshAuxiliary(centers: s.baseAddress!, k: k, aux: t.baseAddress!, threads: 2) }
            update.reset(centers: s.baseAddress!)
        }
        var labels = (0..<n).map { i in weights.isIncluded(i) ? Int32(rng.nextInt(below: k)) : -1 }
        /// Σ_c ‖T_c/|T_c| − S_c/|S_c|‖² in Double.
        func unitShift(_ a: [Float], _ b: [Float]) -> Double {
            var total = 0.0
            for c in 0..<k {
                let ra = (0..<d).reduce(0.0) { $0 + Double(a[c * d + $1]) * Double(a[c * d + $1]) }.squareRoot()
                let rb = (0..<d).reduce(0.0) { $0 + Double(b[c * d + $1]) * Double(b[c * d + $1]) }.squareRoot()
                for j in 0..<d { let e = Double(a[c * d + j]) / ra - Double(b[c * d + j]) / rb; total += e * e }
            }
            return total
        }
        func step(_ name: String, moves: Bool) {
            let previous = sums
            let before = update.incrementalUpdates
            let shift = weights.scale.withUnsafeBufferPointer { scale in
                labels.withUnsafeBufferPointer { l in
                    table.withUnsafeMutableBufferPointer { t in
                        sums.withUnsafeMutableBufferPointer { s in
                            update.update(input, rowScale: scale.baseAddress!, labels: l.baseAddress!, table: t.baseAddress!, sums: s.baseAddress!, threads: 2)
                        }
                    }
                }
            }
            #expect((update.incrementalUpdates > before) == moves, "\(name): moved rows \(moves ? "expected" : "not expected")")
            var fresh = [Double](repeating: 0, count: k * d)
            for i in 0..<n where labels[i] >= 0 {
                for p in x.rowPointers[i]..<x.rowPointers[i + 1] {
                    fresh[Int(labels[i]) * d + Int(x.columnIndices[p])] += Double(weights.scale[i] * x.values[p])
                }
            }
            var mismatches = 0, worst = 0.0
            for c in 0..<k {
                for j in 0..<d {
                    if table[j * kp + c].bitPattern != sums[c * d + j].bitPattern { mismatches += 1 }
                    worst = max(worst, abs(Double(sums[c * d + j]) - fresh[c * d + j]))
                }
                let norm = (0..<d).reduce(0.0) { $0 + Double(sums[c * d + $1]) * Double(sums[c * d + $1]) }.squareRoot()
                #expect(abs(Double(update.inverseNorms[c]) * norm - 1) < 1e-6, "\(name): 1/‖T_\(c)‖")
            }
            #expect(mismatches == 0, "\(name): table and sums differ in \(mismatches) entries")
            #expect(worst < 1e-4, "\(name): sums off by \(worst)")
            let want = unitShift(sums, previous)
            #expect(abs(shift - want) <= 1e-9 + 1e-6 * want, "\(name): shift \(shift) vs \(want)")
        }
        step("first update", moves: false)
        for i in 0..<n where labels[i] >= 0 && rng.nextInt(below: 30) == 0 { labels[i] = Int32(rng.nextInt(below: k)) }
        step("a few rows move", moves: true)
        var kept = 0
        for i in 0..<n where labels[i] == 0 { kept += 1; if kept % 10 != 0 { labels[i] = 1 } }
        step("cluster 0 keeps a tenth of its rows", moves: false)
        for i in 0..<n where labels[i] >= 0 && rng.nextInt(below: 40) == 0 { labels[i] = Int32(rng.nextInt(below: k)) }
        step("a few rows move again", moves: true)
        for i in 0..<n where labels[i] >= 0 && rng.nextInt(below: 40) == 0 { labels[i] = Int32(rng.nextInt(below: k)) }
        step("and again", moves: true)
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
