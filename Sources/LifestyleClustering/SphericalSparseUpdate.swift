import CLifestyleShims
import LifestyleCore

/// Centre updates for spherical k-means on CSR input, kept as raw sums.
///
/// Per cluster c the fit keeps T_c = Σ_{i ∈ c} sᵢxᵢ (sᵢ = 1/‖xᵢ‖) twice, bit for bit: row-major
/// in `sums` (the fit's k × d centre buffer while it runs) and feature-major in the table the
/// assignment gathers from (`aux[j·kp + c]`, kp = `centerStride(k)`). The centre is T_c/‖T_c‖: the
/// assignment multiplies cluster c's dot products by `inverseNorms[c]` = 1/‖T_c‖.
///
/// - A full update sums every cluster's rows, one cluster at a time (its row of `sums` stays in
///   L2 while it is summed), then transposes `sums` into the table.
/// - Later updates move only the rows whose label changed (`lifestyle_spherical_move`, one
///   cluster per worker at a time): the cluster's row of `sums` subtracts the rows that left it,
///   then adds the rows that joined it (each list ascending); the features it touched are copied
///   into the table, and the values they replaced give ‖T′ − T‖² and ‖T′‖² − ‖T‖², hence the
///   shift of the unit centres, without a pass over all of T. That is O(nnz of the moved rows)
///   instead of O(nnz + k·d), and after the first few rounds a few percent of the rows move.
///
/// Every element of `sums` gets its terms in an order fixed by the labels alone, and each
/// cluster's statistics are summed in an order fixed the same way, so nothing depends on the
/// thread count. Moved sums drift from a fresh summation only by float rounding.
///
/// A cluster without rows keeps its previous T (not a sum of rows), so an update where a cluster
/// is empty before or after is a full one.
final class SphericalSparseUpdate: @unchecked Sendable {
    let n: Int, d: Int, k: Int, kp: Int
    /// 1/‖T_c‖ for the assignment (kp entries, padding 0).
    let inverseNorms: UnsafeMutablePointer<Float>
    /// Whether `sums` and the table hold the sums of `tableLabels`.
    private var valid = false
    /// Updates done by moving rows so far (tests).
    private(set) var incrementalUpdates = 0
    /// The labels the sums reflect.
    private let tableLabels: UnsafeMutablePointer<Int32>
    /// ‖T_c‖².
    private var length2: [Double]
    /// Per cluster, one bit per feature: the entries of `sums` a move touched (all clear between
    /// updates).
    private let words: Int
    private let marks: UnsafeMutablePointer<UInt64>
    /// Per cluster, the features a move touched and the values it replaced.
    private var touched: UnsafeMutablePointer<Int32>
    private var replaced: UnsafeMutablePointer<Float>
    private var touchedCapacity = 0

    init(rows n: Int, d: Int, k: Int) {
        self.n = n
        self.d = d
        self.k = k
        kp = centerStride(k)
        inverseNorms = .allocate(capacity: max(1, kp))
        tableLabels = .allocate(capacity: max(1, n))
        length2 = [Double](repeating: 1, count: k)
        words = (d + 63) / 64
        marks = .allocate(capacity: max(1, k * words))
        marks.initialize(repeating: 0, count: max(1, k * words))
        touched = .allocate(capacity: 1)
        replaced = .allocate(capacity: 1)
    }

    deinit {
        for p in [inverseNorms, replaced] { p.deallocate() }
        for p in [tableLabels, touched] { p.deallocate() }
        marks.deallocate()
    }

    /// Forgets the state: a new run starts from `centers` (row-major k × d, unit or zero rows)
    /// written into the table as they are.
    func reset(centers: UnsafePointer<Float>) {
        valid = false
        inverseNorms.initialize(repeating: 0, count: kp)
        for c in 0..<k { inverseNorms[c] = 1; length2[c] = squaredNormDouble(centers + c * d, count: d) }
    }

    /// Row-major unit centres (k × d) from the table, in fixed feature blocks.
    func copyCenters(from table: UnsafePointer<Float>, into centers: UnsafeMutablePointer<Float>, threads: Int) {
        let (k, kp, d) = (k, kp, d)
        let block = 512
        let ctx = UncheckedSendable((table, centers, UnsafePointer(inverseNorms)))
        forEachChunk((d + block - 1) / block, threads: threads) { b, _ in
            let (table, centers, inv) = ctx.value
            let j0 = b * block, j1 = min(d, j0 + block)
            for c in 0..<k {
                let to = centers + c &* d, s = inv[c]
                for j in j0..<j1 { to[j] = table[j &* kp &+ c] * s }
            }
        }
    }

