import LifestyleVectors

#if canImport(Glibc)
import Glibc
#endif

/// Agreement between two labelings and cohesion of one clustering. Rows labelled < 0 in either
/// labeling (excluded rows) are ignored.
public enum ClusterQuality {
    /// Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions (up to renaming),
    /// about 0 for independent ones. Same value as scikit-learn's `adjusted_rand_score`.
    /// - Complexity: O(n + ka·kb).
    public static func adjustedRandIndex(_ a: [Int32], _ b: [Int32]) -> Double {
        let (table, rowSums, colSums, n) = contingency(a, b)
        guard n > 1 else { return 1 }
        func pairs(_ x: Int) -> Double { Double(x) * Double(x - 1) / 2 }
        let index = table.values.reduce(0) { $0 + pairs($1) }
        let sa = rowSums.reduce(0) { $0 + pairs($1) }, sb = colSums.reduce(0) { $0 + pairs($1) }
        let expected = sa * sb / pairs(n)
        let maximum = (sa + sb) / 2
        if maximum == expected { return 1 }   // both trivial partitions
        return (index - expected) / (maximum - expected)
    }

    /// Normalised mutual information, arithmetic-mean normalisation (scikit-learn's default).
    /// - Complexity: O(n + ka·kb).
    public static func normalizedMutualInformation(_ a: [Int32], _ b: [Int32]) -> Double {
        let (table, rowSums, colSums, n) = contingency(a, b)
        guard n > 0 else { return 1 }
        let total = Double(n)
        func entropy(_ counts: [Int]) -> Double {
            counts.reduce(0) { $1 == 0 ? $0 : $0 - Double($1) / total * log(Double($1) / total) }
        }
        let ha = entropy(rowSums), hb = entropy(colSums)
        if ha == 0 && hb == 0 { return 1 }
        var mi = 0.0
        for (key, count) in table {
            let p = Double(count) / total
            mi += p * log(p * total * total / (Double(rowSums[key.a]) * Double(colSums[key.b])))
        }
        let denominator = (ha + hb) / 2
        return denominator > 0 ? max(0, mi / denominator) : 0
    }

    static func contingency(_ a: [Int32], _ b: [Int32]) -> (table: [Key: Int], rows: [Int], columns: [Int], n: Int) {
        precondition(a.count == b.count, "labelings have \(a.count) and \(b.count) rows")
        var mapA: [Int32: Int] = [:], mapB: [Int32: Int] = [:]
        var table: [Key: Int] = [:]
        var rows: [Int] = [], columns: [Int] = []
        var n = 0
        for (x, y) in zip(a, b) where x >= 0 && y >= 0 {
            let i = mapA[x] ?? { mapA[x] = rows.count; rows.append(0); return rows.count - 1 }()
            let j = mapB[y] ?? { mapB[y] = columns.count; columns.append(0); return columns.count - 1 }()
            rows[i] += 1
            columns[j] += 1
            table[Key(i, j), default: 0] += 1
            n += 1
        }
        return (table, rows, columns, n)
    }

    struct Key: Hashable {
        let a: Int, b: Int
        init(_ a: Int, _ b: Int) { self.a = a; self.b = b }
    }

    /// Mean cosine silhouette of the rows in `sample` (all included rows when nil), exact:
    /// with unit rows, the mean cosine distance from xᵢ to a cluster C is 1 − xᵢ·(Σ_C x)/|C|
    /// (xᵢ itself left out of its own cluster), so one product with the k cluster sums gives
    /// every row's a(i) and b(i). Rows in singleton clusters score 0, as in scikit-learn.
    /// - Complexity: O(nnz·k + k·d).
    public static func cosineSilhouette(_ x: CSRMatrix, labels: [Int32], k: Int, sample: [Int]? = nil, threads: Int = 1) -> Double {
        silhouette(SparseInput(x), labels: labels, k: k, sample: sample, threads: threads)
    }

    public static func cosineSilhouette(_ x: DenseMatrix, labels: [Int32], k: Int, sample: [Int]? = nil, threads: Int = 1) -> Double {
        silhouette(DenseInput(x), labels: labels, k: k, sample: sample, threads: threads)
    }

    static func silhouette<I: KMeansInput>(_ input: I, labels: [Int32], k: Int, sample: [Int]?, threads: Int) -> Double {
        let weights = RowWeights(input, spherical: true)
        let n = input.rows, d = input.dimension
        var sums = [Float](repeating: 0, count: k * d)
        var sizes = [Int](repeating: 0, count: k)
        for i in 0..<n where labels[i] >= 0 && weights.isIncluded(i) {
            sizes[Int(labels[i])] += 1
            sums.withUnsafeMutableBufferPointer { input.add(row: i, scale: weights.scale[i], to: $0.baseAddress! + Int(labels[i]) * d) }
        }
        let rowsToScore = (sample ?? Array(0..<n)).filter { labels[$0] >= 0 && weights.isIncluded($0) }
        guard !rowsToScore.isEmpty, sizes.filter({ $0 > 0 }).count > 1 else { return 0 }
        var aux = [Float](repeating: 0, count: max(1, input.auxiliaryCount(k: k)))
        var block = [Float](repeating: 0, count: k)
        var total = 0.0
        sums.withUnsafeBufferPointer { s in
            aux.withUnsafeMutableBufferPointer { a in
                _ = input.refreshAuxiliary(centers: s.baseAddress!, k: k, aux: a.baseAddress!, threads: threads)
            }
        }
        withPinnedBLAS {
            for i in rowsToScore {
                sums.withUnsafeBufferPointer { s in
                    aux.withUnsafeBufferPointer { a in
                        block.withUnsafeMutableBufferPointer { o in input.dots(i..<(i + 1), centers: s.baseAddress!, aux: a.baseAddress!, k: k, out: o.baseAddress!) }
                    }
                }
                let own = Int(labels[i])
                guard sizes[own] > 1 else { continue }
                let scale = Double(weights.scale[i])
                let a = 1 - (Double(block[own]) * scale - 1) / Double(sizes[own] - 1)
                var b = Double.infinity
                for c in 0..<k where c != own && sizes[c] > 0 { b = min(b, 1 - Double(block[c]) * scale / Double(sizes[c])) }
                let m = max(a, b)
                if m > 0 { total += (b - a) / m }
            }
        }
        return total / Double(rowsToScore.count)
    }
}
