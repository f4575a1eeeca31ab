import CBLAS

/// Row-major dense input: a chunk's products with all centres are one `cblas_sgemm`
/// (m × d times d × k), the GEMM form of ‖x‖² − 2x·c + ‖c‖² that scikit-learn uses.
struct DenseInput: KMeansInput {
    let matrix: DenseMatrix
    let squaredNorms: ContiguousArray<Float>
    var rows: Int { matrix.rows }
    var dimension: Int { matrix.columns }

    init(_ matrix: DenseMatrix) {
        self.matrix = matrix
        let d = matrix.columns
        squaredNorms = matrix.values.withUnsafeBufferPointer { v in
            ContiguousArray((0..<matrix.rows).map { i in d == 0 ? 0 : squaredNorm(v.baseAddress! + i * d, count: d) })
        }
    }

    /// One single-threaded `sgemm` per chunk (the caller pins BLAS to one thread).
    /// - Complexity: O(m·d·k) FLOPs at GEMM speed.
    func dots(_ rows: Range<Int>, centers: UnsafePointer<Float>, aux: UnsafePointer<Float>, k: Int, out: UnsafeMutablePointer<Float>) {
        let d = dimension
        guard d > 0 else { out.initialize(repeating: 0, count: rows.count * k); return }
        matrix.values.withUnsafeBufferPointer { v in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(k), Int32(d),
                        1, v.baseAddress! + rows.lowerBound * d, Int32(d), centers, Int32(d), 0, out, Int32(k))
        }
    }

    func auxiliaryCount(k: Int) -> Int { k * dimension }

    /// `aux` keeps the previous centres; returns Σ‖new − old‖² and copies new over old.
    func refreshAuxiliary(centers: UnsafePointer<Float>, k: Int, aux: UnsafeMutablePointer<Float>, threads: Int) -> Double {
        var s = 0.0
        for p in 0..<(k * dimension) {
            let diff = Double(centers[p] - aux[p])
            s += diff * diff
        }
        aux.update(from: centers, count: k * dimension)
        return s
    }

    func add(row i: Int, scale: Float, to target: UnsafeMutablePointer<Float>) {
        let d = dimension
        guard d > 0 else { return }
        matrix.values.withUnsafeBufferPointer { v in addScaled(v.baseAddress! + i * d, scale, into: target, count: d) }
    }

    func exactDot(row i: Int, _ c: UnsafePointer<Float>) -> Double {
        var s = 0.0
        let d = dimension
        for j in 0..<d { s += Double(matrix.values[i * d + j]) * Double(c[j]) }
        return s
    }

    func exactSquaredDistance(row i: Int, _ c: UnsafePointer<Float>, centerSquaredNorm: Double) -> Double {
        var s = 0.0
        let d = dimension
        for j in 0..<d { let diff = Double(matrix.values[i * d + j]) - Double(c[j]); s += diff * diff }
        return s
    }

    func rowHash(_ i: Int) -> UInt64 {
        var h: UInt64 = 0x1234_5678
        for j in 0..<dimension { h = mixHash(h, UInt64(matrix.values[i * dimension + j].bitPattern)) }
        return h
    }

    func firstNonFinite() -> (row: Int, column: Int, value: Float)? {
        guard dimension > 0, let p = matrix.values.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (p / dimension, p % dimension, matrix.values[p])
    }

    func subset(rows selected: [Int]) -> DenseInput {
        let d = dimension
        var out = ContiguousArray<Float>()
        out.reserveCapacity(selected.count * d)
        for i in selected { out.append(contentsOf: matrix.values[i * d ..< (i + 1) * d]) }
        return DenseInput(DenseMatrix(rows: selected.count, columns: d, values: out))
    }

    func columnVarianceSum() -> Double {
        guard rows > 0 else { return 0 }
        let d = dimension, n = Double(rows)
        var total = 0.0
        for j in 0..<d {
            var s = 0.0, q = 0.0
            for i in 0..<rows { let v = Double(matrix.values[i * d + j]); s += v; q += v * v }
            let m = s / n
            total += max(0, q / n - m * m)
        }
        return total
    }
}
