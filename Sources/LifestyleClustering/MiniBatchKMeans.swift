import LifestyleCore
import LifestyleText
import LifestyleVectors

/// Mini-batch k-means (Sculley 2010, scikit-learn's update rule): each step assigns a random
/// batch to the nearest centres and moves every centre towards the mean of its batch members
/// with a per-centre learning rate 1/count, so memory and time per step depend on the batch,
/// not on n. `partialFit` consumes batches one at a time (inputs larger than memory).
///
/// ```swift
/// var state: MiniBatchKMeans.State? = nil
/// for block in blocks { state = try mb.partialFit(state, block) }
/// ```
public struct MiniBatchKMeans: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var k: Int
        public var batchSize: Int
        /// Batches drawn by `fit`.
        public var steps: Int
        public var seed: UInt64
        public var algorithm: KMeans.Algorithm
        /// Rows sampled for the k-means++ start (scikit-learn's `init_size`, default 3 · batchSize).
        public var initSize: Int?
        /// `fit` reports convergence when the last step moved the centres by ≤ this (Σ‖Δc‖²).
        public var tolerance: Double
        public var threads: Int

        public init(k: Int, batchSize: Int = 1024, steps: Int = 100, seed: UInt64 = 0, algorithm: KMeans.Algorithm = .spherical,
                    initSize: Int? = nil, tolerance: Double = 1e-6, threads: Int = defaultThreadCount) {
            self.k = k
            self.batchSize = batchSize
            self.steps = steps
            self.seed = seed
            self.algorithm = algorithm
            self.initSize = initSize
            self.tolerance = tolerance
            self.threads = threads
        }

        public func validate() throws {
            guard k >= 1 else { throw ConfigurationError("k=\(k) should be >= 1") }
            guard batchSize >= 1 else { throw ConfigurationError("batchSize=\(batchSize) should be >= 1") }
            guard steps >= 1 else { throw ConfigurationError("steps=\(steps) should be >= 1") }
            guard threads >= 1 else { throw ConfigurationError("threads=\(threads) should be >= 1") }
            if let initSize, initSize < k { throw ConfigurationError("initSize=\(initSize) should be >= k=\(k)") }
        }

        var kmeans: KMeans.Configuration { KMeans.Configuration(k: k, seed: seed, algorithm: algorithm, threads: threads) }
    }

    /// Centres and per-centre counts after some batches.
    public struct State: Sendable {
        public let k: Int
        public let dimension: Int
        /// Row-major k × d.
        public internal(set) var centroids: ContiguousArray<Float>
        /// Rows absorbed by each centre so far.
        public internal(set) var counts: [Double]
        public internal(set) var batches: Int
        /// Σ‖Δc‖² of the last update.
        public internal(set) var lastShift: Double
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Absorbs one batch; the first call (state nil) starts the centres with k-means++ on it.
    /// - Complexity: O(nnz(batch) · k + k·d).
    public func partialFit(_ state: State?, _ batch: CSRMatrix) throws -> State {
        let input = SparseInput(batch)
        try input.checkFinite()
        if let state, state.dimension != batch.columns {
            throw InputError(reason: "batch has \(batch.columns) columns; the state has \(state.dimension)")
        }
        var rng = SeededGenerator.stream(seed: configuration.seed, index: state?.batches ?? 0)
        let start = try state ?? initialState(input, rng: &rng)
        return update(start, input)
    }

    /// Mini-batch fit on a matrix in memory: k-means++ on `initSize` sampled rows, `steps`
    /// batches sampled with replacement, then one full pass for labels and the exact objective.
    /// The model's `history` has one entry per batch (its centre shift and seconds; the
    /// objective of a step is not measured and is NaN).
    public func fit(_ x: CSRMatrix) throws -> KMeansModel {
        let input = SparseInput(x)
        try input.checkFinite()
        let config = configuration
        let weights = RowWeights(input, spherical: config.algorithm == .spherical)
        try config.kmeans.validate(rows: x.rows - weights.excluded.count, columns: x.columns, excluded: weights.excluded.count)
        let included = (0..<x.rows).filter { weights.isIncluded($0) }
        var rng = SeededGenerator(seed: config.seed)
        let t0 = monotonicSeconds()
        let initRows = (0..<min(included.count, max(config.k, config.initSize ?? 3 * config.batchSize))).map { _ in included[rng.nextInt(below: included.count)] }
        var state = try initialState(input.subset(rows: Array(Set(initRows)).sorted()), rng: &rng)
        let t1 = monotonicSeconds()
        var history: [KMeansIteration] = []
        for _ in 0..<config.steps {
            let s0 = monotonicSeconds()
            let rows = (0..<config.batchSize).map { _ in included[rng.nextInt(below: included.count)] }
            state = update(state, input.subset(rows: rows))
            history.append(KMeansIteration(objective: .nan, changedLabels: 0, centerShift: state.lastShift, reseeded: 0,
                                           seconds: monotonicSeconds() - s0, assignmentSeconds: 0))
        }
        let t2 = monotonicSeconds()
        // Final labels and objective over all rows, from the mini-batch centres.
        let run = LloydRun(input: input, weights: weights, spherical: config.algorithm == .spherical, k: config.k, threads: config.threads)
        state.centroids.withUnsafeBufferPointer { run.centers.update(from: $0.baseAddress!, count: config.k * x.columns) }
        let result = withPinnedBLAS { run.iterate(maxIterations: 0, tolerance: 0) }
        var warnings = weights.excluded.isEmpty ? [] : ["\(weights.excluded.count) all-zero rows excluded from fitting (label -1)"]
        let converged = state.lastShift <= config.tolerance
        if !converged { warnings.append("last mini-batch step still moved the centres by \(state.lastShift) (> tolerance \(config.tolerance))") }
        return KMeansModel(
            configuration: config.kmeans, k: config.k, dimension: x.columns, centroids: state.centroids, labels: result.labels,
            objective: result.objective, iterations: config.steps, converged: converged, history: history,
            restartObjectives: [result.objective], excludedRows: weights.excluded, clusterSizes: result.sizes, warnings: warnings,
            initializationSeconds: t1 - t0, iterationSeconds: t2 - t1)
    }

    func initialState(_ input: SparseInput, rng: inout SeededGenerator) throws -> State {
        let config = configuration
        let spherical = config.algorithm == .spherical
        let weights = RowWeights(input, spherical: spherical)
        try config.kmeans.validate(rows: input.rows - weights.excluded.count, columns: input.dimension, excluded: weights.excluded.count)
        let d = input.dimension, k = config.k
        var centers = ContiguousArray<Float>(repeating: 0, count: k * d)
        withPinnedBLAS {
            centers.withUnsafeMutableBufferPointer {
                Initializer(input: input, weights: weights, spherical: spherical, threads: config.threads)
                    .kMeansPlusPlus(k: k, rng: &rng, into: $0.baseAddress!)
            }
        }
        return State(k: k, dimension: d, centroids: centers, counts: [Double](repeating: 0, count: k), batches: 0, lastShift: .infinity)
    }

    /// c ← c + (Σ_batch members − m·c) / count_c, then re-normalised when spherical.
    func update(_ state: State, _ batch: SparseInput) -> State {
        let k = state.k, d = state.dimension, n = batch.rows
        let spherical = configuration.algorithm == .spherical
        let weights = RowWeights(batch, spherical: spherical)
        var next = state
        let aux = UnsafeMutablePointer<Float>.allocate(capacity: max(1, batch.auxiliaryCount(k: k)))
        let cn2 = UnsafeMutablePointer<Float>.allocate(capacity: k)
        let labels = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
        let distances = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n))
        defer { aux.deallocate(); cn2.deallocate(); labels.deallocate(); distances.deallocate() }
        aux.initialize(repeating: 0, count: max(1, batch.auxiliaryCount(k: k)))
        labels.initialize(repeating: -2, count: max(1, n))
        let scratch = AssignScratch(rows: n, k: k, threads: configuration.threads)
        var sums = [Float](repeating: 0, count: k * d)
        var members = [Int](repeating: 0, count: k)
        state.centroids.withUnsafeBufferPointer { c in
            withPinnedBLAS {
                _ = batch.refreshAuxiliary(centers: c.baseAddress!, k: k, aux: aux, threads: configuration.threads)
                centerSquaredNorms(c.baseAddress!, k: k, d: d, into: cn2)
                _ = assignRows(batch, weights: weights, spherical: spherical, centers: c.baseAddress!, aux: aux, centerSquaredNorms: cn2,
                               labels: labels, distances: distances, scratch: scratch, threads: configuration.threads)
            }
        }
        sums.withUnsafeMutableBufferPointer { s in
            for i in 0..<n where labels[i] >= 0 {
                let c = Int(labels[i])
                members[c] += 1
                batch.add(row: i, scale: weights.scale[i], to: s.baseAddress! + c * d)
            }
        }
        var shift = 0.0
        next.centroids.withUnsafeMutableBufferPointer { cent in
            for c in 0..<k where members[c] > 0 {
                next.counts[c] += Double(members[c])
                let rate = Float(1 / next.counts[c])
                let row = cent.baseAddress! + c * d
                let old = Array(UnsafeBufferPointer(start: row, count: d))
                for j in 0..<d { row[j] += (sums[c * d + j] - Float(members[c]) * row[j]) * rate }
                if spherical { normalizeRows(row, rows: 1, columns: d) }
                for j in 0..<d { let diff = Double(row[j] - old[j]); shift += diff * diff }
            }
        }
        next.batches += 1
        next.lastShift = shift
        return next
    }
}
