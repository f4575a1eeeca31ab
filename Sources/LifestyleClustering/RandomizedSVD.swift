import CLifestyleShims
import CBLAS
import CLAPACKE
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// Randomised truncated SVD (Halko, Martinsson & Tropp 2011) of a sparse matrix, for LSA.
///
/// Y = A·Ω (Ω Gaussian, d × ℓ, ℓ = components + oversamples), `powerIterations` rounds of
/// Y = A·(Aᵀ·lu(Y)) (LU-normalising the smaller panel), then Q = qr(Y), Bᵀ = Aᵀ·Q and the SVD
/// of Bᵀ (d × ℓ) from the eigenpairs of its ℓ × ℓ Gram matrix; the components are then
/// Aᵀ·(Q·V_b)·Σ⁻¹ (one more sparse product rather than a d × ℓ × r dense one).
/// The dense panels are row-major with rows padded to a multiple of 8 floats. Products with A
/// gather whole padded rows in SIMD tiles; products with Aᵀ (a transposed copy) gather from
/// 16-float column panels of the dense operand that stay in L2. Rows are handed to the workers
/// in nnz-balanced ranges, and every output element is summed in stored order from 0, so the
/// result is bit-identical for any thread count. The dense steps are LAPACK `sgetrf` (power
/// iterations), `sgeqrf`/`sorgqr` (final basis) on column-major copies made by blocked parallel
/// transposes, `ssyrk` and `dsyevd`.
///
/// ```swift
/// let lsa = try RandomizedSVD(.init(components: 128, seed: 1)).fit(tfidf)
/// let vectors = lsa.embedding            // n × 128, = U·Σ
/// ```
public struct RandomizedSVD: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Output dimension r (1 ≤ r ≤ min(rows, columns)).
        public var components: Int
        /// Extra random directions beyond r (scikit-learn's `n_oversamples`, default 10).
        public var oversamples: Int
        /// Power iterations; more sharpen slowly decaying spectra (scikit-learn's `n_iter`, default 5 in TruncatedSVD).
        public var powerIterations: Int
        public var seed: UInt64
        public var threads: Int

        public init(components: Int, oversamples: Int = 10, powerIterations: Int = 5, seed: UInt64 = 0, threads: Int = defaultThreadCount) {
            self.components = components
            self.oversamples = oversamples
            self.powerIterations = powerIterations
            self.seed = seed
            self.threads = threads
        }

        public func validate() throws {
            guard components >= 1 else { throw ConfigurationError("components=\(components) should be >= 1") }
            guard oversamples >= 0 else { throw ConfigurationError("oversamples=\(oversamples) should be >= 0") }
            guard powerIterations >= 0 else { throw ConfigurationError("powerIterations=\(powerIterations) should be >= 0") }
            guard threads >= 1 else { throw ConfigurationError("threads=\(threads) should be >= 1") }
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// - Complexity: O((2q + 3) · nnz · ℓ) for the products plus O((n + d) · ℓ²) for LU, QR and SVD;
    ///   memory O((n + d) · ℓ) (Ω, Y, Z and two n × ℓ scratch panels) plus a transposed copy of A.
    public func fit(_ a: CSRMatrix) throws -> TruncatedSVDModel {
        let config = configuration
        let n = a.rows, d = a.columns, r = config.components
        guard n > 0, d > 0 else { throw ConfigurationError("cannot decompose a \(n) × \(d) matrix: it has no \(n == 0 ? "rows" : "columns")") }
        guard r <= min(n, d) else {
            throw ConfigurationError("components=\(r) should be <= min(rows, columns)=\(min(n, d)) (the largest possible rank)")
        }
        if let bad = SparseInput(unnormalized: a).firstNonFinite() {
            throw InputError(field: "row \(bad.row)", reason: "value \(bad.value) at column \(bad.column) is not finite")
        }
        let l = min(r + config.oversamples, min(n, d))
        let t0 = monotonicSeconds()
        let threads = config.threads
        // The panels are row-major with rows padded to a multiple of 8 floats (ld) so the sparse
        // kernels gather whole SIMD8 pieces; the padding lanes stay 0.
        let ld = paddedWidth(l)
        let at = a.transposed()
        // Work items of about equal stored entries, handed out dynamically (each output row is
        // computed whole by one worker, so the schedule never changes the bits).
        let parts = 64 * max(1, threads)
        let rangesA = balancedRowRanges(a, parts: parts), rangesAt = balancedRowRanges(at, parts: parts)
        let panelScratch = UnsafeMutableRawPointer.allocate(byteCount: 4 * at.panelScratchCount(width: l), alignment: 64)
            .bindMemory(to: Float.self, capacity: at.panelScratchCount(width: l))
        defer { panelScratch.deallocate() }
        // Column-major copy of the LU / QR panel (min(n, d) × ℓ when normalising, n × ℓ for the QR).
        let columnScratch = UnsafeMutablePointer<Float>.allocate(capacity: n * l)
        defer { columnScratch.deallocate() }
        // Every element (padding included) is written by the parallel draw, which also takes the page faults.
        var omega = [Float](unsafeUninitializedCapacity: d * ld) { buffer, count in
            gaussianPanel(into: buffer.baseAddress!, rows: d, columns: l, stride: ld, seed: config.seed, threads: threads)
            count = d * ld
        }
        // Y and Z start uninitialised: every product writes all ld lanes of every row (the padding
        // as sums of Ω's zero padding, so 0), in parallel, which also spreads the page faults.
        var y = [Float](unsafeUninitializedCapacity: n * ld) { $1 = n * ld }
        var z = [Float](unsafeUninitializedCapacity: d * ld) { $1 = d * ld }
        // Only the sparse products pin OpenBLAS to one thread (they run their own chunks in
        // parallel); LU, QR and the Gram product use OpenBLAS's threads.
        omega.withUnsafeBufferPointer { o in
            y.withUnsafeMutableBufferPointer { a.multiplyPadded(o.baseAddress!, stride: ld, width: l, into: $0.baseAddress!, outStride: ld, ranges: rangesA, threads: threads) }
        }
        omega = []
        for _ in 0..<config.powerIterations {
            // LU normalisation (as scikit-learn for n_iter > 2: half the flops of QR) once per
            // power iteration, on the smaller panel: between two normalisations the columns grow
            // by at most (σ₁/σ_ℓ)², far from float32's limits for TF-IDF spectra.
            if n <= d { try luNormalize(&y, rows: n, columns: l, stride: ld, scratch: columnScratch, threads: threads) }
            y.withUnsafeBufferPointer { src in
                z.withUnsafeMutableBufferPointer { at.multiplyPanels(src.baseAddress!, stride: ld, width: l, into: $0.baseAddress!, outStride: ld, ranges: rangesAt, threads: threads, scratch: panelScratch) }
            }
            if d < n { try luNormalize(&z, rows: d, columns: l, stride: ld, scratch: columnScratch, threads: threads) }
            z.withUnsafeBufferPointer { src in
                y.withUnsafeMutableBufferPointer { a.multiplyPadded(src.baseAddress!, stride: ld, width: l, into: $0.baseAddress!, outStride: ld, ranges: rangesA, threads: threads) }
            }
        }
        try orthonormalize(&y, rows: n, columns: l, stride: ld, scratch: columnScratch, threads: threads)   // Q, n × ℓ
        y.withUnsafeBufferPointer { src in   // Bᵀ = AᵀQ, d × ℓ
            z.withUnsafeMutableBufferPointer { at.multiplyPanels(src.baseAddress!, stride: ld, width: l, into: $0.baseAddress!, outStride: ld, ranges: rangesAt, threads: threads, scratch: panelScratch) }
        }
        // Bᵀ = U_b Σ V_bᵀ from the eigenpairs of the small Gram matrix BBᵀ = ZᵀZ = V_b Σ² V_bᵀ
        // (ℓ × ℓ, in Double); then U_b = Z V_b Σ⁻¹ and A·V = Q·V_b·Σ.
        var gram = [Float](repeating: 0, count: l * l)
        var g: [Double] = []
        var w = [Double](repeating: 0, count: l)
        let info = withNaturalBLAS { () -> Int32 in
            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(l), Int32(d), 1, z, Int32(ld), 0, &gram, Int32(l))
            g = gram.map { Double($0) }
            return LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(l), &g, Int32(l), &w)
        }
        guard info == 0 else { throw RuntimeFailure("LAPACKE_dsyevd failed (info=\(info)) on a \(l) × \(l) Gram matrix") }
        var s = [Float](repeating: 0, count: r)
        var inverse = [Float](repeating: 0, count: r)     // Σ⁻¹ (0 for σ ≈ 0)
        var vb = [Float](repeating: 0, count: l * r)      // first r right singular vectors of Bᵀ, ℓ × r
        for c in 0..<r {
            let e = l - 1 - c                              // dsyevd: ascending eigenvalues
            let sigma = max(0, w[e]).squareRoot()
            s[c] = Float(sigma)
            inverse[c] = Float(sigma > max(w[l - 1], 0).squareRoot() * 1e-3 ? 1 / sigma : 0)
            for i in 0..<l { vb[i * r + c] = Float(g[i * l + e]) }
        }
        // Q·V_b (n × r, rows padded to rp), then V = Aᵀ·(Q·V_b)·Σ⁻¹ (= Z·V_b·Σ⁻¹, as one more
        // sparse product instead of a d × ℓ × r dense product).
        let rp = paddedWidth(r)
        // Q·V_b goes into the LU/QR scratch when it fits (its pages are already mapped: a fresh
        // 30 MB array costs 15–85 ms of page faults on these machines), its padding lanes zeroed.
        let ownQV = rp > l ? UnsafeMutablePointer<Float>.allocate(capacity: n * rp) : nil
        defer { ownQV?.deallocate() }
        let qv = ownQV ?? columnScratch
        if rp > r { for i in 0..<n { (qv + i * rp + r).update(repeating: 0, count: rp - r) } }
        withNaturalBLAS {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(r), Int32(l), 1, y, Int32(ld), vb, Int32(r), 0, qv, Int32(rp))
        }
        y = []
        var atqv = z   // reuses Z's pages (d × ld ≥ d × rp); Z is no longer needed
        z = []
        atqv.withUnsafeMutableBufferPointer { at.multiplyPanels(qv, stride: rp, width: r, into: $0.baseAddress!, outStride: rp, ranges: rangesAt, threads: threads, scratch: panelScratch) }
        // Components r × d with the sign convention: the largest-magnitude loading of each
        // component (the first on ties) is positive. The signs come from one pass over the
        // feature-major U·Σ⁻¹ (per block of 64 features, blocks merged in order), then one blocked
        // transpose writes every component scaled and signed.
        let block = 64
        let blocks = (d + block - 1) / block
        var blockBest = [Float](repeating: -1, count: blocks * r)
        var blockArg = [Int](repeating: 0, count: blocks * r)
        var sign = [Float](repeating: 1, count: r)
        let components = atqv.withUnsafeBufferPointer { ub in
            inverse.withUnsafeBufferPointer { ib in
                let src = UncheckedSendable((ub.baseAddress!, ib.baseAddress!))
                blockBest.withUnsafeMutableBufferPointer { bb in
                blockArg.withUnsafeMutableBufferPointer { ba in
                    let best = SharedPointer(bb.baseAddress!), arg = SharedPointer(ba.baseAddress!)
                    forEachChunk(blocks, threads: threads) { b, _ in
                        let (u, inv) = src.value
                        let top = best.base + b * r, at = arg.base + b * r
                        for j in (b * block)..<min(d, (b + 1) * block) {
                            let row = u + j * rp
                            for c in 0..<r {
                                let v = abs(row[c] * inv[c])
                                if v > top[c] { top[c] = v; at[c] = j }
                            }
                        }
                    }
                }}
                for c in 0..<r {
                    var top: Float = -1, at = 0
                    for b in 0..<blocks where blockBest[b * r + c] > top { top = blockBest[b * r + c]; at = blockArg[b * r + c] }
                    if ub[at * rp + c] * ib[c] < 0 { sign[c] = -1 }
                }
                return ContiguousArray<Float>(unsafeUninitializedCapacity: r * d) { cb, count in
                    let out = SharedPointer(cb.baseAddress!)
                    let negate = sign.map { $0 < 0 }
                    // Tiles of 64 features × 16 components: 64 short row reads, 16 contiguous writes.
                    forEachChunk(blocks, threads: threads) { b, _ in
                        let (u, inv) = src.value
                        let j0 = b * block, j1 = min(d, j0 + block)
                        var c0 = 0
                        while c0 < r {
                            let c1 = min(r, c0 + 16)
                            for c in c0..<c1 {
                                let dst = out.base + c * d, f = inv[c], flip = negate[c]
                                for j in j0..<j1 {
                                    let value = u[j * rp + c] * f
                                    dst[j] = flip ? -value : value
                                }
                            }
                            c0 = c1
                        }
                    }
                    count = r * d
                }
            }
        }
        atqv = []
        // The embedding A·V = Q·V_b·Σ, signed, in parallel blocks of rows (which also spreads its page faults).
        let f = (0..<r).map { sign[$0] * s[$0] }
        let embedding = ContiguousArray<Float>(unsafeUninitializedCapacity: n * r) { eb, count in
            let ctx = UncheckedSendable((SharedPointer(eb.baseAddress!), UnsafePointer(qv)))
            let rowsPerBlock = 1024
            forEachChunk(fixedChunks(count: n, size: rowsPerBlock), threads: threads) { b, _ in
                let (out, q) = ctx.value
                for i in (b * rowsPerBlock)..<min(n, (b + 1) * rowsPerBlock) {
                    let row = out.base + i * r, src = q + i * rp
                    for c in 0..<r { row[c] = f[c] * src[c] }
                }
            }
            count = n * r
        }
        // ‖A − A·V·Vᵀ‖²_F = ‖A‖²_F − ‖A·V‖²_F (V orthonormal).
        var total = 0.0
        for v in a.values { total += Double(v) * Double(v) }
        var kept = 0.0
        for c in 0..<r { kept += Double(s[c]) * Double(s[c]) }
        let error = total > 0 ? (max(0, total - kept) / total).squareRoot() : 0
        var warnings: [String] = []
        let rankTolerance = Float(max(n, d)) * Float.ulpOfOne * (s.first ?? 0)
        let effective = s.prefix(r).filter { $0 > rankTolerance }.count
        if effective < r { warnings.append("components=\(r) exceeds the numerical rank \(effective): the last \(r - effective) singular values are ~0") }
        return TruncatedSVDModel(
            components: components, singularValues: Array(s.prefix(r)), dimension: d,
            embedding: DenseMatrix(rows: n, columns: r, values: embedding),
            relativeReconstructionError: error, warnings: warnings, seconds: monotonicSeconds() - t0,
            threads: threads)
    }
}

