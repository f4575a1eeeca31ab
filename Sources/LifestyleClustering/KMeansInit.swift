import LifestyleCore
#if canImport(Glibc)
import Glibc
#endif

/// Starting centres. All writers fill `centers` (k × d, row-major); spherical centres are unit
/// rows, Lloyd centres are rows of the data.
struct Initializer<I: KMeansInput> {
    let input: I
    let weights: RowWeights
    let spherical: Bool
    let threads: Int

    var n: Int { input.rows }
    var d: Int { input.dimension }

    /// Writes row i (scaled to unit length when spherical) as centre c.
    func place(row i: Int, as c: Int, in centers: UnsafeMutablePointer<Float>) {
        let target = centers + c * d
        target.update(repeating: 0, count: d)
        input.add(row: i, scale: weights.scale[i], to: target)
    }

    /// k distinct included rows, uniformly (partial Fisher–Yates).
    func random(k: Int, rng: inout SeededGenerator, into centers: UnsafeMutablePointer<Float>) {
        var pool = (0..<n).filter { weights.isIncluded($0) }
        for c in 0..<k {
            let j = c + rng.nextInt(below: pool.count - c)
            pool.swapAt(c, j)
            place(row: pool[c], as: c, in: centers)
        }
    }

    /// Distances from every row to `t` candidate rows, written to `out` (n × t), using the same
    /// product kernel as the assignment step.
    func distances(toRows candidates: [Int], buffers: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
                   out: UnsafeMutablePointer<Float>) {
        let t = candidates.count
        let (cand, aux, cn2) = buffers
        for (c, i) in candidates.enumerated() {
            place(row: i, as: c, in: cand)
            cn2[c] = spherical ? 1 : input.squaredNorms[i]
        }
        _ = input.refreshAuxiliary(centers: cand, k: t, aux: aux, threads: threads)
        let chunks = fixedChunks(count: n)
        let ctx = UncheckedSendable((UnsafePointer(cand), UnsafePointer(aux), UnsafePointer(cn2), out))
        forEachChunk(chunks, threads: threads) { chunk, _ in
            let (cand, aux, cn2, out) = ctx.value
            let lo = chunk * rowsPerChunk, hi = min(n, lo + rowsPerChunk)
            let block = out + lo * t
            input.dots(lo..<hi, centers: cand, aux: aux, k: t, out: block)
            for i in lo..<hi {
                let s = weights.scale[i]
                let row = block + (i - lo) * t
                for c in 0..<t {
                    if s == 0 { row[c] = 0; continue }
                    row[c] = spherical ? max(0, 1 - row[c] * s) : max(0, input.squaredNorms[i] - 2 * row[c] + cn2[c])
                }
            }
        }
    }

    /// Buffers for scoring `m` candidate centres against every row at once.
    func candidateScratch(candidates m: Int) -> CandidateScratch {
        CandidateScratch(candidates: m, rows: n, dimension: d, auxiliaryCount: input.auxiliaryCount(k: m))
    }

    /// Greedy k-means++ (Arthur & Vassilvitskii 2007; scikit-learn's variant): each step draws
    /// 2 + ⌊ln k⌋ candidates with probability ∝ D(x)² (here: the metric distance) and keeps the
    /// one that lowers the total potential most. `weightsOverride` gives per-row sample weights
    /// (k-means|| uses it on its candidate set).
    /// - Complexity: O(k · (2 + ln k) · nnz) for CSR, the same in GEMM FLOPs for dense.
    func kMeansPlusPlus(k: Int, rng: inout SeededGenerator, into centers: UnsafeMutablePointer<Float>, sampleWeights: [Float]? = nil) {
        let trials = 2 + Int(log(Double(k)))
        let scratch = candidateScratch(candidates: trials)
        defer { scratch.deallocate() }
        let (cand, aux, cn2, dist) = (scratch.candidates, scratch.auxiliary, scratch.norms, scratch.distances)
        let w: [Float] = sampleWeights ?? [Float](repeating: 1, count: n)
        var closest = [Float](repeating: 0, count: n)

        // First centre: uniform over included rows (weighted when weights are given).
        let included = (0..<n).filter { weights.isIncluded($0) && w[$0] > 0 }
        var first = included[0]
        if sampleWeights == nil {
            first = included[rng.nextInt(below: included.count)]
        } else {
            var cum = [Double](), s = 0.0
            for i in included { s += Double(w[i]); cum.append(s) }
            first = included[searchSorted(cum, rng.nextUniform() * s, count: cum.count)]
        }
        place(row: first, as: 0, in: centers)
        distances(toRows: [first], buffers: (cand, aux, cn2), out: dist)
        var potential = 0.0
        for i in 0..<n { closest[i] = dist[i]; potential += Double(w[i] * dist[i]) }

        var cumulative = [Double](repeating: 0, count: n)
        var candPot = [Double](repeating: 0, count: trials)
        for c in 1..<max(1, k) {
            var s = 0.0
            for i in 0..<n { s += Double(w[i] * closest[i]); cumulative[i] = s }
            var ids: [Int] = []
            for _ in 0..<trials {
                var id = searchSorted(cumulative, rng.nextUniform() * potential, count: n)
                // Zero-weight rows are only hit when the potential is 0 (all rows on a centre).
                while id < n - 1 && !(weights.isIncluded(id) && w[id] > 0) { id += 1 }
                if !(weights.isIncluded(id) && w[id] > 0) { id = included[0] }
                ids.append(id)
            }
            distances(toRows: ids, buffers: (cand, aux, cn2), out: dist)
            // Potential with each candidate added; summed in row order for determinism.
            for t in 0..<trials { candPot[t] = 0 }
            for i in 0..<n {
                let row = dist + i * trials
                for t in 0..<trials { candPot[t] += Double(w[i] * min(closest[i], row[t])) }
            }
            var best = 0
            for t in 1..<trials where candPot[t] < candPot[best] { best = t }
            potential = candPot[best]
            for i in 0..<n { closest[i] = min(closest[i], dist[i * trials + best]) }
            place(row: ids[best], as: c, in: centers)
        }
    }
}

/// First index whose cumulative value is >= x (numpy's searchsorted, side="left"), clipped to count − 1.
func searchSorted(_ cumulative: [Double], _ x: Double, count: Int) -> Int {
    var lo = 0, hi = count
    while lo < hi {
        let mid = (lo + hi) / 2
        if cumulative[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    return min(lo, count - 1)
}

/// Scratch for scoring a batch of candidate centres against every row: the candidates (m × d),
/// the input's auxiliary layout of them, their squared norms, and the n × m distance table.
struct CandidateScratch {
    let candidates: UnsafeMutablePointer<Float>
    let auxiliary: UnsafeMutablePointer<Float>
    let norms: UnsafeMutablePointer<Float>
    let distances: UnsafeMutablePointer<Float>

    init(candidates m: Int, rows n: Int, dimension d: Int, auxiliaryCount: Int) {
        candidates = .allocate(capacity: max(1, m * d))
        auxiliary = .allocate(capacity: max(1, auxiliaryCount))
        auxiliary.initialize(repeating: 0, count: max(1, auxiliaryCount))
        norms = .allocate(capacity: max(1, m))
        distances = .allocate(capacity: max(1, n * m))
    }

    func deallocate() {
        candidates.deallocate()
        auxiliary.deallocate()
        norms.deallocate()
        distances.deallocate()
    }
}
