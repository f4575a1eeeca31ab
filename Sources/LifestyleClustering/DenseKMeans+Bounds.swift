import LifestyleCore
import CBLAS
import CLifestyleShims

/// Hamerly's bounds (2010) for dense Lloyd: per row an upper bound on the distance to its own
/// centre and a lower bound on the distance to every other centre, loosened by how far the
/// centres moved. A row whose upper bound is below max(lower bound, half the gap from its
/// centre to the nearest other centre) cannot change cluster and is skipped; the others are
/// gathered and go through one `cblas_sgemm` per chunk as usual (a chunk where the bounds skip
/// under a tenth of the rows goes through whole, without the copy). Exact: the labels are those
/// of plain Lloyd (bounds carry a float-error margin), only fewer distances are computed.
final class HamerlyBounds: @unchecked Sendable {
    let n: Int, k: Int, d: Int
    let upper: UnsafeMutablePointer<Float>
    let lower: UnsafeMutablePointer<Float>
    let halfGap: UnsafeMutablePointer<Float>
    let drift: UnsafeMutablePointer<Float>
    let gram: UnsafeMutablePointer<Float>
    /// Per worker: gathered rows (rowsPerChunk × d), their products (rowsPerChunk × k) and indices.
    let gathered: UnsafeMutablePointer<Float>
    let products: UnsafeMutablePointer<Float>
    let indices: UnsafeMutablePointer<Int>
    /// Per worker: the second smallest distance of each computed row.
    let seconds: UnsafeMutablePointer<Float>
    let computed: UnsafeMutablePointer<Int>
    let workers: Int
    var valid = false
    /// Rows whose distances were computed in the last pass.
    private(set) var lastComputed = 0

    init(rows n: Int, k: Int, d: Int, threads: Int) {
        self.n = n
        self.k = k
        self.d = d
        workers = workerCount(chunks: fixedChunks(count: n), threads: threads)
        upper = .allocate(capacity: max(1, n))
        lower = .allocate(capacity: max(1, n))
        halfGap = .allocate(capacity: k)
        drift = .allocate(capacity: k)
        gram = .allocate(capacity: k * k)
        gathered = .allocate(capacity: max(1, workers * rowsPerChunk * d))
        products = .allocate(capacity: max(1, workers * rowsPerChunk * k))
        indices = .allocate(capacity: workers * rowsPerChunk)
        seconds = .allocate(capacity: workers * rowsPerChunk)
        computed = .allocate(capacity: max(1, fixedChunks(count: n)))
    }

    deinit {
        for p in [upper, lower, halfGap, drift, gram, gathered, products, seconds] { p.deallocate() }
        indices.deallocate()
        computed.deallocate()
    }

    /// After an update: loosens the bounds by each centre's move (`old` holds the previous centres).
    func centersMoved(from old: UnsafePointer<Float>, to centers: UnsafePointer<Float>, labels: UnsafePointer<Int32>) {
        guard valid else { return }
        // The lower bound covers the other centres only: rows of the centre that moved most lose
        // the second-largest move (Hamerly's refinement).
        var maxDrift: Float = 0, secondDrift: Float = 0, fastest = -1
        for c in 0..<k {
            var s: Float = 0
            for j in 0..<d { let e = centers[c * d + j] - old[c * d + j]; s += e * e }
            drift[c] = s.squareRoot()
            if drift[c] > maxDrift { secondDrift = maxDrift; maxDrift = drift[c]; fastest = c } else if drift[c] > secondDrift { secondDrift = drift[c] }
        }
        for i in 0..<n where labels[i] >= 0 {
            let a = Int(labels[i])
            upper[i] += drift[a]
            lower[i] -= a == fastest ? secondDrift : maxDrift
        }
    }

