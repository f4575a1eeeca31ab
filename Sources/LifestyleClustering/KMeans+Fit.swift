import CBLAS
import LifestyleCore
import LifestyleText
import LifestyleVectors

extension KMeans {
    /// Spherical (cosine) or Lloyd k-means on a sparse CSR matrix (e.g. TF-IDF rows).
    ///
    /// Throws `InputError` for NaN/±Inf (naming the row) and `ConfigurationError` when k does not
    /// fit the data (`k=50 should be <= number of rows=12`) or there are no rows.
    /// - Complexity: O(restarts · (init + iterations · nnz · k)); memory O(n + k·d) besides the matrix.
    public func fit(_ x: CSRMatrix) throws -> KMeansModel { try fit(SparseInput(x)) }

    /// Lloyd or spherical k-means on a dense row-major matrix (e.g. LSA vectors); the assignment
    /// is one `cblas_sgemm` per 256-row chunk.
    /// - Complexity: O(restarts · iterations · n·d·k) FLOPs.
    public func fit(_ x: DenseMatrix) throws -> KMeansModel { try fit(DenseInput(x)) }

    func fit<I: KMeansInput>(_ input: I) throws -> KMeansModel {
        let config = configuration
        try input.checkFinite()
        let spherical = config.algorithm == .spherical
        let weights = RowWeights(input, spherical: spherical)
        let n = input.rows, d = input.dimension, k = config.k
        try config.validate(rows: n - weights.excluded.count, columns: d, excluded: weights.excluded.count)

        var warnings: [String] = []
        if !weights.excluded.isEmpty {
            warnings.append("\(weights.excluded.count) all-zero rows excluded from fitting (label -1)")
        }
        let distinct = distinctRowCount(input, weights: weights, atLeast: k)
        if distinct < k {
            warnings.append("only \(distinct) distinct rows for k=\(k): duplicates collapse, \(k - distinct) clusters stay empty")
        }
        // scikit-learn scales Lloyd's tolerance by the mean feature variance.
        let tolerance = spherical ? config.tolerance : config.tolerance * input.columnVarianceSum() / Double(max(1, d))

        var best: RunResult?
        var objectives: [Double] = []
        var initSeconds = 0.0, iterSeconds = 0.0
        withPinnedBLAS {
            let run = LloydRun(input: input, weights: weights, spherical: spherical, k: k, threads: config.threads, pruning: config.boundPruning)
            for r in 0..<config.restarts {
                var rng = SeededGenerator.stream(seed: config.seed, index: r)
                let t0 = monotonicSeconds()
                run.initialize(config, rng: &rng)
                let t1 = monotonicSeconds()
                let done = r * config.maxIterations
                let result = run.iterate(maxIterations: config.maxIterations, tolerance: tolerance,
                                         onRound: progress.map { report in { report(done + $0) } })
                progress?(done + config.maxIterations)
                iterSeconds += monotonicSeconds() - t1
                initSeconds += t1 - t0
                objectives.append(result.objective)
                if best == nil || result.objective < best!.objective { best = result }
            }
        }
        let b = best!
        if !b.converged {
            warnings.append("did not converge in maxIterations=\(config.maxIterations) (last shift \(b.history.last?.centerShift ?? 0))")
        }
        return KMeansModel(
            configuration: config, k: k, dimension: d, centroids: b.centers, labels: b.labels, objective: b.objective,
            iterations: b.history.count, converged: b.converged, history: b.history, restartObjectives: objectives,
            excludedRows: weights.excluded, clusterSizes: b.sizes, warnings: warnings,
            initializationSeconds: initSeconds, iterationSeconds: iterSeconds)
    }
}

/// Distinct included rows, counting up to `atLeast` (early exit); rows compare by a 64-bit hash
/// of their contents.
func distinctRowCount<I: KMeansInput>(_ input: I, weights: RowWeights, atLeast: Int) -> Int {
    var seen = Set<UInt64>()
    for i in 0..<input.rows where weights.isIncluded(i) {
        seen.insert(input.rowHash(i))
        if seen.count >= atLeast { break }
    }
    return seen.count
}
