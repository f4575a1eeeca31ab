import LifestyleCore
import LifestyleVectors

/// One assignment/update round of a fit.
public struct KMeansIteration: Sendable, Equatable, Codable {
    /// Summed distance of the rows to the centres they were assigned to in this round. With bound
    /// pruning (dense Lloyd) a row whose label the bounds settle counts with an upper bound on its
    /// distance, so this is then an upper bound on the round's exact sum; the fit's final
    /// `objective` is always exact.
    public let objective: Double
    /// Rows whose label changed in this round.
    public let changedLabels: Int
    /// Σ‖Δcentroid‖² of the update that followed the assignment.
    public let centerShift: Double
    /// Clusters re-seeded because they lost every row.
    public let reseeded: Int
    /// Wall-clock seconds of the round (assignment + update).
    public let seconds: Double
    /// Of which the assignment step (products with all centroids + argmin).
    public let assignmentSeconds: Double
}

/// A fitted k-means model: immutable; `predict`/`transform` are thread-safe.
public struct KMeansModel: Sendable {
    public let configuration: KMeans.Configuration
    public let k: Int
    /// Number of features (columns) the model was fitted on.
    public let dimension: Int
    /// Centroids, row-major k × d (`centroids[c·d + j]`); unit rows for spherical k-means.
    public let centroids: ContiguousArray<Float>
    /// Cluster of every fitted row, −1 for rows excluded from fitting (all-zero rows, spherical).
    public let labels: [Int32]
    /// Σ(1 − cos(xᵢ, c)) (spherical) or the inertia Σ‖xᵢ − c‖² (Lloyd), in Double, over the
    /// included rows, for the final centroids and labels. Lower is better.
    public let objective: Double
    /// Rounds run by the winning restart.
    public let iterations: Int
    /// Whether the winning restart converged (no label changed, or the shift fell below tolerance).
    public let converged: Bool
    /// The winning restart's rounds, in order.
    public let history: [KMeansIteration]
    /// Final objective of every restart (the model is the lowest; ties keep the first).
    public let restartObjectives: [Double]
    /// Rows not used for fitting (all-zero rows under the cosine metric), ascending, 0-based.
    public let excludedRows: [Int]
    /// Rows per cluster.
    public let clusterSizes: [Int]
    /// Things a caller should know, e.g. fewer distinct rows than k.
    public let warnings: [String]
    /// Seconds spent in initialisation and in iterations, summed over restarts.
    public let initializationSeconds: Double
    public let iterationSeconds: Double

    /// scikit-learn's name for the objective of Lloyd's algorithm.
    public var inertia: Double { objective }

    /// Centroid c as an array of d values.
    public func centroid(_ c: Int) -> [Float] { Array(centroids[c * dimension ..< (c + 1) * dimension]) }

    /// The centroids as a dense k × d matrix.
    public var centroidMatrix: DenseMatrix { DenseMatrix(rows: k, columns: dimension, values: centroids) }

    /// Nearest centroid of each row (highest cosine or lowest Euclidean distance); −1 for
    /// all-zero rows under the cosine metric.
    /// - Complexity: O(nnz·k).
    public func predict(_ x: CSRMatrix) throws -> [Int32] { try score(SparseInput(x), columns: x.columns).labels }
    public func predict(_ x: DenseMatrix) throws -> [Int32] { try score(DenseInput(x), columns: x.columns).labels }

    /// Cosine similarity of every row to every centroid (spherical; n × k, 0 for all-zero rows)
    /// or Euclidean distance to every centroid (Lloyd, like scikit-learn's `transform`).
    /// - Complexity: O(nnz·k).
    public func transform(_ x: CSRMatrix) throws -> DenseMatrix { try score(SparseInput(x), columns: x.columns).scores }
    public func transform(_ x: DenseMatrix) throws -> DenseMatrix { try score(DenseInput(x), columns: x.columns).scores }

    func score<I: KMeansInput>(_ input: I, columns: Int) throws -> (labels: [Int32], scores: DenseMatrix) {
        guard columns == dimension else {
            throw InputError(reason: "matrix has \(columns) columns; the model was fitted on \(dimension)")
        }
        try input.checkFinite()
        let n = input.rows, d = dimension
        let spherical = configuration.algorithm == .spherical
        let weights = RowWeights(input, spherical: spherical)
        var out = ContiguousArray<Float>(repeating: 0, count: n * k)
        var labels = [Int32](repeating: -1, count: n)
        let auxCount = max(1, input.auxiliaryCount(k: k))
        let aux = UnsafeMutablePointer<Float>.allocate(capacity: auxCount)
        defer { aux.deallocate() }
        aux.initialize(repeating: 0, count: auxCount)
        let cn2 = centroids.withUnsafeBufferPointer { c in (0..<k).map { j in (0..<d).reduce(Float(0)) { $0 + c[j * d + $1] * c[j * d + $1] } } }
        centroids.withUnsafeBufferPointer { c in
            _ = input.refreshAuxiliary(centers: c.baseAddress!, k: k, aux: aux, threads: configuration.threads)
            out.withUnsafeMutableBufferPointer { o in
                labels.withUnsafeMutableBufferPointer { l in
                    let ctx = UncheckedSendable((c.baseAddress!, UnsafePointer(aux), o.baseAddress!, l.baseAddress!))
                    withPinnedBLAS {
                        forEachChunk(fixedChunks(count: n), threads: configuration.threads) { chunk, _ in
                            let (c, aux, o, l) = ctx.value
                            let lo = chunk * rowsPerChunk, hi = min(n, lo + rowsPerChunk)
                            input.dots(lo..<hi, centers: c, aux: aux, k: k, out: o + lo * k)
                            for i in lo..<hi {
                                let row = o + i * k
                                let s = weights.scale[i]
                                if spherical && s == 0 { continue }
                                var best = 0
                                for j in 0..<k {
                                    row[j] = spherical ? row[j] * s : max(0, input.squaredNorms[i] - 2 * row[j] + cn2[j]).squareRoot()
                                    if spherical ? row[j] > row[best] : row[j] < row[best] { best = j }
                                }
                                l[i] = Int32(best)
                            }
                        }
                    }
                }
            }
        }
        return (labels, DenseMatrix(rows: n, columns: k, values: out))
    }
}

