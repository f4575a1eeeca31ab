import LifestyleText
import LifestyleVectors

/// Scans a range of k and recommends one: the objective curve, the cosine silhouette (exact,
/// on a seeded sample of rows) and stability — the mean adjusted Rand index between
/// independently seeded runs (a k whose partition changes with the seed is not a real structure).
///
/// The recommendation is the k with the highest silhouette among the stable ones
/// (stability ≥ `minimumStability`); it is flagged as not clearly better when the runner-up's
/// silhouette is within `margin`.
public struct ChooseK: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var ks: [Int]
        /// Independent single-restart runs per k; the best is that k's model, all of them feed stability.
        public var runs: Int
        public var seed: UInt64
        public var algorithm: KMeans.Algorithm
        public var initialization: KMeans.Initialization
        public var maxIterations: Int
        /// Rows scored by the silhouette (a seeded sample; all rows when larger than the data).
        public var silhouetteSample: Int
        public var minimumStability: Double
        public var margin: Double
        public var threads: Int

        public init(ks: [Int], runs: Int = 3, seed: UInt64 = 0, algorithm: KMeans.Algorithm = .spherical,
                    initialization: KMeans.Initialization = .kMeansPlusPlus, maxIterations: Int = 100,
                    silhouetteSample: Int = 5000, minimumStability: Double = 0.6, margin: Double = 0.01,
                    threads: Int = defaultThreadCount) {
            self.ks = ks
            self.runs = runs
            self.seed = seed
            self.algorithm = algorithm
            self.initialization = initialization
            self.maxIterations = maxIterations
            self.silhouetteSample = silhouetteSample
            self.minimumStability = minimumStability
            self.margin = margin
            self.threads = threads
        }

        public func validate() throws {
            guard !ks.isEmpty else { throw ConfigurationError("ks should not be empty") }
            if let bad = ks.first(where: { $0 < 2 }) { throw ConfigurationError("k=\(bad) should be >= 2 when choosing k (a silhouette needs two clusters)") }
            guard runs >= 2 else { throw ConfigurationError("runs=\(runs) should be >= 2 (stability compares runs)") }
            guard silhouetteSample >= 2 else { throw ConfigurationError("silhouetteSample=\(silhouetteSample) should be >= 2") }
        }
    }

    /// What one k scored.
    public struct Candidate: Sendable {
        public let k: Int
        /// Objective of the best run (lower is better; always falls as k grows).
        public let objective: Double
        /// Mean cosine silhouette in [−1, 1] on the sample (higher is better).
        public let silhouette: Double
        /// Mean pairwise ARI between the runs (1 = every seed found the same partition).
        public let stability: Double
        public let model: KMeansModel
    }

    public struct Result: Sendable {
        public let candidates: [Candidate]
        /// The recommended k (nil when no k is stable).
        public let recommended: Int?
        /// False when another k is within the margin, or nothing is stable.
        public let clear: Bool
        /// One sentence a person can act on.
        public let explanation: String
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Told the k-means fits done so far, out of `ks.count × runs`, for a progress bar.
    public var progress: (@Sendable (Int) -> Void)?

    /// - Complexity: Σ_k runs · (k-means fit) + O(nnz·k) per silhouette.
    public func evaluate(_ x: CSRMatrix) throws -> Result {
        try evaluate(rows: x.rows) { try KMeans($0).fit(x) } silhouette: { labels, k, sample in
            ClusterQuality.cosineSilhouette(x, labels: labels, k: k, sample: sample, threads: configuration.threads)
        }
    }

    public func evaluate(_ x: DenseMatrix) throws -> Result {
        try evaluate(rows: x.rows) { try KMeans($0).fit(x) } silhouette: { labels, k, sample in
            ClusterQuality.cosineSilhouette(x, labels: labels, k: k, sample: sample, threads: configuration.threads)
        }
    }

    func evaluate(rows n: Int, fit: (KMeans.Configuration) throws -> KMeansModel,
                  silhouette: ([Int32], Int, [Int]) -> Double) throws -> Result {
        let config = configuration
        var rng = SeededGenerator.stream(seed: config.seed, index: -1)
        var pool = Array(0..<n)
        let m = min(n, config.silhouetteSample)
        for i in 0..<m { pool.swapAt(i, i + rng.nextInt(below: n - i)) }
        let sample = Array(pool[0..<m]).sorted()

        var candidates: [Candidate] = []
        for k in config.ks.sorted() {
            var models: [KMeansModel] = []
            for r in 0..<config.runs {
                models.append(try fit(KMeans.Configuration(
                    k: k, restarts: 1, maxIterations: config.maxIterations, seed: config.seed &+ UInt64(r) &* 0x9E37_79B9,
                    initialization: config.initialization, algorithm: config.algorithm, threads: config.threads)))
                progress?(candidates.count * config.runs + r + 1)
            }
            var ari = 0.0, pairs = 0
            for a in 0..<models.count { for b in (a + 1)..<models.count { ari += ClusterQuality.adjustedRandIndex(models[a].labels, models[b].labels); pairs += 1 } }
            let best = models.min { $0.objective < $1.objective }!
            candidates.append(Candidate(k: k, objective: best.objective, silhouette: silhouette(best.labels, k, sample),
                                        stability: ari / Double(max(1, pairs)), model: best))
        }
        let stable = candidates.filter { $0.stability >= config.minimumStability }
        guard let top = stable.max(by: { $0.silhouette < $1.silhouette }) else {
            return Result(candidates: candidates, recommended: nil, clear: false,
                          explanation: "no k is stable (every k's runs disagree: ARI < \(config.minimumStability)); the data may have no cluster structure at these k")
        }
        let rivals = stable.filter { $0.k != top.k && top.silhouette - $0.silhouette < config.margin }
        if rivals.isEmpty {
            return Result(candidates: candidates, recommended: top.k, clear: true,
                          explanation: "k=\(top.k) has the highest silhouette among stable k (by more than \(config.margin))")
        }
        return Result(candidates: candidates, recommended: top.k, clear: false,
                      explanation: "no k is clearly better: k=\(top.k) leads, but k=\(rivals.map { String($0.k) }.joined(separator: ", ")) "
                          + "score within \(config.margin) of its silhouette; choose by what the clusters mean")
    }
}
