import LifestyleCore
import CLifestyleShims

/// Dense Lloyd's centre update from per-cluster sums kept in Double between rounds.
///
/// The sums follow the labels they were built from. When fewer than half the rows changed
/// cluster, only those rows move (subtracted from the old cluster's sum, added to the new one's);
/// otherwise every sum is rebuilt from all rows. Late rounds, where a few percent of the rows
/// change, then cost O(changed·d) instead of a pass over the whole n × d matrix.
///
/// The rows to add (all rows, or the moved ones) are cut into `partitions` fixed, contiguous
/// pieces whatever the thread count; each piece is summed in row order into its own buffer
/// (workers take whole pieces and read whole rows, which the hardware prefetcher follows), and
/// the pieces are combined in piece order. A few moved rows go straight into the sums in row
/// order. Either way each sum element sees the same additions in the same order for 1 or 2
/// threads (bit-identical results). In Double, moved and rebuilt sums agree far below float
/// resolution, so the centres (sum / count, rounded to Float once) do not depend on the path.
final class DenseLloydUpdate: @unchecked Sendable {
    let n: Int, k: Int, d: Int
    let sums: UnsafeMutablePointer<Double>
    /// `partitions` buffers of k·d partial sums.
    let partials: UnsafeMutablePointer<Double>
    let partitions: Int
    /// The label of every row as the sums hold it (−1: in no sum).
    let held: UnsafeMutablePointer<Int32>
    let moved: UnsafeMutablePointer<Int>
    private(set) var valid = false
    /// Updates since `reset` that moved rows instead of rebuilding (tests).
    private(set) var incrementalUpdates = 0

    /// Moved rows below which the sums are updated directly on one thread (waking a worker and
    /// clearing the partial buffers would cost more).
    static let directRows = 512

    init(rows n: Int, k: Int, d: Int) {
        self.n = n
        self.k = k
        self.d = d
        // Four pieces (two workers and room for load imbalance); two, then one, when k·d is large
        // (each piece holds k·d Doubles).
        partitions = k * d <= 1 << 20 ? 4 : (k * d <= 1 << 23 ? 2 : 1)
        sums = .allocate(capacity: max(1, k * d))
        partials = .allocate(capacity: max(1, partitions * k * d))
        held = .allocate(capacity: max(1, n))
        moved = .allocate(capacity: max(1, n))
    }

    deinit {
        sums.deallocate()
        partials.deallocate()
        held.deallocate()
        moved.deallocate()
    }

    /// The next update rebuilds every sum.
    func reset() {
        valid = false
        incrementalUpdates = 0
    }

    /// Brings the sums to `labels`, then writes sum / count over the centre of every non-empty
    /// cluster (empty clusters keep their centre). `incremental: false` always rebuilds (tests).
    /// Returns the member count per cluster.
    /// - Complexity: O(n + changed·d + k·d), or O(n·d + k·d) for a rebuild.
    func update(_ input: DenseInput, labels: UnsafePointer<Int32>, centers: UnsafeMutablePointer<Float>, threads: Int, incremental: Bool = true) -> [Int] {
        let counts = labelCounts(labels, rows: n, k: k)
        var count = 0
        if valid && incremental {
            for i in 0..<n where labels[i] != held[i] {
                moved[count] = i
                count += 1
            }
        }
        let rebuild = !valid || !incremental || 2 * count >= n
        if !rebuild { incrementalUpdates += 1 }
        let kd = k * d, level = GatherKernel.level
        input.matrix.values.withUnsafeBufferPointer { values in
            let x = values.baseAddress!
            if !rebuild && (count < Self.directRows || partitions == 1) {
                lifestyle_lloyd_sums(level, x, d, 0, d, moved, count, held, labels, sums)
                return
            }
            let pieces = partitions, total = rebuild ? n : count
            let ctx = UncheckedSendable((labels, partials, held, moved))
            forEachChunk(pieces, threads: threads) { p, _ in
                let (labels, partials, held, moved) = ctx.value
                let lo = p * total / pieces, hi = (p + 1) * total / pieces
                let partial = partials + p * kd
                partial.update(repeating: 0, count: kd)
                if rebuild {
                    lifestyle_lloyd_sums(level, x + lo * d, d, 0, d, nil, hi - lo, nil, labels + lo, partial)
                } else {
                    lifestyle_lloyd_sums(level, x, d, 0, d, moved + lo, hi - lo, held, labels, partial)
                }
            }
            // sums = (p0 + p1) + p2 + … (rebuild) or sums += that, over column ranges of the k·d elements.
            let sctx = UncheckedSendable((sums, partials))
            let slices = max(1, min(threads, kd / 4096))
            forEachChunk(slices, threads: threads) { w, _ in
                let (sums, partials) = sctx.value
                let lo = w * kd / slices, hi = (w + 1) * kd / slices
                for e in lo..<hi {
                    var s = partials[e]
                    for p in 1..<pieces { s += partials[p * kd + e] }
                    sums[e] = rebuild ? s : sums[e] + s
                }
            }
        }
        if rebuild {
            held.update(from: labels, count: n)
        } else {
            for r in 0..<count { held[moved[r]] = labels[moved[r]] }
        }
        valid = true
        // A cluster left with no rows sums to exactly 0; moving rows out may leave rounding residue.
        for c in 0..<k where counts[c] == 0 { (sums + c * d).update(repeating: 0, count: d) }
        for c in 0..<k where counts[c] > 0 {
            let scale = Double(counts[c])
            let sum = sums + c * d, center = centers + c * d
            for j in 0..<d { center[j] = Float(sum[j] / scale) }
        }
        return counts
    }
}
