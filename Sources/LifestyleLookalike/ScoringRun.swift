import Dispatch
import Foundation
import LifestyleCore

/// `lifestyle score` as a library call: stream users from a posts file (or stdin), leave out
/// known buyers and users not in the prospect list, score in batches, write sorted results.
/// Memory is bounded by the batch size and the writer's run size, not by the pool.
public struct ScoringRun {
    public struct Outcome: Sendable {
        public var stream: UserStream.Outcome
        public var scored = 0
        public var written = 0
        public var knownBuyersSkipped = 0
        public var notProspects = 0
        public var prospectsListed = 0
        /// Listed prospects that had no posts in the input.
        public var prospectsWithoutPosts = 0
        public var firstProspectsWithoutPosts: [String] = []
    }

    public var model: LifestyleModel
    public var threads: Int
    public var batchSize = 4096
    public var strict = false
    public var quiet = false
    /// Named in the error when `strict` refuses listed prospects without posts.
    public var prospectsPath: String?

    public init(model: LifestyleModel, threads: Int) {
        self.model = model
        self.threads = threads
    }

    /// Scores the users of `posts` into the writer `makeWriter` returns.
    ///
    /// Posts are streamed on the assumption that each user's posts are on consecutive lines.
    /// When a file turns out not to be grouped that way (a user's id comes back after another
    /// user's), and the output is sorted (nothing written yet), the run starts over with the
    /// file grouped in memory; from standard input it goes on and reports the users affected.
    public func run(posts: String, prospects: [String]?, makeWriter: () throws -> ScoreWriter) throws -> Outcome {
        let scorer = try Scorer(model: model, threads: threads)
        let listed = prospects.map(Set.init)
        var writer = try makeWriter()
        let canRestart = posts != "-" && writer.sorted
        struct Regrouped: Error {}
        var seen = Set<String>()
        var outcome = Outcome(stream: UserStream.Outcome(summary: ReadSummary(file: posts)))
        outcome.prospectsListed = listed?.count ?? 0
        var knownSkipped = 0, notListed = 0, scored = 0
        // Reading, scoring and writing overlap: the next batch is parsed while this one is
        // scored and the previous one written (each stage in order on its own serial queue, at
        // most two batches waiting at each).
        var pipeline = BatchPipeline()
        var writing = BatchPipeline()
        func consume(_ batch: PostBatch) throws {
            var keep: [Int] = []
            keep.reserveCapacity(batch.userCount)
            for (i, id) in batch.ids.enumerated() {
                if let listed {
                    guard listed.contains(id) else { notListed += 1; continue }
                    seen.insert(id)
                }
                if model.isKnownBuyer(id) { knownSkipped += 1; continue }
                keep.append(i)
            }
            scored += keep.count
            let target = UncheckedSendable(writer)
            let users = keep
            let output = writing
            try pipeline.submit {
                let scored = scorer.score(batch, users: users)
                try output.submit { for p in scored { try target.value.add(p) } }
            }
        }
        /// Waits for every queued batch to be scored and written; rethrows the first failure.
        func drain() throws {
            defer { _ = try? writing.finish() }
            try pipeline.finish()
            try writing.finish()
        }
        let bar = ProgressBar("scoring", total: posts == "-" ? 0 : AtomicFile.size(of: posts), unit: "bytes", quiet: quiet)
        do {
            let stream = UserStream(path: posts, strict: strict, batchSize: batchSize, stopOnRegroup: canRestart)
            do {
                outcome.stream = try stream.forEachBatch(progress: bar.update) { try consume($0) }
            } catch {
                // Let queued batches finish with the writer before anything else happens to it.
                _ = try? drain()
                throw error
            }
            try drain()
            bar.finish()
        } catch is UserStream.RegroupDetected {
            _ = try? drain()
            pipeline = BatchPipeline()
            writing = BatchPipeline()
            bar.finish()
            // Not grouped by user: start over with every user's posts gathered in memory.
            knownSkipped = 0; notListed = 0; scored = 0
            seen.removeAll()
            writer = try makeWriter()
            let loadBar = ProgressBar("reading posts", total: AtomicFile.size(of: posts), unit: "bytes", quiet: quiet)
            let users = try UserPosts.load(posts, strict: strict, progress: loadBar.update)
            loadBar.finish()
            outcome.stream = UserStream.Outcome(summary: users.summary)
            outcome.stream.users = users.userCount
            outcome.stream.groupedInMemory = true
            let scoreBar = ProgressBar("scoring", total: users.userCount, quiet: quiet)
            var start = 0
            while start < users.userCount {
                let end = min(users.userCount, start + batchSize)
                try consume(PostBatch(ids: Array(users.ids[start..<end]), posts: (start..<end).map { Array(users.posts(of: $0)) }))
                scoreBar.update(end)
                start = end
            }
            try drain()
            scoreBar.finish()
        }
        let summary = outcome.stream.summary
        if summary.kept == 0 && (summary.linesRead > 0 || posts != "-") {
            var reason = "no valid posts (\(summary.linesRead) lines read)"
            if let first = summary.firstErrors.first { reason += "; first problem: \(first)" }
            throw InputError(file: posts, reason: reason)
        }
        if let prospects {
            for id in prospects where !seen.contains(id) {
                outcome.prospectsWithoutPosts += 1
                if outcome.firstProspectsWithoutPosts.count < 5 { outcome.firstProspectsWithoutPosts.append(id) }
            }
            // Refused before the output is committed: nothing is left behind.
            if strict && outcome.prospectsWithoutPosts > 0 {
                throw InputError(file: prospectsPath ?? "prospects", reason: "\(outcome.prospectsWithoutPosts) of \(outcome.prospectsListed) listed prospects have no posts in \(posts) (e.g. \(outcome.firstProspectsWithoutPosts.joined(separator: ", ")))")
            }
        }
        outcome.written = try writer.finish()
        outcome.scored = scored
        outcome.knownBuyersSkipped = knownSkipped
        outcome.notProspects = notListed
        return outcome
    }
}

