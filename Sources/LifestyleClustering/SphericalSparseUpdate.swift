import LifestyleCore

/// Incremental centre update for spherical k-means on CSR input.
///
/// The feature-major table the assignment gathers from (`aux[j·kp + c]`, kp = `centerStride(k)`)
/// holds, per cluster, T_c = α_c · Σ_{i ∈ c} sᵢxᵢ (sᵢ = 1/‖xᵢ‖) with a per-cluster factor α_c,
/// and the centre is T_c / ‖T_c‖: the assignment multiplies cluster c's dot products by
/// `inverseNorms[c]` = 1/‖T_c‖. After a full update (`rebuilt`) the table holds the normalised
/// centres (α_c = 1/‖Σ‖ as applied, ‖T_c‖ taken as 1, so that factor is exactly 1). Later
/// updates move only the rows whose label changed: their entries are bucketed by fixed feature
/// block (ascending row within a bucket) and each block adds ∓α·sᵢxᵢⱼ to the old and new
/// cluster's table entries in row order; the first touch of an entry records its old value, so
/// ‖T_c‖² and the shift follow from the touched entries only. That is O(nnz of the changed rows)
/// instead of O(nnz + k·d), and after the first few iterations a few percent of the rows change.
///
/// Each table entry receives its changes in ascending row order within one block, and per-block
/// partial sums (Float) are added over blocks in block order in Double, so nothing depends on
/// the thread count. The sums drift from a fresh summation only by float rounding (as a direct
/// Float sum does).
///
/// `update` returns nil, and the caller does a full update and calls `rebuilt`, when there is no
/// valid state, when a cluster has no rows before or after (an empty cluster keeps its previous
/// centre, which is not a sum of rows), or when so many rows changed that a full update is cheaper.
final class SphericalSparseUpdate: @unchecked Sendable {
    let n: Int, d: Int, k: Int, kp: Int
    let blocks: Int
    /// Features per block (a power of two).
    static let blockShift = 9
    static let block = 1 << blockShift
    /// 1/‖T_c‖ for the assignment (kp entries, padding 0).
    let inverseNorms: UnsafeMutablePointer<Float>
    /// Whether the table holds normalised centres (no incremental update since the last rebuild).
    private(set) var normalized = true
    private var valid = false
    /// Updates done incrementally so far (tests).
    private(set) var incrementalUpdates = 0
    /// The labels the table reflects.
    private let tableLabels: UnsafeMutablePointer<Int32>
    private let alpha: UnsafeMutablePointer<Float>
    private var length2: [Double]
    private var entries: UnsafeMutablePointer<ChangedEntry>
    private var entryCapacity = 0
    private let changePartial: UnsafeMutablePointer<Float>
    private let lengthPartial: UnsafeMutablePointer<Float>

    init(rows n: Int, d: Int, k: Int) {
        self.n = n
        self.d = d
        self.k = k
        kp = centerStride(k)
        blocks = (d + Self.block - 1) / Self.block
        inverseNorms = .allocate(capacity: max(1, kp))
        tableLabels = .allocate(capacity: max(1, n))
        alpha = .allocate(capacity: max(1, kp))
        length2 = [Double](repeating: 1, count: k)
        entries = .allocate(capacity: 1)
        changePartial = .allocate(capacity: max(1, blocks * kp))
        lengthPartial = .allocate(capacity: max(1, blocks * kp))
        reset()
    }

    deinit {
        for p in [inverseNorms, alpha, changePartial, lengthPartial] { p.deallocate() }
        tableLabels.deallocate()
        entries.deallocate()
    }

    /// Forgets the state (a new run starts from centres written into the table as they are).
    func reset() {
        valid = false
        normalized = true
        inverseNorms.initialize(repeating: 0, count: kp)
        for c in 0..<k { inverseNorms[c] = 1 }
    }

    /// After a full update: the table holds the normalised centres of `labels`, cluster c scaled
    /// by `scales[c]` (1/‖Σ‖ as applied); `members` per cluster.
    func rebuilt(labels: UnsafePointer<Int32>, scales: UnsafePointer<Float>) {
        tableLabels.update(from: labels, count: n)
        alpha.update(from: scales, count: k)
        for c in 0..<k { length2[c] = 1; inverseNorms[c] = 1 }
        valid = true
        normalized = true
    }

