/// A sparse matrix in compressed sparse row layout: Int32 column indices, Float32 values.
///
/// Row `i` holds `columnIndices[rowPointers[i]..<rowPointers[i+1]]` (ascending) and the matching
/// `values`. This is scipy's `csr_matrix` layout, so matrices compare one-to-one with scikit-learn.
public struct CSRMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let rowPointers: ContiguousArray<Int>
    public let columnIndices: ContiguousArray<Int32>
    public let values: ContiguousArray<Float>

    public init(rows: Int, columns: Int, rowPointers: ContiguousArray<Int>, columnIndices: ContiguousArray<Int32>, values: ContiguousArray<Float>) {
        precondition(rowPointers.count == rows + 1, "rowPointers.count=\(rowPointers.count) should be rows+1=\(rows + 1)")
        precondition(columnIndices.count == values.count && values.count == rowPointers[rows])
        self.rows = rows
        self.columns = columns
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Number of stored (non-zero) entries.
    public var nnz: Int { values.count }

    /// Bytes held by the three arrays.
    public var byteSize: Int { rowPointers.count * 8 + columnIndices.count * 4 + values.count * 4 }

    /// The stored entries of row `i`.
    public func row(_ i: Int) -> (indices: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let r = rowPointers[i]..<rowPointers[i + 1]
        return (ArraySlice(columnIndices[r]), ArraySlice(values[r]))
    }

    /// Entry (i, j), zero when not stored. O(log nnz(row)).
    public subscript(i: Int, j: Int) -> Float {
        var lo = rowPointers[i], hi = rowPointers[i + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = Int(columnIndices[mid])
            if c == j { return values[mid] }
            if c < j { lo = mid + 1 } else { hi = mid }
        }
        return 0
    }

    /// Euclidean norm of every row (accumulated in Double).
    public func rowNorms() -> [Float] {
        (0..<rows).map { i in
            var sum = 0.0
            for k in rowPointers[i]..<rowPointers[i + 1] { sum += Double(values[k]) * Double(values[k]) }
            return Float(sum.squareRoot())
        }
    }

    /// Dense copy, row-major (tests and tiny matrices only).
    public func dense() -> [[Float]] {
        (0..<rows).map { i in
            var r = [Float](repeating: 0, count: columns)
            for k in rowPointers[i]..<rowPointers[i + 1] { r[Int(columnIndices[k])] = values[k] }
            return r
        }
    }

    /// Concatenates row blocks with the same column count.
    /// The rows at `rows`, in that order.
    public func selectingRows(_ rows: [Int]) -> CSRMatrix {
        var pointers = ContiguousArray<Int>([0])
        var indices = ContiguousArray<Int32>(), values = ContiguousArray<Float>()
        for r in rows {
            indices.append(contentsOf: columnIndices[rowPointers[r] ..< rowPointers[r + 1]])
            values.append(contentsOf: self.values[rowPointers[r] ..< rowPointers[r + 1]])
            pointers.append(indices.count)
        }
        return CSRMatrix(rows: rows.count, columns: columns, rowPointers: pointers, columnIndices: indices, values: values)
    }

    public static func stacking(_ blocks: [CSRMatrix], columns: Int) -> CSRMatrix {
        var ptr = ContiguousArray<Int>([0])
        var idx = ContiguousArray<Int32>()
        var val = ContiguousArray<Float>()
        let total = blocks.reduce(0) { $0 + $1.nnz }
        idx.reserveCapacity(total)
        val.reserveCapacity(total)
        ptr.reserveCapacity(blocks.reduce(1) { $0 + $1.rows })
        for b in blocks {
            let base = idx.count
            for r in stride(from: 1, through: b.rows, by: 1) { ptr.append(base + b.rowPointers[r]) }
            idx.append(contentsOf: b.columnIndices)
            val.append(contentsOf: b.values)
        }
        return CSRMatrix(rows: ptr.count - 1, columns: columns, rowPointers: ptr, columnIndices: idx, values: val)
    }
}