/// Runs submitted jobs in order on one background queue, at most `depth` at a time; the first
/// error stops the rest and is rethrown by `submit` or `finish`.
final class BatchPipeline: @unchecked Sendable {
    private let queue = DispatchQueue(label: "lifestyle.scoring")
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var failure: Error?

    init(depth: Int = 2) { slots = DispatchSemaphore(value: depth) }

    private var firstError: Error? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    func submit(_ job: @escaping @Sendable () throws -> Void) throws {
        if let e = firstError { throw e }
        slots.wait()
        queue.async(group: group) { [self] in
            defer { slots.signal() }
            guard firstError == nil else { return }
            do { try job() } catch {
                lock.lock()
                if failure == nil { failure = error }
                lock.unlock()
            }
        }
    }

    func finish() throws {
        group.wait()
        if let e = firstError { throw e }
    }
}

/// `lifestyle eval`: scores a pool with a model and measures the ranking against labels.
public struct Evaluation {
    public struct Outcome: Sendable {
        public var metrics: RankingMetrics
        public var labelled = 0
        public var unlabelled = 0
        public var knownBuyersSkipped = 0
        public var labelsWithoutPosts = 0
        public var clusterOfPositives: [Int: Int] = [:]
        public var diagnostics: [String] = []
    }

    public static func run(model: LifestyleModel, posts: String, labels: [String: Bool], prospects: [String]?,
                           threads: Int, strict: Bool, quiet: Bool) throws -> Outcome {
        let scorer = try Scorer(model: model, threads: threads)
        let listed = prospects.map(Set.init)
        var scores: [Double] = [], truth: [Bool] = []
        var unlabelled = 0, known = 0
        var seen = Set<String>()
        var clusters: [Int: Int] = [:]
        let bar = ProgressBar("reading posts", total: AtomicFile.size(of: posts), unit: "bytes", quiet: quiet)
        let users = try UserPosts.load(posts, strict: strict, progress: bar.update)
        bar.finish()
        var keepIDs: [String] = [], keepPosts: [[String]] = []
        for u in 0..<users.userCount {
            let id = users.ids[u]
            if model.isKnownBuyer(id) { known += 1; continue }
            if let listed, !listed.contains(id) { continue }
            guard labels[id] != nil else { unlabelled += 1; continue }
            keepIDs.append(id)
            keepPosts.append(Array(users.posts(of: u)))
        }
        var probabilities: [Double] = []
        for p in scorer.score(ids: keepIDs, posts: keepPosts) {
            scores.append(p.rankKey)
            probabilities.append(p.score)
            let positive = labels[p.userID]!
            truth.append(positive)
            seen.insert(p.userID)
            if positive { clusters[p.cluster, default: 0] += 1 }
        }
        guard !scores.isEmpty else {
            throw InputError(file: posts, reason: "no user of the pool has a label: nothing to evaluate")
        }
        var outcome = Outcome(metrics: try RankingMetrics(scores: scores, labels: truth, probabilities: probabilities))
        outcome.labelled = scores.count
        outcome.unlabelled = unlabelled
        outcome.knownBuyersSkipped = known
        outcome.labelsWithoutPosts = labels.keys.filter { !seen.contains($0) && !model.isKnownBuyer($0) && (listed?.contains($0) ?? true) }.count
        outcome.clusterOfPositives = clusters
        outcome.diagnostics = seedDiagnostics(model)
        if outcome.metrics.positives == 0 { outcome.diagnostics.append("no positive in the pool: ROC AUC and average precision are undefined") }
        return outcome
    }

    /// Warnings about the seeds a model was trained on.
    public static func seedDiagnostics(_ model: LifestyleModel) -> [String] {
        var out: [String] = []
        let c = model.manifest.corpus
        if c.clusteredSeeds < 30 { out.append("only \(c.clusteredSeeds) seed users were clustered (30 or more recommended)") }
        if c.trainingPositives < 50 { out.append("only \(c.trainingPositives) known buyers trained the likelihood (50 or more recommended)") }
        if let spread = spreadWarning(sizes: model.cards.map(\.size)) { out.append(spread) }
        return out
    }
}

/// "Seeds spread over many clusters": five or more clusters of nearly equal size (normalised
/// entropy of the sizes above 0.95) — no lifestyle dominates the best customers, so looking
/// alike them says little.
func spreadWarning(sizes: [Int]) -> String? {
    let total = sizes.reduce(0, +)
    guard sizes.count >= 5, total > 0 else { return nil }
    var h = 0.0
    for s in sizes where s > 0 {
        let p = Double(s) / Double(total)
        h -= p * log(p)
    }
    let normalised = h / log(Double(sizes.count))
    guard normalised > 0.95 else { return nil }
    return "the seeds spread evenly over \(sizes.count) clusters (largest \(sizes.max()!) of \(total); size entropy \(fmt(normalised, 2)) of 1): no dominant lifestyle, a weak base for look-alikes"
}
