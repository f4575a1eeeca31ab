import CLifestyleShims
import LifestyleCore
import LifestyleVectors

/// CSR input: products gather rows of the feature-major centre matrix (`aux[j·kp + c]`, kp = k
/// rounded up to 4, `centerStride`), so the k
/// similarities of a row accumulate in one contiguous register-resident vector.
struct SparseInput: KMeansInput {
    let matrix: CSRMatrix
    let squaredNorms: ContiguousArray<Float>
    var rows: Int { matrix.rows }
    var dimension: Int { matrix.columns }

    /// Without row norms, for plain products (SVD).
    init(unnormalized matrix: CSRMatrix) {
        self.matrix = matrix
        squaredNorms = []
    }

    init(_ matrix: CSRMatrix) {
        self.matrix = matrix
        var norms = ContiguousArray<Float>(repeating: 0, count: matrix.rows)
        matrix.values.withUnsafeBufferPointer { v in
            for i in 0..<matrix.rows {
                var s: Float = 0
                for p in matrix.rowPointers[i]..<matrix.rowPointers[i + 1] { s += v[p] * v[p] }
                norms[i] = s
            }
        }
        squaredNorms = norms
    }

    func auxiliaryCount(k: Int) -> Int { dimension * centerStride(k) }

    /// `aux` is feature-major with row stride `centerStride(k)` (see `auxiliaryCount`).
    /// - Complexity: O(nnz(rows) · k), bound by the latency of gathering centre rows.
    func dots(_ rows: Range<Int>, centers: UnsafePointer<Float>, aux: UnsafePointer<Float>, k: Int, out: UnsafeMutablePointer<Float>) {
        matrix.rowPointers.withUnsafeBufferPointer { rp in
        matrix.columnIndices.withUnsafeBufferPointer { ci in
        matrix.values.withUnsafeBufferPointer { vs in
            sparseGather(rows: rows, rowPointers: rp.baseAddress!, indices: ci.baseAddress!, values: vs.baseAddress!, nnz: ci.count,
                         b: aux, stride: centerStride(k), width: k, out: out)
        }}}
    }

    /// AVX-512 and k ≤ 16 (one line per feature): the gather and the scan of `assignRows` fused.
    func assignSpherical(_ rows: Range<Int>, aux: UnsafePointer<Float>, k: Int, centerScales: UnsafePointer<Float>, rowScale: UnsafePointer<Float>,
                         labels: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Float>) -> (objective: Double, changed: Int)? {
        var objective = 0.0, changed = 0
        let done = matrix.rowPointers.withUnsafeBufferPointer { rp in
            matrix.columnIndices.withUnsafeBufferPointer { ci in
                matrix.values.withUnsafeBufferPointer { vs in
                    lifestyle_spherical_assign(GatherKernel.level, rows.lowerBound, rows.upperBound, rp.baseAddress!, ci.baseAddress!, vs.baseAddress!,
                                               ci.count, aux, centerStride(k), k, centerScales, rowScale, labels, distances, &objective, &changed)
                }
            }
        }
        return done != 0 ? (objective, changed) : nil
    }

    /// Plain product with a dense row-major B (columns × width, row stride `width`).
    func multiply(_ rows: Range<Int>, b: UnsafePointer<Float>, width: Int, out: UnsafeMutablePointer<Float>) {
        matrix.rowPointers.withUnsafeBufferPointer { rp in
        matrix.columnIndices.withUnsafeBufferPointer { ci in
        matrix.values.withUnsafeBufferPointer { vs in
            sparseGather(rows: rows, rowPointers: rp.baseAddress!, indices: ci.baseAddress!, values: vs.baseAddress!, nnz: ci.count,
                         b: b, stride: width, width: width, out: out)
        }}}
    }

    /// Transposes `centers` into `aux` (d × centerStride(k), padding left as initialised, i.e. 0) in fixed feature blocks;
    /// the shift is summed per block and the blocks in order, so it does not depend on `threads`.
    func refreshAuxiliary(centers: UnsafePointer<Float>, k: Int, aux: UnsafeMutablePointer<Float>, threads: Int) -> Double {
        transpose(centers: centers, k: k, aux: aux, threads: threads, perCenter: nil)
    }

