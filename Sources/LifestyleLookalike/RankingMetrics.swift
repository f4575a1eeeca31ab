import LifestyleCore
import LifestyleText

/// How well a ranking of a pool finds its positives: ROC AUC, average precision, precision at
/// k, lift, the gains curve and a reliability (calibration) table.
///
/// Definitions follow scikit-learn so numbers can be compared: `roc_auc_score` (tied scores
/// count half), `average_precision_score` (a step function over distinct thresholds, no
/// interpolation). Rankings break score ties by input order, so every number is deterministic.
public struct RankingMetrics: Sendable, Codable {
    public struct GainsPoint: Sendable, Codable, Equatable {
        /// Share of the pool contacted, best scores first (0…1).
        public var contactedShare: Double
        public var contacted: Int
        public var positivesFound: Int
        /// Share of all positives found so far (0…1).
        public var positivesShare: Double
        /// Buyer rate among the contacted over the pool's base rate.
        public var lift: Double
    }

    public struct ReliabilityBin: Sendable, Codable, Equatable {
        /// Decile 1 holds the highest scores.
        public var decile: Int
        public var count: Int
        public var meanScore: Double
        public var observedRate: Double
        public var minScore: Double
        public var maxScore: Double
    }

    public var pool: Int
    public var positives: Int
    public var rocAUC: Double
    public var averagePrecision: Double
    /// k → precision among the k best-scored.
    public var precisionAt: [Int: Double]
    /// Buyer rate in the top 10% over the base rate.
    public var liftTop10: Double
    public var gains: [GainsPoint]
    public var reliability: [ReliabilityBin]
    /// Mean squared difference between score and outcome (lower is better).
    public var brierScore: Double
    /// Expected calibration error over the deciles: Σ (count/pool) |mean score − observed rate|.
    public var calibrationError: Double

    public var baseRate: Double { pool > 0 ? Double(positives) / Double(pool) : 0 }

    /// - Parameters:
    ///   - scores: one score per pool member.
    ///   - labels: true for a positive, same order.
    ///   - ks: the k of precision at k (those larger than the pool are left out).
    ///   - gainsSteps: points of the gains curve (100 = every percent of the pool).
    ///   - probabilities: the calibrated likelihoods behind the reliability table and the Brier
    ///     score when they differ from the ranking scores (deciles still follow the ranking).
    public init(scores: [Double], labels: [Bool], probabilities: [Double]? = nil, ks: [Int] = [10, 50, 100, 500, 1000],
                gainsSteps: Int = 100) throws {
        guard scores.count == labels.count, probabilities.map({ $0.count == scores.count }) ?? true else {
            throw ConfigurationError("scores (\(scores.count)) and labels (\(labels.count)) should have the same length")
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw ConfigurationError("score \(scores[bad]) at position \(bad) is not a finite number")
        }
        let n = scores.count
        pool = n
        positives = labels.lazy.filter { $0 }.count
        // Best first; ties in input order.
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }

        rocAUC = Self.rocAUC(scores: scores, labels: labels, order: order)
        averagePrecision = Self.averagePrecision(scores: scores, labels: labels, order: order, positives: positives)

        var found = [Int](repeating: 0, count: n + 1)   // positives among the first i
        for (i, r) in order.enumerated() { found[i + 1] = found[i] + (labels[r] ? 1 : 0) }
        let base = n > 0 ? Double(positives) / Double(n) : 0
        precisionAt = [:]
        for k in ks where k >= 1 && k <= n { precisionAt[k] = Double(found[k]) / Double(k) }
        let top10 = max(1, Int((Double(n) * 0.1).rounded(.up)))
        liftTop10 = n > 0 && base > 0 ? (Double(found[min(top10, n)]) / Double(min(top10, n))) / base : 0

        gains = []
        if n > 0 {
            gains.append(GainsPoint(contactedShare: 0, contacted: 0, positivesFound: 0, positivesShare: 0, lift: 0))
            for s in 1...max(1, gainsSteps) {
                let c = Int((Double(n) * Double(s) / Double(max(1, gainsSteps))).rounded())
                guard c > 0 else { continue }
                let f = found[c]
                gains.append(GainsPoint(contactedShare: Double(c) / Double(n), contacted: c, positivesFound: f,
                                        positivesShare: positives > 0 ? Double(f) / Double(positives) : 0,
                                        lift: base > 0 ? (Double(f) / Double(c)) / base : 0))
            }
        }

