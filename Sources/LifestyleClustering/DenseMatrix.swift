/// A dense row-major Float32 matrix: row `i` is `values[i*columns ..< (i+1)*columns]`.
///
/// The input of dense (Lloyd) k-means, e.g. LSA projections; rows are contiguous so one
/// `cblas_sgemm` covers a chunk of rows.
public struct DenseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let values: ContiguousArray<Float>

    public init(rows: Int, columns: Int, values: ContiguousArray<Float>) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                     "values.count=\(values.count) should be rows*columns=\(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// From nested rows (tests and small inputs); all rows must have the same length.
    public init(_ rows: [[Float]]) {
        let d = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == d }, "rows should all have \(d) columns")
        self.init(rows: rows.count, columns: d, values: ContiguousArray(rows.joined()))
    }

    /// Entry (i, j).
    public subscript(i: Int, j: Int) -> Float { values[i * columns + j] }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Float] { Array(values[i * columns ..< (i + 1) * columns]) }

    /// Nested copy (tests).
    public func nested() -> [[Float]] { (0..<rows).map(row) }
}