    /// Brings `sums`, the table and `inverseNorms` to the sums of `labels` (rows labelled −1 left
    /// out) and returns the shift Σ_c ‖T′_c/‖T′_c‖ − T_c/‖T_c‖‖² of the unit centres. Moves the
    /// rows that changed cluster when the state is valid, no cluster is empty before or after, and
    /// moving is the cheaper; otherwise sums all rows.
    func update(_ x: SparseInput, rowScale: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                table: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>, threads: Int) -> Double {
        if valid, let moved = move(x, rowScale: rowScale, labels: labels, table: table, sums: sums, threads: threads) {
            return moved
        }
        return rebuild(x, rowScale: rowScale, labels: labels, table: table, sums: sums, threads: threads)
    }

    private func rebuild(_ x: SparseInput, rowScale: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                         table: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>, threads: Int) -> Double {
        let (n, d, k, kp) = (n, d, k, kp)
        let (start, order) = rowsByCluster(labels, rows: n, k: k)
        let cost = (0..<k).map { c in d + x.entryCount(ofRows: order[start[c]..<start[c + 1]]) }
        let owned = clusterOwners(cost: cost, workers: workerCount(chunks: k, threads: threads))
        let starts = start
        var exactNorms = [Double](repeating: 0, count: k)
        order.withUnsafeBufferPointer { ob in
        exactNorms.withUnsafeMutableBufferPointer { nb in
            let ctx = UncheckedSendable((ob.baseAddress!, UnsafePointer(table), sums, nb.baseAddress!))
            forEachChunk(owned.count, threads: threads) { w, _ in
                let (order, table, sums, norms) = ctx.value
                for c in owned[w] {
                    let target = sums + c &* d
                    let members = starts[c + 1] - starts[c]
                    if members > 0 {
                        target.update(repeating: 0, count: d)
                        x.accumulate(rows: order + starts[c], count: members, scale: rowScale, into: target)
                    } else {
                        // No rows: the cluster keeps its sum (the table's column).
                        for j in 0..<d { target[j] = table[j &* kp &+ c] }
                    }
                    // ‖T_c‖² exactly (in Double, while the row is in cache): later moves update it by differences.
                    norms[c] = squaredNormDouble(target, count: d)
                }
            }
        }}
        var change = [Double](repeating: 0, count: k)
        _ = change.withUnsafeMutableBufferPointer {
            x.transpose(centers: sums, k: k, aux: table, threads: threads, perCenter: $0.baseAddress!)
        }
        tableLabels.update(from: labels, count: n)
        valid = true
        return newLengths { c in (change[c], exactNorms[c]) }
    }