    /// Scales the table's columns to unit length (before a full update compares against it).
    func normalize(table: UnsafeMutablePointer<Float>, threads: Int) {
        guard !normalized else { return }
        let (d, kp, inv) = (d, kp, UnsafePointer(inverseNorms))
        let ctx = UncheckedSendable(table)
        forEachChunk(blocks, threads: threads) { b, _ in
            let table = ctx.value
            for j in b * Self.block..<min(d, (b + 1) * Self.block) {
                var t = 0
                while t < kp {
                    let at = UnsafeMutableRawPointer(table + (j &* kp &+ t))
                    at.storeBytes(of: at.loadUnaligned(as: SIMD4<Float>.self) * UnsafeRawPointer(inv + t).loadUnaligned(as: SIMD4<Float>.self),
                                  as: SIMD4<Float>.self)
                    t &+= 4
                }
            }
        }
        reset()
    }

    /// Row-major unit centres (k × d) from the table, in fixed feature blocks.
    func copyCenters(from table: UnsafePointer<Float>, into centers: UnsafeMutablePointer<Float>, threads: Int) {
        let (k, kp, d) = (k, kp, d)
        let ctx = UncheckedSendable((table, centers, UnsafePointer(inverseNorms)))
        forEachChunk(blocks, threads: threads) { b, _ in
            let (table, centers, inv) = ctx.value
            let j0 = b * Self.block, j1 = min(d, j0 + Self.block)
            for c in 0..<k {
                let to = centers + c &* d, s = inv[c]
                for j in j0..<j1 { to[j] = table[j &* kp &+ c] * s }
            }
        }
    }

