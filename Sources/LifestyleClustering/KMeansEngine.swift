import LifestyleCore
import CBLAS
import CLifestyleShims

/// Per-row facts the engine needs besides the matrix: the scale that makes a row unit length
/// (spherical) or 1 (Lloyd), and 0 for rows excluded from fitting (all-zero rows, spherical).
struct RowWeights: Sendable {
    let scale: ContiguousArray<Float>
    let excluded: [Int]

    init<I: KMeansInput>(_ input: I, spherical: Bool) {
        var scale = ContiguousArray<Float>(repeating: 1, count: input.rows)
        var excluded: [Int] = []
        if spherical {
            for i in 0..<input.rows {
                let n2 = input.squaredNorms[i]
                if n2 > 0 { scale[i] = 1 / n2.squareRoot() } else { scale[i] = 0; excluded.append(i) }
            }
        }
        self.scale = scale
        self.excluded = excluded
    }

    @inline(__always) func isIncluded(_ i: Int) -> Bool { scale[i] != 0 }
}

/// Buffers reused by every assignment pass of a fit: a rows-per-chunk × k product block per
/// worker, its rows' nearest centres and values (Lloyd), and one objective/changed-count slot per
/// chunk (reduced in chunk order).
final class AssignScratch: @unchecked Sendable {
    let k: Int
    let workers: Int
    let chunks: Int
    let block: UnsafeMutablePointer<Float>
    let nearest: UnsafeMutablePointer<Int32>
    let low: UnsafeMutablePointer<Float>
    let objective: UnsafeMutablePointer<Double>
    let changed: UnsafeMutablePointer<Int>

    init(rows: Int, k: Int, threads: Int) {
        self.k = k
        chunks = fixedChunks(count: rows)
        workers = workerCount(chunks: chunks, threads: threads)
        block = .allocate(capacity: max(1, workers * rowsPerChunk * k))
        nearest = .allocate(capacity: workers * rowsPerChunk)
        low = .allocate(capacity: workers * rowsPerChunk)
        objective = .allocate(capacity: max(1, chunks))
        changed = .allocate(capacity: max(1, chunks))
    }

    deinit {
        block.deallocate()
        nearest.deallocate()
        low.deallocate()
        objective.deallocate()
        changed.deallocate()
    }
}

