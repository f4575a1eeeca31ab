import LifestyleCore

/// The outcome of one restart.
struct RunResult {
    let centers: ContiguousArray<Float>
    let labels: [Int32]
    let sizes: [Int]
    let objective: Double
    let converged: Bool
    let history: [KMeansIteration]
}

/// One fit's buffers, reused across restarts: centres and their kernel layout (2·k·d floats),
/// labels and distances (n each), and the assignment scratch.
final class LloydRun<I: KMeansInput>: @unchecked Sendable {
    let input: I
    let weights: RowWeights
    let spherical: Bool
    let k: Int, n: Int, d: Int
    let threads: Int
    let centers: UnsafeMutablePointer<Float>
    let aux: UnsafeMutablePointer<Float>
    let auxCount: Int
    let cn2: UnsafeMutablePointer<Float>
    let labels: UnsafeMutablePointer<Int32>
    let updateLabels: UnsafeMutablePointer<Int32>
    let distances: UnsafeMutablePointer<Float>
    let scratch: AssignScratch
    /// Dense Lloyd only: Hamerly bounds that skip rows which cannot change cluster.
    let bounds: HamerlyBounds?
    /// Spherical CSR only: centres kept as raw sums, moved by the rows that changed cluster
    /// (`centers` holds the sums while a run iterates).
    let sparseUpdate: SphericalSparseUpdate?
    /// Dense Lloyd only: centres from Double sums moved by the rows that changed cluster.
    let denseUpdate: DenseLloydUpdate?
    let incremental: Bool

    /// `incremental: false` makes every spherical CSR and dense Lloyd update a full one (tests compare the two).
    init(input: I, weights: RowWeights, spherical: Bool, k: Int, threads: Int, pruning: Bool = false, incremental: Bool = true) {
        self.input = input
        self.weights = weights
        self.spherical = spherical
        self.k = k
        n = input.rows
        d = input.dimension
        self.threads = threads
        centers = .allocate(capacity: max(1, k * d))
        auxCount = max(1, input.auxiliaryCount(k: k))
        aux = allocateFloats(auxCount)
        cn2 = .allocate(capacity: k)
        labels = .allocate(capacity: max(1, n))
        updateLabels = .allocate(capacity: max(1, n))
        distances = .allocate(capacity: max(1, n))
        scratch = AssignScratch(rows: n, k: k, threads: threads)
        bounds = (!spherical && pruning && input is DenseInput && k > 1) ? HamerlyBounds(rows: n, k: k, d: d, threads: threads) : nil
        sparseUpdate = (spherical && incremental && input is SparseInput && d > 0) ? SphericalSparseUpdate(rows: n, d: d, k: k) : nil
        self.incremental = incremental
        denseUpdate = (!spherical && input is DenseInput && d > 0) ? DenseLloydUpdate(rows: n, k: k, d: d) : nil
    }

    deinit {
        for p in [centers, cn2, distances] { p.deallocate() }
        freeFloats(aux)
        for p in [labels, updateLabels] { p.deallocate() }
    }

    /// Fills `centers` from the configured initialisation.
    func initialize(_ config: KMeans.Configuration, rng: inout SeededGenerator) {
        centers.initialize(repeating: 0, count: max(1, k * d))
        let initializer = Initializer(input: input, weights: weights, spherical: spherical, threads: threads)
        if let given = config.initialCentroids {
            given.values.withUnsafeBufferPointer { centers.update(from: $0.baseAddress!, count: k * d) }
            if spherical { normalizeRows(centers, rows: k, columns: d) }
            return
        }
        switch config.initialization {
        case .random: initializer.random(k: k, rng: &rng, into: centers)
        case .kMeansPlusPlus: initializer.kMeansPlusPlus(k: k, rng: &rng, into: centers)
        case .kMeansParallel: initializer.kMeansParallel(k: k, rounds: config.parallelRounds, oversampling: config.oversampling, rng: &rng, into: centers)
        }
    }