/// Replaces a row-major m × c panel (m ≥ c, row stride `ld` ≥ c; padding lanes untouched) by P·L
/// from its LU factorisation (`sgetrf`): the same column space, well-conditioned enough to feed
/// the next power iteration. LAPACK works on a column-major scratch copy (m × c floats) made and
/// read back by blocked parallel transposes — the same `sgetrf` on the same data as LAPACKE's
/// row-major path (same bits) without its serial transposes and NaN scan.
func luNormalize(_ m: inout [Float], rows: Int, columns c: Int, stride ld: Int,
                 scratch: UnsafeMutablePointer<Float>, threads: Int) throws {
    var pivots = [Int32](repeating: 0, count: c)
    let info = m.withUnsafeMutableBufferPointer { b -> Int32 in
        transposeToColumnMajor(b.baseAddress!, rows: rows, columns: c, stride: ld, into: scratch, threads: threads)
        let info = withNaturalBLAS { LAPACKE_sgetrf_work(LAPACK_COL_MAJOR, Int32(rows), Int32(c), scratch, Int32(rows), &pivots) }
        if info >= 0 { transposeToRowMajor(scratch, rows: rows, columns: c, into: b.baseAddress!, stride: ld, threads: threads) }
        return info
    }
    guard info >= 0 else { throw RuntimeFailure("LAPACKE_sgetrf failed (info=\(info)) on a \(rows) × \(c) matrix") }
    m.withUnsafeMutableBufferPointer { b in
        let p = b.baseAddress!
        for i in 0..<c {
            p[i * ld + i] = 1
            for j in (i + 1)..<c { p[i * ld + j] = 0 }
        }
        // Undo the row interchanges (last first) to get P·L.
        for i in stride(from: c - 1, through: 0, by: -1) {
            let q = Int(pivots[i]) - 1
            if q != i { swapRows(p + i * ld, p + q * ld, count: c) }
        }
    }
}