/// Assigns every row to its nearest centre (highest cosine, or lowest squared distance),
/// writing `labels` (−1 for excluded rows) and each row's distance to its centre; returns the
/// summed distance and the number of labels that changed.
///
/// Spherical distance is 1 − cos(xᵢ, c), with cluster c's dot products multiplied by
/// `centerScales[c]` when given (a table of unnormalised centres); Lloyd's is ‖xᵢ‖² − 2xᵢ·c + ‖c‖² (clamped at 0),
/// its smallest ‖c‖² − 2xᵢ·c found by the vectorised scan of `lifestyle_argmin_shifted`. Ties
/// go to the lowest cluster index, so duplicate centres collapse onto the first.
/// - Complexity: O(nnz·k) (CSR) or O(n·d·k) (dense, GEMM) per call.
func assignRows<I: KMeansInput>(
    _ input: I, weights: RowWeights, spherical: Bool,
    centers: UnsafePointer<Float>, aux: UnsafePointer<Float>, centerSquaredNorms: UnsafePointer<Float>,
    labels: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Float>,
    scratch: AssignScratch, threads: Int, centerScales: UnsafePointer<Float>? = nil
) -> (objective: Double, changed: Int) {
    let k = scratch.k
    let n = input.rows
    let ctx = UncheckedSendable((centers, aux, centerSquaredNorms, labels, distances, centerScales))
    forEachChunk(scratch.chunks, threads: threads) { chunk, worker in
        let (centers, aux, cn2, labels, distances, centerScales) = ctx.value
        let lo = chunk * rowsPerChunk, hi = min(n, lo + rowsPerChunk)
        if spherical, let cs = centerScales,
           let fused = weights.scale.withUnsafeBufferPointer({
               input.assignSpherical(lo..<hi, aux: aux, k: k, centerScales: cs, rowScale: $0.baseAddress!, labels: labels, distances: distances)
           }) {
            scratch.objective[chunk] = fused.objective
            scratch.changed[chunk] = fused.changed
            return
        }
        let block = scratch.block + worker * rowsPerChunk * k
        input.dots(lo..<hi, centers: centers, aux: aux, k: k, out: block)
        let nearest = scratch.nearest + worker * rowsPerChunk, low = scratch.low + worker * rowsPerChunk
        if !spherical { lifestyle_argmin_shifted(GatherKernel.level, block, hi - lo, k, k, cn2, nearest, low) }
        var objective = 0.0
        var changed = 0
        weights.scale.withUnsafeBufferPointer { scale in
        input.squaredNorms.withUnsafeBufferPointer { xn2 in
            for i in lo..<hi {
                let s = scale[i]
                if s == 0 { labels[i] = -1; distances[i] = 0; continue }
                let row = block + (i - lo) * k
                var best = 0
                var distance: Float
                if spherical, let cs = centerScales {
                    var top = row[0] * cs[0]
                    for c in 1..<max(1, k) {
                        let v = row[c] * cs[c]
                        if v > top { top = v; best = c }
                    }
                    distance = max(0, 1 - top * s)
                } else if spherical {
                    var top = row[0]
                    for c in 1..<max(1, k) where row[c] > top { top = row[c]; best = c }
                    distance = max(0, 1 - top * s)
                } else {
                    best = Int(nearest[i - lo])
                    distance = max(0, xn2[i] + low[i - lo])
                }
                if labels[i] != Int32(best) { changed += 1; labels[i] = Int32(best) }
                distances[i] = distance
                objective += Double(distance)
            }
        }}
        scratch.objective[chunk] = objective
        scratch.changed[chunk] = changed
    }
    var objective = 0.0, changed = 0
    for c in 0..<scratch.chunks { objective += scratch.objective[c]; changed += scratch.changed[c] }
    return (objective, changed)
}

/// Recomputes centres from labels: means (Lloyd) or re-normalised sums of unit rows (spherical).
///
/// Every cluster is summed in ascending row order whatever the thread count (so results are
/// bit-identical). Spherical CSR: the rows are listed per cluster (counting sort) and each
/// worker builds whole clusters (zero, sum, normalise) one at a time, so a centre stays in L2
/// while it is built; clusters go to workers by estimated cost. Otherwise worker w owns the
/// clusters c ≡ w (mod workers) and scans the rows in ascending order, adding the ones it owns.
/// Clusters with no rows keep their previous centre. Returns the member count per cluster.
/// - Complexity: O(workers·n + nnz + k·d) (CSR) or O(n·d + k·d) (dense, `saxpy`).
func updateCenters<I: KMeansInput>(
    _ input: I, weights: RowWeights, spherical: Bool, labels: UnsafePointer<Int32>, k: Int,
    centers: UnsafeMutablePointer<Float>, threads: Int
) -> [Int] {
    let n = input.rows, d = input.dimension
    let counts = labelCounts(labels, rows: n, k: k)
    let members = counts
    let workers = max(1, min(threads, k))
    if spherical, let sparse = input as? SparseInput, d > 0 {
        // Cluster by cluster: the rows of each cluster (ascending, as in the row scan below) are
        // listed by a counting sort, so one centre (d floats) is zeroed, summed, normalised and
        // scaled while it sits in L2 instead of scattering into all k centres at once.
        let (start, order) = rowsByCluster(labels, rows: n, k: k)
        let starts = start
        // Clusters go to workers by non-zeros to add plus the d-long passes.
        let cost = (0..<k).map { c in counts[c] == 0 ? 0 : 4 * d + sparse.entryCount(ofRows: order[start[c]..<start[c + 1]]) }
        let assignment = clusterOwners(cost: cost, workers: workers)
        order.withUnsafeBufferPointer { ob in
            weights.scale.withUnsafeBufferPointer { sb in
                let ctx = UncheckedSendable((centers, ob.baseAddress!, sb.baseAddress!))
                forEachChunk(assignment.count, threads: threads) { w, _ in
                    let (centers, order, scale) = ctx.value
                    for c in assignment[w] where members[c] > 0 {
                        let target = centers + c * d
                        target.update(repeating: 0, count: d)
                        sparse.accumulate(rows: order + starts[c], count: members[c], scale: scale, into: target)
                        let norm = squaredNorm(target, count: d).squareRoot()
                        if norm > 0 { cblas_sscal(Int32(d), 1 / norm, target, 1) }
                    }
                }
            }
        }
        return counts
    }
    let ctx = UncheckedSendable((centers, labels))
    forEachChunk(workers, threads: threads) { w, _ in
        let (centers, labels) = ctx.value
        guard d > 0 else { return }
        for c in stride(from: w, to: k, by: workers) where members[c] > 0 {
            (centers + c * d).update(repeating: 0, count: d)
        }
        weights.scale.withUnsafeBufferPointer { scale in
            for i in 0..<n {
                let c = Int(labels[i])
                if c >= 0 && c % workers == w { input.add(row: i, scale: scale[i], to: centers + c * d) }
            }
        }
        for c in stride(from: w, to: k, by: workers) where members[c] > 0 {
            let target = centers + c * d
            if spherical {
                let norm = squaredNorm(target, count: d).squareRoot()
                if norm > 0 { cblas_sscal(Int32(d), 1 / norm, target, 1) }
            } else {
                cblas_sscal(Int32(d), 1 / Float(members[c]), target, 1)
            }
        }
    }
    return counts
}