    /// Moves the rows whose label differs between the table's labels and `labels` and returns the
    /// shift Σ‖new − old‖² of the unit centres, or nil when a full update is needed instead.
    func update(_ x: SparseInput, rowScale: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                table: UnsafeMutablePointer<Float>, threads: Int) -> Double? {
        guard valid else { return nil }
        let (n, d, k, kp) = (n, d, k, kp)
        var before = [Int](repeating: 0, count: k), after = before
        var changed: [Int32] = []
        for i in 0..<n {
            let a = tableLabels[i], b = labels[i]
            if a >= 0 { before[Int(a)] += 1 }
            if b >= 0 { after[Int(b)] += 1 }
            if a != b {
                if a < 0 || b < 0 { return nil }
                changed.append(Int32(i))
            }
        }
        if before.contains(0) || after.contains(0) { return nil }
        if changed.isEmpty { return 0 }
        let m = x.matrix
        // A full update costs about nnz + 2·k·d steps of the incremental one's tenth of a changed entry.
        let changedEntries = m.rowPointers.withUnsafeBufferPointer { rp in changed.reduce(0) { $0 + rp[Int($1) + 1] - rp[Int($1)] } }
        if changedEntries * 10 >= m.nnz + 2 * k * d { return nil }
        // The changed rows' entries (feature, row, sᵢxᵢⱼ) bucketed by feature block, ascending row
        // within a bucket. The changed rows go in fixed segments (counted, then scattered, in
        // parallel); bucket b holds segment 0's entries of block b, then segment 1's, …
        let blockShift = Self.blockShift, blocks = blocks
        let segment = 512
        let changedCount = changed.count
        let segments = (changedCount + segment - 1) / segment
        var slot = [Int](repeating: 0, count: segments * blocks)   // [g·blocks + b]: count, then start
        var bucketStart = [Int](repeating: 0, count: blocks + 1)
        m.rowPointers.withUnsafeBufferPointer { rpb in
        m.columnIndices.withUnsafeBufferPointer { cib in
        m.values.withUnsafeBufferPointer { vsb in
        changed.withUnsafeBufferPointer { chb in
        slot.withUnsafeMutableBufferPointer { sb in
            let (rp, ci, vs, rows, slots) = (rpb.baseAddress!, cib.baseAddress!, vsb.baseAddress!, chb.baseAddress!, SharedPointer(sb.baseAddress!))
            forEachChunk(segments, threads: threads) { g, _ in
                let counts = slots.base + g &* blocks
                let last = min(changedCount, (g &+ 1) &* segment)
                for r in (g &* segment)..<last {
                    // The changed rows are scattered over the matrix: fetch the row after next.
                    if r &+ 2 < last { prefetchRow(Int(rows[r &+ 2]), rp, ci, nil) }
                    let i = Int(rows[r])
                    for p in rp[i]..<rp[i &+ 1] { counts[Int(ci[p]) &>> blockShift] &+= 1 }
                }
            }
            var at = 0
            for b in 0..<blocks {
                bucketStart[b] = at
                for g in 0..<segments {
                    let c = sb[g &* blocks &+ b]
                    sb[g &* blocks &+ b] = at
                    at &+= c
                }
            }
            bucketStart[blocks] = at
            if at > entryCapacity {
                entries.deallocate()
                entryCapacity = at
                entries = .allocate(capacity: at)
            }
            let out = UncheckedSendable(entries)
            forEachChunk(segments, threads: threads) { g, _ in
                let next = slots.base + g &* blocks
                let last = min(changedCount, (g &+ 1) &* segment)
                for r in (g &* segment)..<last {
                    if r &+ 2 < last { prefetchRow(Int(rows[r &+ 2]), rp, ci, vs) }
                    let row = rows[r]
                    let i = Int(row)
                    let s = rowScale[i]
                    for p in rp[i]..<rp[i &+ 1] {
                        let j = ci[p]
                        let b = Int(j) &>> blockShift
                        let q = next[b]
                        out.value[q] = ChangedEntry(feature: j, row: row, value: s * vs[p])
                        next[b] = q &+ 1
                    }
                }
            }
        }}}}}
        let ctx = UncheckedSendable((labels, table))
        let (old, alpha, list) = (UnsafePointer(tableLabels), UnsafePointer(alpha), UnsafePointer(entries))
        let (changes, lengths) = (changePartial, lengthPartial)
        let bounds = bucketStart
        forEachChunk(blocks, threads: threads) { b, _ in
            let (labels, table) = ctx.value
            let dd = changes + b &* kp, dn = lengths + b &* kp
            dd.update(repeating: 0, count: kp)
            dn.update(repeating: 0, count: kp)
            let first = bounds[b], end = bounds[b + 1]
            guard first < end else { return }
            // Applied in row order straight into the table; the first touch of an entry records
            // its old value (bit map over the block's entries) so the net change is known after.
            let base = (b &<< blockShift) &* kp
            let words = ((Self.block &* kp) &+ 63) &>> 6
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { bitBuffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: min(2 &* (end &- first), Self.block &* kp)) { touchedBuffer in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: min(2 &* (end &- first), Self.block &* kp)) { originalBuffer in
                let bits = bitBuffer.baseAddress!, touched = touchedBuffer.baseAddress!, original = originalBuffer.baseAddress!
                bits.initialize(repeating: 0, count: words)
                var count = 0
                @inline(__always) func add(_ at: Int, _ amount: Float) {
                    let local = at &- base
                    let word = local &>> 6, bit = UInt64(1) &<< UInt64(local & 63)
                    let o = table[at]
                    if bits[word] & bit == 0 {
                        bits[word] |= bit
                        touched[count] = at
                        original[count] = o
                        count &+= 1
                    }
                    table[at] = o + amount
                }
                for e in first..<end {
                    if e &+ 48 < end {
                        // The first touches miss the cache: fetch the entries 48 ahead.
                        let ahead = list[e &+ 48]
                        let at = table + Int(ahead.feature) &* kp
                        lifestylePrefetch(UnsafePointer(at + Int(old[Int(ahead.row)])))
                        lifestylePrefetch(UnsafePointer(at + Int(labels[Int(ahead.row)])))
                    }
                    let entry = list[e]
                    let i = Int(entry.row), row = Int(entry.feature) &* kp
                    let from = Int(old[i]), to = Int(labels[i])
                    add(row &+ from, -(alpha[from] * entry.value))
                    add(row &+ to, alpha[to] * entry.value)
                }
                for t in 0..<count {
                    let at = touched[t], c = at % kp
                    let o = original[t], nv = table[at]
                    let e = nv - o
                    dd[c] += e * e
                    dn[c] += nv * nv - o * o
                }
            }}}
        }
        // ‖T'_c‖² = ‖T_c‖² + Σ (t'² − t²); the unit centres moved by
        // ‖T'/|T'| − T/|T|‖² = (‖T' − T‖² − (|T'| − |T|)²) / (|T'|·|T|).
        var shift = 0.0
        for c in 0..<k {
            var change = 0.0, length = 0.0
            for b in 0..<blocks { change += Double(changePartial[b &* kp &+ c]); length += Double(lengthPartial[b &* kp &+ c]) }
            let l0 = length2[c], l1 = l0 + length
            let r0 = l0.squareRoot(), r1 = max(0, l1).squareRoot()
            if r0 > 0 && r1 > 0 {
                let radial = length / (r0 + r1)
                shift += max(0, (change - radial * radial) / (r0 * r1))
            }
            length2[c] = l1
            inverseNorms[c] = r1 > 0 ? Float(1 / r1) : 0
        }
        for r in changed { tableLabels[Int(r)] = labels[Int(r)] }
        normalized = false
        incrementalUpdates += 1
        return shift
    }
}

/// One changed entry: feature j, row i and sᵢxᵢⱼ.
struct ChangedEntry {
    var feature: Int32
    var row: Int32
    var value: Float
}