    /// nil when a full update is due instead (see `update`).
    private func move(_ x: SparseInput, rowScale: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                      table: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>, threads: Int) -> Double? {
        let (n, k) = (n, k)
        // The moved rows, and each cluster's rows before (counts[c]) and after (counts[k + c]).
        var changed: [Int32] = []
        var counts = [Int](repeating: 0, count: 2 * k)
        let excludedChange = counts.withUnsafeMutableBufferPointer { counts in
            for i in 0..<n {
                let a = Int(tableLabels[i]), b = Int(labels[i])
                if a >= 0 { counts[a] &+= 1 }
                if b >= 0 { counts[k &+ b] &+= 1 }
                if a != b {
                    if a < 0 || b < 0 { return true }
                    changed.append(Int32(i))
                }
            }
            return false
        }
        // A full update when a row joins or leaves the excluded ones, a cluster is or becomes
        // empty, or a cluster keeps under a quarter of its rows (a re-seeded one keeps one): the
        // sum left after subtracting most of a cluster is mostly rounding, and ‖T‖², updated by
        // differences, would lose its relative precision with it.
        if excludedChange || (0..<k).contains(where: { counts[$0] == 0 || 4 * counts[k + $0] < counts[$0] }) { return nil }
        if changed.isEmpty { return 0 }
        // A moved entry costs about twice a summed one (it leaves one sum and joins another, both
        // out of cache); the full update also transposes k·d.
        if 4 * x.entryCount(ofRows: changed) >= x.matrix.nnz + k * d / 4 { return nil }
        // Per cluster, the rows leaving it, then the rows joining it, each ascending:
        // lists[start[c]..<start[c + 1]] and lists[start[k + c]..<start[k + c + 1]].
        var start = [Int](repeating: 0, count: 2 * k + 1)
        for r in changed { start[Int(tableLabels[Int(r)]) + 1] += 1; start[k + Int(labels[Int(r)]) + 1] += 1 }
        for l in 0..<(2 * k) { start[l + 1] += start[l] }
        var lists = [Int32](repeating: 0, count: start[2 * k])
        var fill = start
        for r in changed {
            let from = Int(tableLabels[Int(r)]), to = k + Int(labels[Int(r)])
            lists[fill[from]] = r
            fill[from] += 1
            lists[fill[to]] = r
            fill[to] += 1
        }
        let cost = (0..<k).map { c in
            x.entryCount(ofRows: lists[start[c]..<start[c + 1]]) + x.entryCount(ofRows: lists[start[k + c]..<start[k + c + 1]])
        }
        let owned = clusterOwners(cost: cost, workers: workerCount(chunks: k, threads: threads))
        // Each cluster's touched features and replaced values: room for one per listed entry.
        var room = [Int](repeating: 0, count: k + 1)
        for c in 0..<k { room[c + 1] = room[c] + cost[c] + 1 }
        if room[k] > touchedCapacity {
            touched.deallocate()
            replaced.deallocate()
            touchedCapacity = room[k]
            touched = .allocate(capacity: touchedCapacity)
            replaced = .allocate(capacity: touchedCapacity)
        }
        var change = [Double](repeating: 0, count: k), length = change
        let (d, kp, words, starts, offsets) = (d, kp, words, start, room)
        let m = x.matrix
        m.rowPointers.withUnsafeBufferPointer { rpb in
        m.columnIndices.withUnsafeBufferPointer { cib in
        m.values.withUnsafeBufferPointer { vsb in
        lists.withUnsafeBufferPointer { lb in
        change.withUnsafeMutableBufferPointer { cb in
        length.withUnsafeMutableBufferPointer { lnb in
            let ctx = UncheckedSendable((rpb.baseAddress!, cib.baseAddress!, vsb.baseAddress!, lb.baseAddress!, sums, marks, touched, replaced, table,
                                         cb.baseAddress!, lnb.baseAddress!))
            forEachChunk(owned.count, threads: threads) { w, _ in
                let (rp, ci, vs, lists, sums, marks, touched, replaced, table, change, length) = ctx.value
                for c in owned[w] {
                    _ = lifestyle_spherical_move(lists + starts[c], starts[c + 1] - starts[c], lists + starts[k + c], starts[k + c + 1] - starts[k + c],
                                                 rp, ci, vs, rowScale, sums + c &* d, marks + c &* words, touched + offsets[c], replaced + offsets[c],
                                                 table, kp, c, change + c, length + c)
                }
            }
        }}}}}}
        for r in changed { tableLabels[Int(r)] = labels[Int(r)] }
        incrementalUpdates += 1
        return newLengths { c in (change[c], max(0, length2[c] + length[c])) }
    }

    /// Takes per cluster ‖T′ − T‖² and ‖T′‖², updates ‖T‖² and `inverseNorms`, and returns the
    /// shift of the unit centres: ‖T′/|T′| − T/|T|‖² = (‖T′ − T‖² − (|T′| − |T|)²) / (|T′|·|T|).
    private func newLengths(_ change: (Int) -> (change: Double, length2: Double)) -> Double {
        var shift = 0.0
        for c in 0..<k {
            let (moved, l1) = change(c)
            let l0 = length2[c]
            let r0 = l0.squareRoot(), r1 = l1.squareRoot()
            if r0 > 0 && r1 > 0 {
                let radial = (l1 - l0) / (r0 + r1)
                shift += max(0, (moved - radial * radial) / (r0 * r1))
            } else if (r0 > 0) != (r1 > 0) {
                shift += 1   // a unit centre from or to a zero one
            }
            length2[c] = l1
            // 0 for a zero sum, and for one so small that 1/‖T‖ would not be a finite float.
            let inverse = r1 > 0 ? Float(1 / r1) : 0
            inverseNorms[c] = inverse.isFinite ? inverse : 0
        }
        return shift
    }
}

/// Clusters to `workers` lists, largest cost first, each to the least loaded list (ties to the
/// lower index); clusters of cost 0 are left out. Which list sums a cluster never changes its sums.
func clusterOwners(cost: [Int], workers: Int) -> [[Int]] {
    var owned = [[Int]](repeating: [], count: max(1, workers))
    var load = [Int](repeating: 0, count: owned.count)
    for c in cost.indices.sorted(by: { cost[$0] != cost[$1] ? cost[$0] > cost[$1] : $0 < $1 }) where cost[c] > 0 {
        var best = 0
        for w in 1..<owned.count where load[w] < load[best] { best = w }
        owned[best].append(c)
        load[best] += cost[c]
    }
    return owned
}
