import LifestyleCore
import LifestyleVectors

extension CSRMatrix {
    /// The transpose (columns × rows), built by a counting sort over column indices; row indices
    /// stay ascending within each output row.
    /// - Complexity: O(nnz + rows + columns); memory: a second copy of the matrix.
    public func transposed() -> CSRMatrix {
        var counts = ContiguousArray<Int>(repeating: 0, count: columns + 1)
        for j in columnIndices { counts[Int(j) + 1] += 1 }
        for j in 0..<columns { counts[j + 1] += counts[j] }
        let pointers = counts
        var fill = counts
        var idx = ContiguousArray<Int32>(repeating: 0, count: nnz)
        var val = ContiguousArray<Float>(repeating: 0, count: nnz)
        columnIndices.withUnsafeBufferPointer { ci in
            values.withUnsafeBufferPointer { vs in
                idx.withUnsafeMutableBufferPointer { oi in
                    val.withUnsafeMutableBufferPointer { ov in
                        for i in 0..<rows {
                            for p in rowPointers[i]..<rowPointers[i + 1] {
                                let j = Int(ci[p])
                                let q = fill[j]
                                oi[q] = Int32(i)
                                ov[q] = vs[p]
                                fill[j] = q + 1
                            }
                        }
                    }
                }
            }
        }
        return CSRMatrix(rows: columns, columns: rows, rowPointers: pointers, columnIndices: idx, values: val)
    }

    /// `self · B` for a dense row-major B (columns × m), written to `out` (rows × m, row-major),
    /// rows in fixed 256-row chunks over `threads` workers (bit-identical for any thread count).
    /// - Complexity: O(nnz · m), bound by gathering rows of B.
    func multiply(_ b: UnsafePointer<Float>, width m: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
        let input = SparseInput(unnormalized: self)
        let ctx = UncheckedSendable((b, out))
        withPinnedBLAS {
            forEachChunk(fixedChunks(count: rows), threads: threads) { chunk, _ in
                let (b, out) = ctx.value
                let lo = chunk * rowsPerChunk, hi = min(rows, lo + rowsPerChunk)
                input.multiply(lo..<hi, b: b, width: m, out: out + lo * m)
            }
        }
    }
}