/// Replaces the columns of a row-major m × c panel (m ≥ c, row stride `ld` ≥ c) by an orthonormal
/// basis of their span (Householder QR: `sgeqrf` then `sorgqr`), through a column-major scratch
/// copy (m × c floats) made and read back by blocked parallel transposes.
func orthonormalize(_ m: inout [Float], rows: Int, columns c: Int, stride ld: Int,
                    scratch: UnsafeMutablePointer<Float>, threads: Int) throws {
    var tau = [Float](repeating: 0, count: c)
    var info: Int32 = 0
    m.withUnsafeMutableBufferPointer { b in
        transposeToColumnMajor(b.baseAddress!, rows: rows, columns: c, stride: ld, into: scratch, threads: threads)
        info = withNaturalBLAS {
            let qr = LAPACKE_sgeqrf(LAPACK_COL_MAJOR, Int32(rows), Int32(c), scratch, Int32(rows), &tau)
            guard qr == 0 else { return qr }
            return LAPACKE_sorgqr(LAPACK_COL_MAJOR, Int32(rows), Int32(c), Int32(c), scratch, Int32(rows), &tau)
        }
        guard info == 0 else { return }
        transposeToRowMajor(scratch, rows: rows, columns: c, into: b.baseAddress!, stride: ld, threads: threads)
    }
    guard info == 0 else { throw RuntimeFailure("LAPACK QR failed (info=\(info)) on a \(rows) × \(c) matrix") }
}

