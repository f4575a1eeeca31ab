import Dispatch
import Foundation
import LifestyleCore
import LifestyleVectors

/// Scores users with a trained model: purchase likelihood, nearest lifestyle cluster, the terms
/// that drove the match and recommended SKUs. Batches are split over threads; results do not
/// depend on the thread count.
public struct Scorer: Sendable {
    public let model: LifestyleModel
    /// Made once: the raw counts of every batch come from `model.vectorizer.rawCounts`.
    let plan: CountingPlan
    public let threads: Int
    public var termsPerProspect = 5
    public var skusPerProspect = 3
    let recommended: [[String]]
    let isWord: [Bool]
    let isHidden: [Bool]

    public init(model: LifestyleModel, threads: Int = defaultThreadCount) throws {
        self.model = model
        plan = model.vectorizer.countingPlan()
        self.threads = max(1, threads)
        recommended = model.cards.map { card in
            card.affinity.filter { $0.orders > 0 }
                .sorted { $0.lift != $1.lift ? $0.lift > $1.lift : ($0.share != $1.share ? $0.share > $1.share : $0.sku < $1.sku) }
                .map(\.sku)
        }
        isWord = DescriptiveTerms.flags(model.vectorizer)
        isHidden = DescriptiveTerms.hidden(model.vectorizer)
    }

    /// Scores a batch of users (ids aligned with their posts).
    public func score(ids: [String], posts: [[String]]) -> [ScoredProspect] {
        let batch = PostBatch(ids: ids, posts: posts)
        return score(batch, users: Array(0..<batch.userCount))
    }

    /// Scores the users at `users` (indices into `batch`), in that order.
    public func score(_ batch: PostBatch, users: [Int]) -> [ScoredProspect] {
        let n = users.count
        guard n > 0 else { return [] }
        let chunk = 256
        let chunks = (n + chunk - 1) / chunk
        let results = Locked([[ScoredProspect]](repeating: [], count: chunks))
        let work: @Sendable (Int) -> Void = { c in
            let out = self.scoreChunk(batch, users: users[(c * chunk) ..< min(n, (c + 1) * chunk)])
            results.withLock { $0[c] = out }
        }
        if threads == 1 || chunks == 1 {
            for c in 0..<chunks { work(c) }
        } else {
            // Workers take chunks in turn; each chunk's result has a fixed slot.
            let next = Locked(0)
            DispatchQueue.concurrentPerform(iterations: min(threads, chunks)) { _ in
                while true {
                    let c = next.withLock { v -> Int in defer { v += 1 }; return v }
                    guard c < chunks else { break }
                    work(c)
                }
            }
        }
        return results.withLock { $0 }.flatMap { $0 }
    }

    func scoreChunk(_ batch: PostBatch, users: ArraySlice<Int>) -> [ScoredProspect] {
        var documents: [Range<Int>] = []
        var start = [0]
        start.reserveCapacity(users.count + 1)
        for u in users {
            for p in batch.userStart[u] ..< batch.userStart[u + 1] { documents.append(batch.text(p)) }
            start.append(documents.count)
        }
        let grouped = batch.bytes.withUnsafeBufferPointer { model.vectorizer.rawCounts(utf8: $0, documents: documents, groupStart: start, plan: plan) }
        let postCounts = grouped.documents, counts = grouped.groups
        let x = TermCounts.weighted(counts, like: model.vectorizer)
        let k = model.clusters.k
        let lk = model.likelihood
        let tk = lk.topics.k
        let (theta, primary) = lk.topics.mixAndPrimary(counts: postCounts, postStart: start,
                                                        primaryShare: lk.head == .primary ? lk.primaryShare : nil)
        let headInput = lk.head == .primary ? primary : theta
        var out: [ScoredProspect] = []
        out.reserveCapacity(users.count)
        for (u, user) in users.enumerated() {
            // Nearest lifestyle cluster in topic-mix space (cosine of √θ).
            var best = 0
            var bestSim = -Float.infinity
            for c in 0..<k {
                var dot: Float = 0
                for t in 0..<tk { dot += Float(theta[u * tk + t].squareRoot()) * model.clusterMixes[c * tk + t] }
                if dot > bestSim { bestSim = dot; best = c }
            }
            let terms = model.clusters.topContributions(x, row: u, centroid: best, count: termsPerProspect,
                                                            prefer: { isWord[$0] }, allow: { !isHidden[$0] })
                .map { model.vectorizer.featureName($0) }
            out.append(ScoredProspect(
                userID: batch.ids[user], score: lk.probability(headInput[u * tk ..< (u + 1) * tk]),
                cluster: best, similarity: Double(bestSim), terms: terms,
                skus: Array(recommended[best].prefix(skusPerProspect)),
                rankKey: lk.knownProbability(headInput[u * tk ..< (u + 1) * tk])))
        }
        return out
    }
}
