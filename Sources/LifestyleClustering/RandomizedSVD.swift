import CBLAS
import CLAPACKE
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// Randomised truncated SVD (Halko, Martinsson & Tropp 2011) of a sparse matrix, for LSA.
///
/// Y = A·Ω (Ω Gaussian, d × ℓ, ℓ = components + oversamples), `powerIterations` rounds of
/// Y = A·(Aᵀ·lu(Y)) (LU-normalising the smaller panel), then Q = qr(Y), Bᵀ = Aᵀ·Q and the SVD
/// of Bᵀ (d × ℓ) from the eigenpairs of its ℓ × ℓ Gram matrix.
/// The sparse products use the CSR gather kernel on A and on a transposed copy of A; the dense
/// steps are LAPACKE `sgetrf` (power iterations), `sgeqrf`/`sorgqr` (final basis) and `dsyevd`.
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

    /// - Complexity: O((2q + 2) · nnz · ℓ) for the products plus O((n + d) · ℓ²) for QR and SVD;
    ///   memory O((n + d) · ℓ) plus a transposed copy of A.
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
        let at = a.transposed()
        var rng = SeededGenerator(seed: config.seed)
        var omega = [Float](repeating: 0, count: d * l)
        omega.withUnsafeMutableBufferPointer { rng.fillGaussian($0) }
        var y = [Float](repeating: 0, count: n * l)
        var z = [Float](repeating: 0, count: d * l)
        let threads = config.threads
        // Only the sparse products pin OpenBLAS to one thread (they run their own chunks in
        // parallel); LU, QR and the Gram product use OpenBLAS's threads.
        omega.withUnsafeBufferPointer { a.multiply($0.baseAddress!, width: l, into: &y, threads: threads) }
        for _ in 0..<config.powerIterations {
            // LU normalisation (as scikit-learn for n_iter > 2: half the flops of QR) once per
            // power iteration, on the smaller panel: between two normalisations the columns grow
            // by at most (σ₁/σ_ℓ)², far from float32's limits for TF-IDF spectra.
            if n <= d { try luNormalize(&y, rows: n, columns: l) }
            y.withUnsafeBufferPointer { at.multiply($0.baseAddress!, width: l, into: &z, threads: threads) }
            if d < n { try luNormalize(&z, rows: d, columns: l) }
            z.withUnsafeBufferPointer { a.multiply($0.baseAddress!, width: l, into: &y, threads: threads) }
        }
        try orthonormalize(&y, rows: n, columns: l)   // Q, n × ℓ
        y.withUnsafeBufferPointer { at.multiply($0.baseAddress!, width: l, into: &z, threads: threads) }   // Bᵀ = AᵀQ, d × ℓ
        // Bᵀ = U_b Σ V_bᵀ from the eigenpairs of the small Gram matrix BBᵀ = ZᵀZ = V_b Σ² V_bᵀ
        // (ℓ × ℓ, in Double); then U_b = Z V_b Σ⁻¹ and A·V = Q·V_b·Σ.
        var gram = [Float](repeating: 0, count: l * l)
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(l), Int32(d), 1, z, Int32(l), 0, &gram, Int32(l))
        var g = gram.map { Double($0) }
        var w = [Double](repeating: 0, count: l)
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(l), &g, Int32(l), &w)
        guard info == 0 else { throw RuntimeFailure("LAPACKE_dsyevd failed (info=\(info)) on a \(l) × \(l) Gram matrix") }
        var s = [Float](repeating: 0, count: r)
        var vb = [Float](repeating: 0, count: l * r)      // first r right singular vectors of Bᵀ, ℓ × r
        var vbScaled = vb                                  // V_b Σ⁻¹ (0 for σ ≈ 0)
        for c in 0..<r {
            let e = l - 1 - c                              // dsyevd: ascending eigenvalues
            let sigma = max(0, w[e]).squareRoot()
            s[c] = Float(sigma)
            let inv = sigma > max(w[l - 1], 0).squareRoot() * 1e-3 ? 1 / sigma : 0
            for i in 0..<l { vb[i * r + c] = Float(g[i * l + e]); vbScaled[i * r + c] = Float(g[i * l + e] * inv) }
        }
        var ub = [Float](repeating: 0, count: d * r)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(d), Int32(r), Int32(l), 1, z, Int32(l), vbScaled, Int32(r), 0, &ub, Int32(r))
        var qv = [Float](repeating: 0, count: n * r)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(r), Int32(l), 1, y, Int32(l), vb, Int32(r), 0, &qv, Int32(r))
        var components = ContiguousArray<Float>(repeating: 0, count: r * d)
        var embedding = ContiguousArray<Float>(repeating: 0, count: n * r)
        for c in 0..<r {
            // Sign convention: the largest-magnitude loading of each component is positive.
            var big = 0
            for j in 0..<d where abs(ub[j * r + c]) > abs(ub[big * r + c]) { big = j }
            let sign: Float = ub[big * r + c] < 0 ? -1 : 1
            for j in 0..<d { components[c * d + j] = sign * ub[j * r + c] }
            for i in 0..<n { embedding[i * r + c] = sign * s[c] * qv[i * r + c] }
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

/// Replaces a row-major m × c matrix (m ≥ c) by P·L from its LU factorisation (`sgetrf`):
/// the same column space, well-conditioned enough to feed the next power iteration.
func luNormalize(_ m: inout [Float], rows: Int, columns c: Int) throws {
    var pivots = [Int32](repeating: 0, count: c)
    let info = LAPACKE_sgetrf(LAPACK_ROW_MAJOR, Int32(rows), Int32(c), &m, Int32(c), &pivots)
    guard info >= 0 else { throw RuntimeFailure("LAPACKE_sgetrf failed (info=\(info)) on a \(rows) × \(c) matrix") }
    m.withUnsafeMutableBufferPointer { p in
        for i in 0..<c {
            p[i * c + i] = 1
            for j in (i + 1)..<c { p[i * c + j] = 0 }
        }
        // Undo the row interchanges (last first) to get P·L.
        for i in stride(from: c - 1, through: 0, by: -1) {
            let q = Int(pivots[i]) - 1
            if q != i { for j in 0..<c { p.swapAt(i * c + j, q * c + j) } }
        }
    }
}

/// Replaces the columns of a row-major m × c matrix (m ≥ c) by an orthonormal basis of their span
/// (Householder QR: `sgeqrf` then `sorgqr`).
func orthonormalize(_ m: inout [Float], rows: Int, columns: Int) throws {
    var tau = [Float](repeating: 0, count: columns)
    var info = LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, Int32(rows), Int32(columns), &m, Int32(columns), &tau)
    guard info == 0 else { throw RuntimeFailure("LAPACKE_sgeqrf failed (info=\(info)) on a \(rows) × \(columns) matrix") }
    info = LAPACKE_sorgqr(LAPACK_ROW_MAJOR, Int32(rows), Int32(columns), Int32(columns), &m, Int32(columns), &tau)
    guard info == 0 else { throw RuntimeFailure("LAPACKE_sorgqr failed (info=\(info)) on a \(rows) × \(columns) matrix") }
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