@inline(__always)
private func swapRows(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, count: Int) {
    for j in 0..<count { let t = a[j]; a[j] = b[j]; b[j] = t }
}

/// Fills a row-major rows × columns panel (row stride `stride`; padding lanes set to 0) with standard
/// normal deviates, in fixed blocks of 512 rows each drawn from its own stream
/// (`SeededGenerator.stream(seed:index:)`), so the values depend only on the seed, never on `threads`.
///
/// The deviates come from `lifestyle_normals_fill` (CLifestyleShims): Marsaglia's polar method on
/// batches of 64 SplitMix64 draws (u and v on a 2⁻²³ grid in [−1, 1) from one draw; pairs with
/// s = u² + v² outside (0, 1) rejected; u·f, v·f with f = √(−2 ln s / s)), in single precision
/// with every operation rounded once and its own logarithm, so the values are the same on every
/// CPU and libm; vectorised for AVX-512 or AVX2 where the CPU has them.
func gaussianPanel(into out: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int, seed: UInt64, threads: Int) {
    let chunkRows = 512
    let chunks = (rows + chunkRows - 1) / chunkRows
    let dst = SharedPointer(out)
    forEachChunk(chunks, threads: threads) { chunk, _ in
        let r0 = chunk * chunkRows, r1 = min(rows, r0 + chunkRows)
        var stream = lifestyle_normal_stream()
        stream.state = SeededGenerator.stream(seed: seed, index: chunk).rawState
        for i in r0..<r1 {
            let row = dst.base + i * stride
            lifestyle_normals_fill(&stream, row, columns)
            if stride > columns { (row + columns).initialize(repeating: 0, count: stride - columns) }
        }
    }
}

