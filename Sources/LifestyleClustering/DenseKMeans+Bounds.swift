import LifestyleCore
import CBLAS

/// Hamerly's bounds (2010) for dense Lloyd: per row an upper bound on the distance to its own
/// centre and a lower bound on the distance to every other centre, loosened by how far the
/// centres moved. A row whose upper bound is below max(lower bound, half the gap from its
/// centre to the nearest other centre) cannot change cluster and is skipped; the others are
/// gathered and go through one `cblas_sgemm` per chunk as usual. Exact: the labels are those
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
        computed = .allocate(capacity: max(1, fixedChunks(count: n)))
    }

    deinit {
        for p in [upper, lower, halfGap, drift, gram, gathered, products] { p.deallocate() }
        indices.deallocate()
        computed.deallocate()
    }

    /// After an update: loosens the bounds by each centre's move (`old` holds the previous centres).
    func centersMoved(from old: UnsafePointer<Float>, to centers: UnsafePointer<Float>, labels: UnsafePointer<Int32>) {
        guard valid else { return }
        var maxDrift: Float = 0
        for c in 0..<k {
            var s: Float = 0
            for j in 0..<d { let e = centers[c * d + j] - old[c * d + j]; s += e * e }
            drift[c] = s.squareRoot()
            maxDrift = max(maxDrift, drift[c])
        }
        for i in 0..<n where labels[i] >= 0 {
            upper[i] += drift[Int(labels[i])]
            lower[i] -= maxDrift
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
                        if upper[i] + margin <= max(halfGap[a] - margin, lower[i] - margin) {
                            distances[i] = upper[i] * upper[i]
                            objective += Double(distances[i])
                            continue
                        }
                    }
                    idx[m] = i
                    m += 1
                }
                input.matrix.values.withUnsafeBufferPointer { v in
                    for r in 0..<m { (rows + r * d).update(from: v.baseAddress! + idx[r] * d, count: d) }
                }
                let out = products + worker * rowsPerChunk * k
                if m > 0 {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(k), Int32(d), 1, rows, Int32(d), centers, Int32(d), 0, out, Int32(k))
                }
                var changed = 0
                for r in 0..<m {
                    let i = idx[r], row = out + r * k
                    var best = 0, first = Float.infinity, second = Float.infinity
                    for c in 0..<k {
                        let v = max(0, xn2[i] + cn2[c] - 2 * row[c])
                        if v < first { second = first; first = v; best = c } else if v < second { second = v }
                    }
                    if labels[i] != Int32(best) { changed += 1; labels[i] = Int32(best) }
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