    /// Lloyd rounds from the current centres until no label changes, the shift is ≤ `tolerance`,
    /// or `maxIterations`; then the final labels are made consistent with the final centres and
    /// the objective is computed exactly (Double).
    func iterate(maxIterations: Int, tolerance: Double, onRound: ((Int) -> Void)? = nil) -> RunResult {
        labels.initialize(repeating: -2, count: max(1, n))
        bounds?.valid = false
        sparseUpdate?.reset(centers: centers)
        denseUpdate?.reset()
        aux.initialize(repeating: 0, count: auxCount)
        _ = input.refreshAuxiliary(centers: centers, k: k, aux: aux, threads: threads)
        var history: [KMeansIteration] = []
        var converged = false
        var strict = false
        var centersStale = false
        for iteration in 0..<maxIterations {
            onRound?(iteration)
            let t0 = monotonicSeconds()
            if !spherical { centerSquaredNorms(centers, k: k, d: d, into: cn2) }
            var (objective, changed) = assign()
            var assigned = monotonicSeconds() - t0
            if iteration > 0 && changed == 0 {
                // Same labels give the same centres: the previous update was final.
                history.append(KMeansIteration(objective: objective, changedLabels: 0, centerShift: 0, reseeded: 0, seconds: monotonicSeconds() - t0, assignmentSeconds: assigned))
                converged = true
                strict = true
                break
            }
            let counts = labelCounts(labels, rows: n, k: k)
            if counts.contains(0) && boundsSkippedRows > 0 {
                // Re-seeding picks the rows farthest from their centres: assign again without
                // bounds for exact distances (the labels stay: the bounds are exact).
                bounds?.valid = false
                objective = assign().objective
                assigned = monotonicSeconds() - t0
            }
            var source = UnsafePointer(labels)
            var reseeded = 0
            if counts.contains(0) {
                updateLabels.update(from: labels, count: n)
                reseeded = reseedEmptyClusters(counts: counts, distances: distances, labels: updateLabels, rows: n)
                source = UnsafePointer(updateLabels)
            }
            let shift: Double
            if let sparseUpdate, let sparse = input as? SparseInput {
                shift = weights.scale.withUnsafeBufferPointer {
                    sparseUpdate.update(sparse, rowScale: $0.baseAddress!, labels: source, table: aux, sums: centers, threads: threads)
                }
                centersStale = true
            } else {
                if let denseUpdate, let dense = input as? DenseInput {
                    _ = denseUpdate.update(dense, labels: source, centers: centers, threads: threads, incremental: incremental)
                } else {
                    _ = updateCenters(input, weights: weights, spherical: spherical, labels: source, k: k, centers: centers, threads: threads)
                }
                bounds?.centersMoved(from: aux, to: centers, labels: labels)
                shift = input.refreshAuxiliary(centers: centers, k: k, aux: aux, threads: threads)
            }
            history.append(KMeansIteration(objective: objective, changedLabels: changed, centerShift: shift, reseeded: reseeded, seconds: monotonicSeconds() - t0, assignmentSeconds: assigned))
            if shift <= tolerance { converged = true; break }
        }
        if !strict {
            if !spherical { centerSquaredNorms(centers, k: k, d: d, into: cn2) }
            _ = assignRows(input, weights: weights, spherical: spherical, centers: centers, aux: aux, centerSquaredNorms: cn2,
                           labels: labels, distances: distances, scratch: scratch, threads: threads,
                           centerScales: sparseUpdate.map { UnsafePointer($0.inverseNorms) })
        }
        if centersStale, let sparseUpdate { sparseUpdate.copyCenters(from: aux, into: centers, threads: threads) }
        let sizes = labelCounts(labels, rows: n, k: k)
        return RunResult(
            centers: ContiguousArray(UnsafeBufferPointer(start: centers, count: k * d)),
            labels: Array(UnsafeBufferPointer(start: labels, count: n)),
            sizes: sizes, objective: exactObjective(), converged: converged, history: history)
    }

    /// Rows the bounds let skip their distances in the last assignment pass.
    var boundsSkippedRows: Int {
        if let bounds, bounds.valid { return n - bounds.lastComputed }
        return 0
    }

    /// One assignment pass, through the bounds when there are any.
    func assign() -> (objective: Double, changed: Int) {
        if let bounds, let dense = input as? DenseInput {
            return bounds.assign(dense, centers: centers, centerSquaredNorms: cn2, labels: labels, distances: distances, scratch: scratch, threads: threads)
        }
        return assignRows(input, weights: weights, spherical: spherical, centers: centers, aux: aux, centerSquaredNorms: cn2,
                          labels: labels, distances: distances, scratch: scratch, threads: threads,
                          centerScales: sparseUpdate.map { UnsafePointer($0.inverseNorms) })
    }

    /// Σ distance to the assigned centre in Double: 1 − cos (spherical) or ‖x − c‖² (Lloyd).
    func exactObjective() -> Double {
        var c2 = [Double](repeating: 0, count: k)
        for c in 0..<k { for j in 0..<d { c2[c] += Double(centers[c * d + j]) * Double(centers[c * d + j]) } }
        var total = 0.0
        for i in 0..<n where labels[i] >= 0 {
            let c = Int(labels[i])
            if spherical {
                total += max(0, 1 - input.exactDot(row: i, centers + c * d) * Double(weights.scale[i]))
            } else {
                total += input.exactSquaredDistance(row: i, centers + c * d, centerSquaredNorm: c2[c])
            }
        }
        return total
    }
}

/// Scales each non-zero row of a row-major matrix to unit length.
func normalizeRows(_ m: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for r in 0..<rows {
        var s: Float = 0
        for j in 0..<columns { s += m[r * columns + j] * m[r * columns + j] }
        if s > 0 { let inv = 1 / s.squareRoot(); for j in 0..<columns { m[r * columns + j] *= inv } }
    }
}
