import CLifestyleShims
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

    /// The columns of row `r` of `x` that contribute most to its similarity with centroid `c`
    /// (preferred columns first; others fill in when there are too few). Ties go to the lower column.
    public func topContributions(_ x: CSRMatrix, row r: Int, centroid c: Int, count: Int,
                                 prefer: (Int) -> Bool = { _ in true }, allow: (Int) -> Bool = { _ in true }) -> [Int] {
        guard count > 0 else { return [] }
        // Two small best-first lists, kept by insertion (count is small).
        var best: [(Int, Float)] = [], rest: [(Int, Float)] = []
        best.reserveCapacity(count + 1)
        rest.reserveCapacity(count + 1)
        func insert(_ item: (Int, Float), into list: inout [(Int, Float)]) {
            if list.count == count, let last = list.last, !(item.1 > last.1 || (item.1 == last.1 && item.0 < last.0)) { return }
            var i = list.count
            while i > 0 && (item.1 > list[i - 1].1 || (item.1 == list[i - 1].1 && item.0 < list[i - 1].0)) { i -= 1 }
            list.insert(item, at: i)
            if list.count > count { list.removeLast() }
        }
        x.columnIndices.withUnsafeBufferPointer { ci in
            x.values.withUnsafeBufferPointer { v in
                transposed.withUnsafeBufferPointer { t in
                    let end = x.rowPointers[r + 1]
                    // The centroid weights are a random gather over the vocabulary: fetch ahead.
                    for p in x.rowPointers[r] ..< min(end, x.rowPointers[r] + 16) { lifestyle_prefetch(t.baseAddress! + Int(ci[p]) * k + c) }
                    for p in x.rowPointers[r] ..< end {
                        if p + 16 < end { lifestyle_prefetch(t.baseAddress! + Int(ci[p + 16]) * k + c) }
                        let j = Int(ci[p])
                        let w = v[p] * t[j * k + c]
                        guard w > 0, allow(j) else { continue }
                        if prefer(j) { insert((j, w), into: &best) } else { insert((j, w), into: &rest) }
                    }
                }
            }
        }
        return (best + rest).prefix(count).map(\.0)
    }

    /// The centroid weights of one column (feature) across clusters.
    public func weight(column j: Int, centroid c: Int) -> Float { transposed[j * k + c] }
}