/// Rows per cluster (rows labelled −1 left out).
func labelCounts(_ labels: UnsafePointer<Int32>, rows n: Int, k: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: k)
    counts.withUnsafeMutableBufferPointer { c in
        for i in 0..<n {
            let l = Int(labels[i])
            if l >= 0 { c[l] &+= 1 }
        }
    }
    return counts
}

/// The rows of each cluster in ascending order (a counting sort of the labels; rows labelled −1
/// left out): cluster c's are order[start[c]..<start[c + 1]].
func rowsByCluster(_ labels: UnsafePointer<Int32>, rows n: Int, k: Int) -> (start: [Int], order: [Int32]) {
    var start = [0] + labelCounts(labels, rows: n, k: k)
    for c in 0..<k { start[c + 1] += start[c] }
    var order = [Int32](repeating: 0, count: max(1, start[k]))
    var fill = start
    for i in 0..<n where labels[i] >= 0 {
        let c = Int(labels[i])
        order[fill[c]] = Int32(i)
        fill[c] += 1
    }
    return (start, order)
}

/// For each empty cluster (in index order) takes the next-farthest included row from its centre
/// (distance > 0; ties by row index) and moves it there, as scikit-learn does. Returns how many
/// clusters were re-seeded; clusters stay empty when no row is away from its centre (fewer
/// distinct rows than k).
func reseedEmptyClusters(counts: [Int], distances: UnsafePointer<Float>, labels: UnsafeMutablePointer<Int32>, rows: Int) -> Int {
    let empty = counts.indices.filter { counts[$0] == 0 }
    guard !empty.isEmpty else { return 0 }
    var candidates = (0..<rows).filter { labels[$0] >= 0 && distances[$0] > 0 }
    candidates.sort { distances[$0] != distances[$1] ? distances[$0] > distances[$1] : $0 < $1 }
    var moved = 0
    for (c, i) in zip(empty, candidates) {
        labels[i] = Int32(c)
        moved += 1
    }
    return moved
}

/// ‖c‖² of each centre (Float; used by the Lloyd assignment).
func centerSquaredNorms(_ centers: UnsafePointer<Float>, k: Int, d: Int, into out: UnsafeMutablePointer<Float>) {
    for c in 0..<k { out[c] = squaredNorm(centers + c * d, count: d) }
}