/// A fitted truncated SVD (LSA projection): immutable; `transform` is thread-safe.
public struct TruncatedSVDModel: Sendable {
    /// Right singular vectors, row-major r × d (scikit-learn's `components_`).
    public let components: ContiguousArray<Float>
    /// σ₁ ≥ … ≥ σ_r.
    public let singularValues: [Float]
    /// Number of input features d.
    public let dimension: Int
    /// The fitted rows projected: A·V = U·Σ, n × r.
    public let embedding: DenseMatrix
    /// ‖A − A·V·Vᵀ‖_F / ‖A‖_F.
    public let relativeReconstructionError: Double
    public let warnings: [String]
    /// Wall-clock seconds of `fit`.
    public let seconds: Double
    let threads: Int

    /// Number of output dimensions r.
    public var rank: Int { singularValues.count }

    /// Projects rows onto the components: X (n × d) · componentsᵀ (d × r) → n × r (for the fitted
    /// rows this equals `embedding`).
    /// - Complexity: O(nnz · r).
    public func transform(_ x: CSRMatrix) throws -> DenseMatrix {
        guard x.columns == dimension else { throw InputError(reason: "matrix has \(x.columns) columns; the SVD was fitted on \(dimension)") }
        let r = rank, d = dimension
        // Feature-major copy of Vᵀ (d × r) for the gather kernel.
        var vt = [Float](repeating: 0, count: d * r)
        for c in 0..<r { for j in 0..<d { vt[j * r + c] = components[c * d + j] } }
        var out = [Float](repeating: 0, count: x.rows * r)
        vt.withUnsafeBufferPointer { x.multiply($0.baseAddress!, width: r, into: &out, threads: threads) }
        return DenseMatrix(rows: x.rows, columns: r, values: ContiguousArray(out))
    }
}
