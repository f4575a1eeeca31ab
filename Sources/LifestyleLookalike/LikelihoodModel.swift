import Foundation
import LifestyleVectors

/// Purchase likelihood from a user's mix of population lifestyles (topics of posts).
///
/// - Topics: `TopicModel` over every post of the population (unlabelled text is free to use);
///   a user's mix θ comes from their posts with the topics fixed.
/// - s(x) = P(known buyer | θ): with the `rate` head, Σₖ θₖ · rateₖ where rateₖ is the smoothed
///   share of known buyers among the users whose main topic is k; with the `logistic` head, a
///   logistic regression of known buyers vs everyone else on ln θ (positive–unlabelled learning).
/// - Likelihood among users who are not known buyers (Elkan & Noto 2008, given the share c of
///   buyers that the CRM links to an account): P(buyer | x, not known) = (1 − c)/c · s/(1 − s),
///   clipped to [0, 1]. c cannot be identified from positive–unlabelled data unless some
///   lifestyle buys with certainty, so it is a parameter (`--known-share`); the ranking does not
///   depend on it.
public struct LikelihoodModel: Sendable, Equatable {
    public enum Head: String, Sendable, Codable, CaseIterable {
        case rate, logistic
        /// Σₖ P(main topic = k) · rateₖ, with the main-topic posterior of `TopicModel.mixAndPrimary`.
        case primary
        /// Σₖ θₖ · rateₖ with the rates fitted by EM as a mixture: a user's label comes from one of
        /// their topics, chosen with probability θₖ, then Bernoulli(rateₖ).
        case mixture
    }

    public let topics: TopicModel
    public let head: Head
    /// Per-topic known-buyer rate (rate head).
    public let rates: [Double]
    /// On ln θ (logistic head).
    public let regression: LogisticRegression?
    /// c: share of all buyers that are known (linked).
    public let knownShare: Double
    /// ρ of the primary head: share of a user's posts about their main lifestyle.
    public var primaryShare = 0.75
    /// Scores of the training pool at every percent (0…100), for percentiles of unsorted output.
    public let referenceQuantiles: [Double]

    public init(topics: TopicModel, head: Head, rates: [Double], regression: LogisticRegression?, knownShare: Double,
                referenceQuantiles: [Double]) {
        self.topics = topics
        self.head = head
        self.rates = rates
        self.regression = regression
        self.knownShare = knownShare
        self.referenceQuantiles = referenceQuantiles
    }

    /// What the head reads for each user (users × K): θ, or the main-topic posterior.
    public func headInputs(counts: CSRMatrix, postStart: [Int]) -> [Double] {
        switch head {
        case .rate, .logistic, .mixture: return topics.mix(counts: counts, postStart: postStart)
        case .primary: return topics.mixAndPrimary(counts: counts, postStart: postStart, primaryShare: primaryShare).primary
        }
    }

    /// s = P(known buyer | θ) for one user's mix.
    public func knownProbability(_ theta: ArraySlice<Double>) -> Double {
        switch head {
        case .rate, .primary, .mixture:
            var s = 0.0
            for (i, t) in theta.enumerated() { s += t * rates[i] }
            return s
        case .logistic:
            let features = theta.map { log(max($0, 1e-12)) }
            return features.withUnsafeBufferPointer { sigmoid(regression!.decision($0)) }
        }
    }

    /// P(buyer | θ, not a known buyer), in [0, 1].
    public func probability(_ theta: ArraySlice<Double>) -> Double {
        Self.calibrate(knownProbability(theta), c: knownShare)
    }

    static func calibrate(_ s: Double, c: Double) -> Double {
        guard c > 0 else { return 0 }
        let odds = s / max(1e-12, 1 - s)
        return min(1, max(0, (1 - c) / c * odds))
    }

    /// Per-topic rates maximising Σᵤ log P(yᵤ | θᵤ) with P(y = 1 | θ) = Σₖ θₖ rateₖ, by EM
    /// (Beta(1, 1)-smoothed M steps), starting from `topicRates`.
    static func mixtureRates(theta: [Double], k: Int, positive: [Bool], iterations: Int = 100) -> [Double] {
        var rates = topicRates(theta: theta, k: k, positive: positive)
        let users = positive.count
        var num = [Double](repeating: 0, count: k), den = [Double](repeating: 0, count: k)
        for _ in 0..<iterations {
            for t in 0..<k { num[t] = 0; den[t] = 0 }
            for u in 0..<users {
                var z = 0.0
                for t in 0..<k { z += theta[u * k + t] * (positive[u] ? rates[t] : 1 - rates[t]) }
                guard z > 0 else { continue }
                for t in 0..<k {
                    let g = theta[u * k + t] * (positive[u] ? rates[t] : 1 - rates[t]) / z
                    den[t] += g
                    if positive[u] { num[t] += g }
                }
            }
            var change = 0.0
            for t in 0..<k {
                let next = (num[t] + 1) / (den[t] + 2)
                change = max(change, abs(next - rates[t]))
                rates[t] = next
            }
            if change < 1e-9 { break }
        }
        return rates
    }

    /// Smoothed known-buyer rate per main topic: (buyers + 1) / (users + 2).
    static func topicRates(theta: [Double], k: Int, positive: [Bool]) -> [Double] {
        var buyers = [Double](repeating: 0, count: k), users = [Double](repeating: 0, count: k)
        for u in positive.indices {
            var best = 0
            for t in 1..<k where theta[u * k + t] > theta[u * k + best] { best = t }
            users[best] += 1
            if positive[u] { buyers[best] += 1 }
        }
        return (0..<k).map { (buyers[$0] + 1) / (users[$0] + 2) }
    }

    /// The percentile of a score within the training pool (0…100).
    public func referencePercentile(_ score: Double) -> Double {
        let q = referenceQuantiles
        guard q.count >= 2 else { return 0 }
        // Largest i with q[i] <= score, interpolated.
        if score <= q[0] { return 0 }
        if score >= q[q.count - 1] { return 100 }
        var lo = 0, hi = q.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if q[mid] <= score { lo = mid } else { hi = mid }
        }
        let span = q[hi] - q[lo]
        let frac = span > 0 ? (score - q[lo]) / span : 0
        return (Double(lo) + frac) * 100 / Double(q.count - 1)
    }

    /// Quantiles at every percent of `values`.
    static func quantiles(_ values: [Double]) -> [Double] {
        let s = values.sorted()
        guard !s.isEmpty else { return [] }
        return (0...100).map { p in
            let x = Double(p) / 100 * Double(s.count - 1)
            let i = Int(x)
            let f = x - Double(i)
            return i + 1 < s.count ? s[i] * (1 - f) + s[i + 1] * f : s[i]
        }
    }
}