    /// `refreshAuxiliary`, also writing per centre c the squared change ‖new − old‖² to
    /// perCenter[c] when given (summed as the shift is: Float within a block, Double over blocks in order).
    func transpose(centers: UnsafePointer<Float>, k: Int, aux: UnsafeMutablePointer<Float>, threads: Int,
                   perCenter: UnsafeMutablePointer<Double>?) -> Double {
        let d = dimension
        let kp = centerStride(k)
        // Blocks of 512 features: the 512 × kp destination tile stays in L2 while all k centres
        // are written into it. Centres go in groups of 8: one SIMD8 holds feature j of 8
        // centres (8 sequential source streams) and is stored as one contiguous 32-byte piece of
        // the feature-major row.
        let block = 512
        let blocks = (d + block - 1) / block
        guard k > 0, blocks > 0 else { return 0 }
        var partial = [Double](repeating: 0, count: blocks)
        // Per block and centre: the squared change.
        var centrePartial = [Double](repeating: 0, count: perCenter == nil ? 0 : blocks * k)
        let src = UncheckedSendable(centers), dst = SharedPointer(aux)
        partial.withUnsafeMutableBufferPointer { pb in
        centrePartial.withUnsafeMutableBufferPointer { cpb in
            let out = SharedPointer(pb.baseAddress!)
            let byCentre = UncheckedSendable(perCenter == nil ? nil : cpb.baseAddress)
            forEachChunk(blocks, threads: threads) { b, _ in
                let j0 = b * block, j1 = min(d, j0 + block)
                withUnsafeTemporaryAllocation(of: Float.self, capacity: kp) { perCentre in
                    let sums = perCentre.baseAddress!
                    var c0 = 0
                    while c0 &+ 8 <= k {
                        let from = src.value + c0 * d
                        let to = UnsafeMutableRawPointer(dst.base + c0)
                        // Per centre, four partial sums of squared changes by j mod 4 (the tail
                        // goes to the first), each in ascending j: a Float partial of ≤ 128
                        // squares per centre loses nothing.
                        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
                        @inline(__always) func column(_ j: Int) -> SIMD8<Float> {
                            SIMD8(from[j], from[d &+ j], from[2 &* d &+ j], from[3 &* d &+ j],
                                  from[4 &* d &+ j], from[5 &* d &+ j], from[6 &* d &+ j], from[7 &* d &+ j])
                        }
                        @inline(__always) func put(_ j: Int, _ nv: SIMD8<Float>, _ s: inout SIMD8<Float>) {
                            let at = to + j &* kp &* 4
                            let e = nv - at.loadUnaligned(as: SIMD8<Float>.self)
                            at.storeBytes(of: nv, as: SIMD8<Float>.self)
                            s += e * e
                        }
                        var j = j0
                        while j &+ 4 <= j1 {
                            // Features j..j+3 of the 8 centres: eight 4-wide loads and two 4 × 4 transposes.
                            let (l0, l1, l2, l3) = transpose4(load4(from + j), load4(from + (d &+ j)), load4(from + (2 &* d &+ j)), load4(from + (3 &* d &+ j)))
                            let (h0, h1, h2, h3) = transpose4(load4(from + (4 &* d &+ j)), load4(from + (5 &* d &+ j)), load4(from + (6 &* d &+ j)), load4(from + (7 &* d &+ j)))
                            put(j, SIMD8(lowHalf: l0, highHalf: h0), &s0)
                            put(j &+ 1, SIMD8(lowHalf: l1, highHalf: h1), &s1)
                            put(j &+ 2, SIMD8(lowHalf: l2, highHalf: h2), &s2)
                            put(j &+ 3, SIMD8(lowHalf: l3, highHalf: h3), &s3)
                            j &+= 4
                        }
                        while j < j1 { put(j, column(j), &s0); j &+= 1 }
                        let t = (s0 + s1) + (s2 + s3)
                        for l in 0..<8 { sums[c0 + l] = t[l] }
                        c0 &+= 8
                    }
                    // The last centres (k not a multiple of 8) one at a time, with the same partial sums.
                    for c in c0..<k {
                        let from = src.value + c * d
                        let to = dst.base + c
                        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                        var j = j0
                        while j &+ 4 <= j1 {
                            let n0 = from[j], n1 = from[j &+ 1], n2 = from[j &+ 2], n3 = from[j &+ 3]
                            let e0 = n0 - to[j &* kp], e1 = n1 - to[(j &+ 1) &* kp], e2 = n2 - to[(j &+ 2) &* kp], e3 = n3 - to[(j &+ 3) &* kp]
                            to[j &* kp] = n0; to[(j &+ 1) &* kp] = n1; to[(j &+ 2) &* kp] = n2; to[(j &+ 3) &* kp] = n3
                            s0 += e0 * e0; s1 += e1 * e1; s2 += e2 * e2; s3 += e3 * e3
                            j &+= 4
                        }
                        while j < j1 {
                            let n0 = from[j], e0 = n0 - to[j &* kp]
                            to[j &* kp] = n0
                            s0 += e0 * e0
                            j &+= 1
                        }
                        sums[c] = (s0 + s1) + (s2 + s3)
                    }
                    var s = 0.0
                    for c in 0..<k { s += Double(sums[c]) }
                    out[b] = s
                    if let centre = byCentre.value {
                        for c in 0..<k { centre[b &* k &+ c] = Double(sums[c]) }
                    }
                }
            }
        }}
        if let perCenter {
            perCenter.initialize(repeating: 0, count: k)
            for b in 0..<blocks { for c in 0..<k { perCenter[c] += centrePartial[b * k + c] } }
        }
        return partial.reduce(0, +)
    }