        reliability = []
        let p = probabilities ?? scores
        var brier = 0.0
        for i in 0..<n { let d = p[i] - (labels[i] ? 1 : 0); brier += d * d }
        brierScore = n > 0 ? brier / Double(n) : 0
        var ece = 0.0
        for d in 0..<10 where n > 0 {
            let lo = n * d / 10, hi = n * (d + 1) / 10
            guard hi > lo else { continue }
            var sum = 0.0, pos = 0, mn = Double.infinity, mx = -Double.infinity
            for i in lo..<hi {
                let s = p[order[i]]
                sum += s
                mn = min(mn, s)
                mx = max(mx, s)
                if labels[order[i]] { pos += 1 }
            }
            let bin = ReliabilityBin(decile: d + 1, count: hi - lo, meanScore: sum / Double(hi - lo),
                                     observedRate: Double(pos) / Double(hi - lo), minScore: mn, maxScore: mx)
            ece += Double(bin.count) / Double(n) * abs(bin.meanScore - bin.observedRate)
            reliability.append(bin)
        }
        calibrationError = ece
    }

    /// Mann–Whitney U over (positives × negatives); tied scores count one half.
    static func rocAUC(scores: [Double], labels: [Bool], order: [Int]) -> Double {
        let n = scores.count
        let pos = labels.lazy.filter { $0 }.count
        let neg = n - pos
        guard pos > 0, neg > 0 else { return .nan }
        // Walk from the lowest score up, group by equal score: every positive beats the negatives
        // below the group and ties half of the group's negatives.
        var negativesBelow = 0.0
        var u = 0.0
        var i = n - 1
        while i >= 0 {
            var j = i
            while j > 0 && scores[order[j - 1]] == scores[order[i]] { j -= 1 }
            var p = 0.0, q = 0.0
            for t in j...i { if labels[order[t]] { p += 1 } else { q += 1 } }
            u += p * (negativesBelow + q / 2)
            negativesBelow += q
            i = j - 1
        }
        return u / (Double(pos) * Double(neg))
    }

    /// Σ over distinct thresholds of (recallₙ − recallₙ₋₁) · precisionₙ (scikit-learn's definition).
    static func averagePrecision(scores: [Double], labels: [Bool], order: [Int], positives: Int) -> Double {
        guard positives > 0 else { return .nan }
        var ap = 0.0, tp = 0, seen = 0, lastRecall = 0.0
        var i = 0
        let n = order.count
        while i < n {
            var j = i
            while j < n && scores[order[j]] == scores[order[i]] {
                if labels[order[j]] { tp += 1 }
                j += 1
            }
            seen = j
            let recall = Double(tp) / Double(positives)
            ap += (recall - lastRecall) * Double(tp) / Double(seen)
            lastRecall = recall
            i = j
        }
        return ap
    }

    /// The gains curve as CSV: `contacted_share,contacted,positives_found,positives_share,lift`.
    public func gainsCSV() -> String {
        var s = "contacted_share,contacted,positives_found,positives_share,lift\n"
        for g in gains {
            s += "\(fmt(g.contactedShare, 4)),\(g.contacted),\(g.positivesFound),\(fmt(g.positivesShare, 4)),\(fmt(g.lift, 4))\n"
        }
        return s
    }

    /// The reliability table as aligned text lines.
    public func reliabilityTable() -> [String] {
        var lines = ["decile  users  score range        mean score  buyer rate"]
        for b in reliability {
            lines.append("\(pad(String(b.decile), 6))  \(pad(String(b.count), 5))  \(pad("\(fmt(b.minScore, 3))–\(fmt(b.maxScore, 3))", 17))  \(pad(fmt(b.meanScore, 3), 10))  \(pad(fmt(b.observedRate, 3), 10))")
        }
        return lines
    }
}

/// Right-aligns `s` in `width` columns.
func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
