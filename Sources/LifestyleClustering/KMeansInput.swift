import LifestyleCore
import LifestyleVectors

/// What the k-means engine needs from a data matrix; `SparseInput` (CSR) and `DenseInput`
/// (row-major) conform, and the engine is specialised for each.
///
/// Centres live in two buffers of k·d floats: `centers` (row-major k × d, cluster c contiguous)
/// and `aux`, the layout the input's product kernel wants (CSR: feature-major d × k; dense: a
/// copy of the previous centres, so the shift can be measured).
protocol KMeansInput: Sendable {
    var rows: Int { get }
    var dimension: Int { get }
    /// ‖xᵢ‖² per row, computed once.
    var squaredNorms: ContiguousArray<Float> { get }

    /// `out[(i − rows.lowerBound)·k + c] = xᵢ · centre_c` for every row of the range.
    func dots(_ rows: Range<Int>, centers: UnsafePointer<Float>, aux: UnsafePointer<Float>, k: Int, out: UnsafeMutablePointer<Float>)

    /// Floats `aux` needs for k centres.
    func auxiliaryCount(k: Int) -> Int

    /// Brings `aux` up to date with `centers` and returns Σ‖new − old‖² over all centres.
    func refreshAuxiliary(centers: UnsafePointer<Float>, k: Int, aux: UnsafeMutablePointer<Float>, threads: Int) -> Double

    /// `target += scale · xᵢ` (target has d entries).
    func add(row i: Int, scale: Float, to target: UnsafeMutablePointer<Float>)

    /// Exact xᵢ · c in Double (objective and tests).
    func exactDot(row i: Int, _ c: UnsafePointer<Float>) -> Double

    /// Exact ‖xᵢ − c‖² in Double (the reported inertia), given ‖c‖² in Double.
    func exactSquaredDistance(row i: Int, _ c: UnsafePointer<Float>, centerSquaredNorm: Double) -> Double

    /// A hash of row i's contents (distinct-row counting).
    func rowHash(_ i: Int) -> UInt64

    /// The first non-finite value, if any, as (row, column, value).
    func firstNonFinite() -> (row: Int, column: Int, value: Float)?

    /// The given rows, in the given order, as a new input of the same kind.
    func subset(rows: [Int]) -> Self

    /// Σ_j Var(x_·j), the mean of which scales Lloyd's tolerance as in scikit-learn.
    func columnVarianceSum() -> Double

    /// The spherical assignment of `rows` (see `assignRows`) in one fused kernel, returning the
    /// summed distance and the labels changed, or nil (nothing written) where there is none.
    func assignSpherical(_ rows: Range<Int>, aux: UnsafePointer<Float>, k: Int, centerScales: UnsafePointer<Float>, rowScale: UnsafePointer<Float>,
                         labels: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Float>) -> (objective: Double, changed: Int)?
}

extension KMeansInput {
    func assignSpherical(_ rows: Range<Int>, aux: UnsafePointer<Float>, k: Int, centerScales: UnsafePointer<Float>, rowScale: UnsafePointer<Float>,
                         labels: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Float>) -> (objective: Double, changed: Int)? {
        nil
    }
}

extension KMeansInput {
    /// Throws an `InputError` naming the first row (0-based) holding NaN or ±Inf, or whose squared
    /// norm exceeds a quarter of the largest float (‖x‖² + ‖c‖² − 2x·c would overflow to ∞ and NaN).
    func checkFinite() throws {
        if let bad = firstNonFinite() {
            throw InputError(field: "row \(bad.row)", reason: "value \(bad.value) at column \(bad.column) is not finite (k-means needs finite values)")
        }
        let limit = Float.greatestFiniteMagnitude / 4
        if let i = squaredNorms.firstIndex(where: { !($0 <= limit) }) {
            throw InputError(field: "row \(i)", reason: "values too large: the squared norm \(squaredNorms[i]) exceeds \(limit) (scale the data down)")
        }
    }
}

@inline(__always)
func mixHash(_ h: UInt64, _ x: UInt64) -> UInt64 {
    var z = (h ^ x) &* 0x9E37_79B9_7F4A_7C15
    z ^= z >> 29
    return z &* 0xBF58_476D_1CE4_E5B9
}