    /// Adds `scale[i]` × row i to `target` for the `count` rows listed in `list`, in list order
    /// (the same sums as `add(row:scale:to:)` row by row).
    func accumulate(rows list: UnsafePointer<Int32>, count: Int, scale: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        matrix.rowPointers.withUnsafeBufferPointer { rpb in
        matrix.columnIndices.withUnsafeBufferPointer { cib in
        matrix.values.withUnsafeBufferPointer { vsb in
            guard let rp = rpb.baseAddress, let ci = cib.baseAddress, let vs = vsb.baseAddress else { return }
            var r = 0
            while r < count {
                let i = Int(list[r])
                // The cluster's rows are scattered over the matrix: fetch the row after next
                // (its indices and values, up to four lines each) while this one is added.
                if r &+ 2 < count { prefetchRow(Int(list[r &+ 2]), rp, ci, vs) }
                let s = scale[i]
                var p = rp[i]
                let end = rp[i &+ 1]
                while p < end {
                    target[Int(ci[p])] += s * vs[p]
                    p &+= 1
                }
                r &+= 1
            }
        }}}
    }

    /// Stored entries of the listed rows.
    func entryCount<S: Sequence>(ofRows list: S) -> Int where S.Element == Int32 {
        matrix.rowPointers.withUnsafeBufferPointer { rp in
            var total = 0
            for r in list { total += rp[Int(r) + 1] - rp[Int(r)] }
            return total
        }
    }

    func add(row i: Int, scale: Float, to target: UnsafeMutablePointer<Float>) {
        matrix.columnIndices.withUnsafeBufferPointer { ci in
            matrix.values.withUnsafeBufferPointer { vs in
                for p in matrix.rowPointers[i]..<matrix.rowPointers[i + 1] { target[Int(ci[p])] += scale * vs[p] }
            }
        }
    }

    func exactDot(row i: Int, _ c: UnsafePointer<Float>) -> Double {
        var s = 0.0
        for p in matrix.rowPointers[i]..<matrix.rowPointers[i + 1] {
            s += Double(matrix.values[p]) * Double(c[Int(matrix.columnIndices[p])])
        }
        return s
    }

    func exactSquaredDistance(row i: Int, _ c: UnsafePointer<Float>, centerSquaredNorm: Double) -> Double {
        var xx = 0.0, xc = 0.0
        for p in matrix.rowPointers[i]..<matrix.rowPointers[i + 1] {
            let v = Double(matrix.values[p])
            xx += v * v
            xc += v * Double(c[Int(matrix.columnIndices[p])])
        }
        return max(0, xx - 2 * xc + centerSquaredNorm)
    }

    func rowHash(_ i: Int) -> UInt64 {
        var h: UInt64 = 0x1234_5678
        for p in matrix.rowPointers[i]..<matrix.rowPointers[i + 1] {
            h = mixHash(h, UInt64(UInt32(bitPattern: matrix.columnIndices[p])) << 32 | UInt64(matrix.values[p].bitPattern))
        }
        return h
    }

    func firstNonFinite() -> (row: Int, column: Int, value: Float)? {
        guard let p = matrix.values.firstIndex(where: { !$0.isFinite }) else { return nil }
        // The row holding entry p: the last row whose pointer is <= p (binary search).
        var lo = 0, hi = matrix.rows
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if matrix.rowPointers[mid] <= p { lo = mid } else { hi = mid }
        }
        return (lo, Int(matrix.columnIndices[p]), matrix.values[p])
    }

    func subset(rows selected: [Int]) -> SparseInput {
        var ptr = ContiguousArray<Int>([0]), idx = ContiguousArray<Int32>(), val = ContiguousArray<Float>()
        for i in selected {
            let r = matrix.rowPointers[i]..<matrix.rowPointers[i + 1]
            idx.append(contentsOf: matrix.columnIndices[r])
            val.append(contentsOf: matrix.values[r])
            ptr.append(idx.count)
        }
        return SparseInput(CSRMatrix(rows: selected.count, columns: matrix.columns, rowPointers: ptr, columnIndices: idx, values: val))
    }

    func columnVarianceSum() -> Double {
        guard rows > 0 else { return 0 }
        var sum = [Double](repeating: 0, count: dimension), sq = sum
        for p in 0..<matrix.nnz {
            let j = Int(matrix.columnIndices[p]), v = Double(matrix.values[p])
            sum[j] += v
            sq[j] += v * v
        }
        let n = Double(rows)
        var total = 0.0
        for j in 0..<dimension { let m = sum[j] / n; total += max(0, sq[j] / n - m * m) }
        return total
    }
}

@inline(__always)
private func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

/// Columns of the 4 × 4 matrix whose rows are r0…r3.
@inline(__always)
private func transpose4(_ r0: SIMD4<Float>, _ r1: SIMD4<Float>, _ r2: SIMD4<Float>, _ r3: SIMD4<Float>)
    -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let t0 = SIMD4(r0[0], r1[0], r0[1], r1[1]), t1 = SIMD4(r2[0], r3[0], r2[1], r3[1])
    let t2 = SIMD4(r0[2], r1[2], r0[3], r1[3]), t3 = SIMD4(r2[2], r3[2], r2[3], r3[3])
    return (SIMD4(t0[0], t0[1], t1[0], t1[1]), SIMD4(t0[2], t0[3], t1[2], t1[3]),
            SIMD4(t2[0], t2[1], t3[0], t3[1]), SIMD4(t2[2], t2[3], t3[2], t3[3]))
}
