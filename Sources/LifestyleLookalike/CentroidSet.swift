import LifestyleVectors

/// Unit-length centroids in TF-IDF space, stored feature-major (d × k) so that scoring a sparse
/// row touches k contiguous floats per non-zero: cos(x, cᵢ) for every i in one pass over x.
public struct CentroidSet: Sendable, Equatable {
    public let k: Int
    public let dimension: Int
    /// Row-major k × d (the on-disk layout).
    public let centroids: ContiguousArray<Float>
    /// d × k.
    let transposed: ContiguousArray<Float>

    public init(k: Int, dimension: Int, centroids: ContiguousArray<Float>) {
        precondition(centroids.count == k * dimension)
        self.k = k
        self.dimension = dimension
        self.centroids = centroids
        var t = ContiguousArray<Float>(repeating: 0, count: k * dimension)
        for c in 0..<k { for j in 0..<dimension { t[j * k + c] = centroids[c * dimension + j] } }
        transposed = t
    }

    /// Cosine similarities of every row of `x` (rows L2-normalised) to every centroid: rows × k.
    public func similarities(_ x: CSRMatrix) -> [Float] {
        var out = [Float](repeating: 0, count: x.rows * k)
        let k = self.k
        x.rowPointers.withUnsafeBufferPointer { rp in
            x.columnIndices.withUnsafeBufferPointer { ci in
                x.values.withUnsafeBufferPointer { v in
                    transposed.withUnsafeBufferPointer { t in
                        out.withUnsafeMutableBufferPointer { o in
                            for r in 0..<x.rows {
                                let base = r * k
                                for p in rp[r] ..< rp[r + 1] {
                                    let w = v[p]
                                    let col = Int(ci[p]) * k
                                    for c in 0..<k { o[base + c] += w * t[col + c] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The columns of row `r` of `x` that contribute most to its similarity with centroid `c`.
    public func topContributions(_ x: CSRMatrix, row r: Int, centroid c: Int, count: Int,
                                 prefer: (Int) -> Bool = { _ in true }) -> [Int] {
        var scored: [(Int, Float)] = []
        for p in x.rowPointers[r] ..< x.rowPointers[r + 1] {
            let j = Int(x.columnIndices[p])
            let w = x.values[p] * transposed[j * k + c]
            if w > 0 { scored.append((j, w)) }
        }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let preferred = scored.filter { prefer($0.0) }
        let chosen = preferred.count >= count ? preferred : preferred + scored.filter { !prefer($0.0) }
        return chosen.prefix(count).map(\.0)
    }

    /// The centroid weights of one column (feature) across clusters.
    public func weight(column j: Int, centroid c: Int) -> Float { transposed[j * k + c] }
}
