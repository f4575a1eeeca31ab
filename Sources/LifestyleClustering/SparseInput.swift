import LifestyleVectors

/// CSR input: products gather rows of the feature-major centre matrix (`aux[j·kp + c]`, kp = k
/// rounded up to 8), so the k
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

    func auxiliaryCount(k: Int) -> Int { dimension * paddedWidth(k) }

    /// `aux` is feature-major with row stride `paddedWidth(k)` (see `auxiliaryCount`).
    /// - Complexity: O(nnz(rows) · k), bound by the latency of gathering centre rows.
    func dots(_ rows: Range<Int>, centers: UnsafePointer<Float>, aux: UnsafePointer<Float>, k: Int, out: UnsafeMutablePointer<Float>) {
        matrix.rowPointers.withUnsafeBufferPointer { rp in
        matrix.columnIndices.withUnsafeBufferPointer { ci in
        matrix.values.withUnsafeBufferPointer { vs in
            sparseGather(rows: rows, rowPointers: rp.baseAddress!, indices: ci.baseAddress!, values: vs.baseAddress!, nnz: ci.count,
                         b: aux, stride: paddedWidth(k), width: k, out: out)
        }}}
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

    /// Transposes `centers` into `aux` (d × paddedWidth(k), padding left as initialised, i.e. 0) in fixed feature blocks; the shift is summed per
    /// block and the blocks in order, so it does not depend on `threads`.
    func refreshAuxiliary(centers: UnsafePointer<Float>, k: Int, aux: UnsafeMutablePointer<Float>, threads: Int) -> Double {
        let d = dimension
        let kp = paddedWidth(k)
        // Blocks of 512 features: each centre's 512 values are one 2 KiB sequential read (the
        // hardware prefetcher follows it), and the 512 × kp destination tile stays in L2 while
        // all k centres are written into it.
        let block = 512
        let blocks = (d + block - 1) / block
        var partial = [Double](repeating: 0, count: blocks)
        let src = UncheckedSendable(centers), dst = SharedPointer(aux)
        partial.withUnsafeMutableBufferPointer { pb in
            let out = SharedPointer(pb.baseAddress!)
            forEachChunk(blocks, threads: threads) { b, _ in
                var s = 0.0
                let j0 = b * block, j1 = min(d, j0 + block)
                for c in 0..<k {
                    let from = src.value + c * d
                    let to = dst.base + c
                    // Four independent partial sums: one serial chain would cost a dependent
                    // add per element; a Float partial of ≤ 64 squares per centre loses nothing.
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
                    s += Double((s0 + s1) + (s2 + s3))
                }
                out[b] = s
            }
        }
        return partial.reduce(0, +)
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
