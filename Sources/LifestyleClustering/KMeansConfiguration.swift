import LifestyleText
import LifestyleVectors

/// k-means: hyper-parameters in a validated `Configuration`, learned state in an immutable
/// `KMeansModel` returned by `fit` (scikit-learn's estimator contract as Swift values).
///
/// ```swift
/// let model = try KMeans(.init(k: 12, restarts: 4, seed: 42)).fit(tfidf)   // spherical on CSR
/// let model = try KMeans(.init(k: 10, algorithm: .lloyd)).fit(lsaVectors) // Euclidean, dense
/// ```
public struct KMeans: Sendable {
    /// How the objective measures a row's distance to its centroid.
    public enum Algorithm: String, Sendable, Codable, CaseIterable {
        /// Cosine: rows are scaled to unit length, centroids are re-normalised sums; the objective
        /// is Σ(1 − cos(xᵢ, c)). All-zero rows have no direction and are excluded.
        case spherical
        /// Euclidean (Lloyd): centroids are means; the objective is the inertia Σ‖xᵢ − c‖².
        case lloyd
    }

    /// How the first centroids are chosen.
    public enum Initialization: String, Sendable, Codable, CaseIterable {
        /// Greedy k-means++: D²-sampling with 2 + ⌊ln k⌋ candidates per step, keeping the one that
        /// lowers the potential most (scikit-learn's default).
        case kMeansPlusPlus = "k-means++"
        /// k-means||: a few rounds of oversampled D²-sampling, then weighted k-means++ on the
        /// candidates (Bahmani et al. 2012); fewer passes over large inputs.
        case kMeansParallel = "k-means||"
        /// k distinct rows chosen uniformly.
        case random
    }

    public struct Configuration: Sendable, Equatable {
        /// Number of clusters, 1 ≤ k ≤ rows.
        public var k: Int
        /// Independent runs from different seeds; the lowest objective wins.
        public var restarts: Int
        /// Upper bound on assignment/update rounds per run.
        public var maxIterations: Int
        /// Convergence: stop when Σ‖Δcentroid‖² ≤ tolerance (spherical; centroids are unit
        /// vectors) or ≤ tolerance × mean feature variance (Lloyd, as scikit-learn). A run also
        /// stops when no label changes.
        public var tolerance: Double
        public var seed: UInt64
        public var initialization: Initialization
        public var algorithm: Algorithm
        /// Worker threads; results are bit-identical for any value.
        public var threads: Int
        /// Explicit starting centroids (k × d, row-major), overriding `initialization`; with them
        /// `restarts` must be 1. This is scikit-learn's `init=array`.
        public var initialCentroids: DenseMatrix?
        /// k-means||: rounds and expected candidates per round (as a multiple of k).
        public var parallelRounds: Int
        public var oversampling: Double
        /// Dense Lloyd: skip rows that provably keep their cluster (Hamerly's bounds). Same
        /// labels and centroids as plain Lloyd, fewer distance computations in later rounds;
        /// the per-round `objective` in `history` is then an upper bound (the final one is exact).
        public var boundPruning: Bool

        public init(k: Int, restarts: Int = 1, maxIterations: Int = 100, tolerance: Double = 1e-4, seed: UInt64 = 0,
                    initialization: Initialization = .kMeansPlusPlus, algorithm: Algorithm = .spherical,
                    threads: Int = defaultThreadCount, initialCentroids: DenseMatrix? = nil,
                    parallelRounds: Int = 5, oversampling: Double = 2, boundPruning: Bool = true) {
            self.k = k
            self.restarts = restarts
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.seed = seed
            self.initialization = initialization
            self.algorithm = algorithm
            self.threads = threads
            self.initialCentroids = initialCentroids
            self.parallelRounds = parallelRounds
            self.oversampling = oversampling
            self.boundPruning = boundPruning
        }

        /// Checks the values that do not depend on the data (done again, with the data, at `fit`).
        public func validate() throws {
            guard k >= 1 else { throw ConfigurationError("k=\(k) should be >= 1") }
            guard restarts >= 1 else { throw ConfigurationError("restarts=\(restarts) should be >= 1") }
            guard maxIterations >= 1 else { throw ConfigurationError("maxIterations=\(maxIterations) should be >= 1") }
            guard tolerance >= 0, tolerance.isFinite else { throw ConfigurationError("tolerance=\(tolerance) should be a finite value >= 0") }
            guard threads >= 1 else { throw ConfigurationError("threads=\(threads) should be >= 1") }
            guard parallelRounds >= 1 else { throw ConfigurationError("parallelRounds=\(parallelRounds) should be >= 1") }
            guard oversampling > 0, oversampling.isFinite else { throw ConfigurationError("oversampling=\(oversampling) should be > 0") }
            if let c = initialCentroids {
                guard c.rows == k else { throw ConfigurationError("initialCentroids has \(c.rows) rows; should be k=\(k)") }
                guard restarts == 1 else { throw ConfigurationError("restarts=\(restarts) should be 1 with explicit initialCentroids") }
            }
        }

        /// Checks against the data shape: `rows` fitted rows (after excluding all-zero rows) of `columns` features.
        func validate(rows: Int, columns: Int, excluded: Int) throws {
            try validate()
            guard rows > 0 else {
                throw ConfigurationError(excluded > 0
                    ? "no rows to cluster: all \(excluded) rows are all-zero"
                    : "no rows to cluster: the matrix has 0 rows")
            }
            guard k <= rows else {
                throw ConfigurationError("k=\(k) should be <= number of rows=\(rows)"
                    + (excluded > 0 ? " (after excluding \(excluded) all-zero rows)" : ""))
            }
            if let c = initialCentroids, c.columns != columns {
                throw ConfigurationError("initialCentroids has \(c.columns) columns; should be the matrix's \(columns)")
            }
        }
    }

    public let configuration: Configuration
    /// Told the Lloyd rounds done so far, out of `restarts × maxIterations` (a restart that
    /// converges early counts as all its rounds), for a progress bar; called on the fitting thread,
    /// inside the fit's one-thread BLAS section: it must not run a randomised SVD, or wait for one.
    public var progress: (@Sendable (Int) -> Void)?

    /// Validates the data-independent values now; the rest is checked at `fit`.
    public init(_ configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The same k-means, reporting its rounds to `progress`.
    public func reporting(_ progress: @escaping @Sendable (Int) -> Void) -> KMeans {
        var copy = self
        copy.progress = progress
        return copy
    }
}