    /// Assignment with pruning; same contract as `assignRows` (the distance of a skipped row is
    /// its upper bound squared, so the returned objective is an upper bound on the exact one).
    func assign(_ input: DenseInput, centers: UnsafePointer<Float>, centerSquaredNorms cn2: UnsafePointer<Float>,
                labels: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Float>,
                scratch: AssignScratch, threads: Int) -> (objective: Double, changed: Int) {
        // s_c = ½ min_{c'≠c} ‖c − c'‖ from the k × k Gram matrix.
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(k), Int32(k), Int32(d), 1, centers, Int32(d), centers, Int32(d), 0, gram, Int32(k))
        var maxNorm2: Float = 0
        for c in 0..<k {
            var best = Float.infinity
            for o in 0..<k where o != c { best = min(best, cn2[c] + cn2[o] - 2 * gram[c * k + o]) }
            halfGap[c] = 0.5 * max(0, best).squareRoot()
            maxNorm2 = max(maxNorm2, cn2[c])
        }
        let useBounds = valid
        let ctx = UncheckedSendable((labels, distances))
        let maxC = maxNorm2
        forEachChunk(scratch.chunks, threads: threads) { chunk, worker in
            let (labels, distances) = ctx.value
            let lo = chunk * rowsPerChunk, hi = min(n, lo + rowsPerChunk)
            let idx = indices + worker * rowsPerChunk
            let rows = gathered + worker * rowsPerChunk * d
            var m = 0
            var objective = 0.0
            input.squaredNorms.withUnsafeBufferPointer { xn2 in
                for i in lo..<hi {
                    if useBounds {
                        // Margin for the rounding of ‖x‖² − 2x·c + ‖c‖² in float32.
                        let margin = (1e-6 * (xn2[i] + maxC)).squareRoot()
                        let a = Int(labels[i])
                        if upper[i] + margin <= max(halfGap[a] - margin, lower[i] - margin) { continue }
                    }
                    idx[m] = i
                    m += 1
                }
                // When the bounds skip under a tenth of the chunk, copying the other rows out costs
                // more (memory traffic) than the GEMM saves: the chunk goes through as it lies.
                let count = hi - lo
                let direct = m * 10 >= count * 9
                if direct {
                    for r in 0..<count { idx[r] = lo + r }
                    m = count
                } else {
                    var r = 0
                    for i in lo..<hi {
                        if r < m && idx[r] == i { r += 1; continue }
                        distances[i] = upper[i] * upper[i]
                        objective += Double(distances[i])
                    }
                }
                let out = products + worker * rowsPerChunk * k
                input.matrix.values.withUnsafeBufferPointer { v in
                    let x = v.baseAddress!
                    if !direct { for r in 0..<m { (rows + r * d).update(from: x + idx[r] * d, count: d) } }
                    if m > 0 {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(k), Int32(d), 1,
                                    direct ? x + lo * d : UnsafePointer(rows), Int32(d), centers, Int32(d), 0, out, Int32(k))
                    }
                }
                let best = scratch.nearest + worker * rowsPerChunk, firsts = scratch.low + worker * rowsPerChunk
                let seconds = self.seconds + worker * rowsPerChunk
                lifestyle_two_nearest(GatherKernel.level, out, m, k, k, xn2.baseAddress!, idx, cn2, best, firsts, seconds)
                var changed = 0
                for r in 0..<m {
                    let i = idx[r], first = firsts[r], second = seconds[r]
                    if labels[i] != best[r] { changed += 1; labels[i] = best[r] }
                    distances[i] = first
                    upper[i] = first.squareRoot()
                    lower[i] = second.squareRoot()
                    objective += Double(first)
                }
                scratch.objective[chunk] = objective
                scratch.changed[chunk] = changed
                computed[chunk] = m
            }
        }
        valid = true
        var objective = 0.0, changed = 0
        lastComputed = 0
        for c in 0..<scratch.chunks { objective += scratch.objective[c]; changed += scratch.changed[c]; lastComputed += computed[c] }
        return (objective, changed)
    }
}
