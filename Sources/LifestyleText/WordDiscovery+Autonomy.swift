import Foundation

/// Word autonomy from normalised variation of branching entropy (nVBE, Magistry & Sagot 2012).
///
/// For an n-gram x, the right variation `δh_r(x) = h_r(x) − h_r(x without its last symbol)` is
/// how much the uncertainty about the next symbol *rises* at the end of x (it rises at word
/// boundaries); the left variation is symmetric. Each variation is normalised by subtracting
/// its mean over all n-grams of the same length (long n-grams have systematically lower
/// entropy), and `autonomy(x) = δ̃h_l(x) + δ̃h_r(x)`. Segmenting a run to maximise
/// `Σ autonomy(w) × length(w)` over its words gives a dictionary-free segmentation; counting its
/// words gives the frequencies of a probabilistic lexicon.
struct Autonomy {
    nonisolated(unsafe) static var minPMI = Double(String(cString: getenv("SEG_PMI") ?? strdup("-1e10"))) ?? -1e10
    nonisolated(unsafe) static var standardise = getenv("SEG_STD") != nil
    nonisolated(unsafe) static var alpha = Double(String(cString: getenv("SEG_ALPHA") ?? strdup("0"))) ?? 0
    nonisolated(unsafe) static var beta = Double(String(cString: getenv("SEG_BETA") ?? strdup("0"))) ?? 0
    nonisolated(unsafe) static var tokenMean = getenv("SEG_TOKEN_MEAN") != nil
    /// Autonomy × length per n-gram (count ≥ minCount), by NGramStatistics index.
    var weights: [Double]
    var stats: NGramStatistics

    init(stats: NGramStatistics, maxLength: Int) {
        self.stats = stats
        let m = stats.counts.count
        var keys = [NGram](repeating: NGram(hi: 0, lo: 0), count: m)
        for (g, i) in stats.index { keys[Int(i)] = g }
        // Entropy of the empty context: the unigram distribution (boundaries excluded).
        var total = 0.0, sum = 0.0
        for (i, g) in keys.enumerated() where g.length == 1 {
            let c = Double(stats.counts[i]); total += c; sum += c * log(c)
        }
        let emptyEntropy = total > 0 ? log(total) - sum / total : 0
        var dr = [Double](repeating: .nan, count: m), dl = dr
        var meanR = [Double](repeating: 0, count: maxLength + 2), meanL = meanR
        var n = [Double](repeating: 0, count: maxLength + 2)
        for (i, g) in keys.enumerated() {
            let len = g.length
            let hr = stats.rightEntropy[i], hl = stats.leftEntropy(of: g)
            let pr = len == 1 ? emptyEntropy : stats.index[g.prefix(len - 1)].map { stats.rightEntropy[Int($0)] }
            let pl = len == 1 ? emptyEntropy : stats.leftEntropies[g.dropFirst(1)]
            guard let pr, let pl else { continue }
            dr[i] = hr - pr; dl[i] = hl - pl
            let wgt = Autonomy.tokenMean ? Double(stats.counts[i]) : 1
            meanR[len] += wgt * dr[i]; meanL[len] += wgt * dl[i]; n[len] += wgt
        }
        for len in n.indices where n[len] > 0 { meanR[len] /= n[len]; meanL[len] /= n[len] }
        var sdR = [Double](repeating: 0, count: maxLength + 2), sdL = sdR
        for (i, g) in keys.enumerated() where !dr[i].isNaN {
            let len = g.length
            sdR[len] += (dr[i] - meanR[len]) * (dr[i] - meanR[len]); sdL[len] += (dl[i] - meanL[len]) * (dl[i] - meanL[len])
        }
        for len in n.indices {
            sdR[len] = Autonomy.standardise && n[len] > 1 ? (sdR[len] / n[len]).squareRoot() : 1
            sdL[len] = Autonomy.standardise && n[len] > 1 ? (sdL[len] / n[len]).squareRoot() : 1
        }
        weights = [Double](repeating: -.infinity, count: m)
        for (i, g) in keys.enumerated() where !dr[i].isNaN {
            let len = g.length
            if len > 1 && Autonomy.minPMI > -1e9 {
                var coh = Double.infinity
                for s in 1..<len {
                    guard let a = stats.index[g.prefix(s)], let b = stats.index[g.dropFirst(s)] else { continue }
                    coh = min(coh, log(Double(stats.counts[i]) * total / (Double(stats.counts[Int(a)]) * Double(stats.counts[Int(b)]))))
                }
                if coh < Autonomy.minPMI { continue }
            }
            weights[i] = ((dr[i] - meanR[len]) / sdR[len] + (dl[i] - meanL[len]) / sdL[len]) * Double(len)
                + Autonomy.alpha * log(Double(stats.counts[i]) / total) + Autonomy.beta
        }
    }
}

extension WordDiscovery {
    /// Dictionary-free lexicon: autonomy segmentation of the corpus, then word counts.
    ///
    /// 1. n-gram statistics up to `maxLength` (count ≥ `minCount`), 2. autonomy (nVBE) of each,
    /// 3. segment every run maximising `Σ autonomy × length`, 4. a probabilistic lexicon whose
    /// frequencies are how often each word was used there: multi-character words used at least
    /// `minCount` times that also pass `minCohesion` and `minFreedom`, plus every single
    /// character (frequency ≥ 1), 5. `rounds` of `reestimate` on it. Multi-character words carry
    /// their `DiscoveredWord` statistics (score = autonomy). Deterministic for any thread count.
    public func lexicon(runs: [[UInt32]], rounds: Int = 0, threads: Int = 2) -> Lexicon {
        let c = configuration
        let stats = NGramStatistics(runs: runs, maxLength: c.maxLength, minCount: c.minCount)
        let autonomy = Autonomy(stats: stats, maxLength: c.maxLength)
        // Weight lexicon in NGramStatistics index order.
        var keys = [NGram](repeating: NGram(hi: 0, lo: 0), count: stats.counts.count)
        for (g, i) in stats.index { keys[Int(i)] = g }
        var builder = Lexicon.Builder()
        var weights: [Double] = []
        var keyOfWord: [NGram] = []
        for (i, g) in keys.enumerated() where autonomy.weights[i].isFinite && stats.allowed(g, leadingOnly: c.leadingOnly) {
            let cps = (0..<g.length).map { stats.codePointOf[Int(g.symbol($0))] }
            builder.add(word: stats.string(g), scalars: cps, frequency: 1, tag: "", discovery: nil)
            weights.append(autonomy.weights[i])
            keyOfWord.append(g)
        }
        let weighted = Lexicon(builder: builder, unknownFrequency: 1, logWeights: weights, unknownLogWeight: 0)
        let usage = WordDiscovery.wordUsage(weighted, runs: runs, threads: threads)
        var out = Lexicon.Builder()
        for (cp, count) in WordDiscovery.characterCounts(runs: runs) {
            guard let u = Unicode.Scalar(cp) else { continue }
            let w = weighted.index(of: String(Character(u))).map { usage[$0] } ?? 0
            out.add(word: String(Character(u)), scalars: [cp], frequency: max(w, min(1, Double(count))), tag: "",
                    discovery: nil)
        }
        let n = Double(stats.totalSymbols)
        for w in 0..<weighted.count where usage[w] >= Double(c.minCount) {
            let g = keyOfWord[w]
            let len = g.length
            guard len >= max(2, c.minLength) else { continue }
            let i = Int(stats.index[g]!)
            var cohesion = Double.infinity
            for s in 1..<len {
                guard let a = stats.index[g.prefix(s)], let b = stats.index[g.dropFirst(s)] else { continue }
                cohesion = min(cohesion, log(Double(stats.counts[i]) * n
                    / (Double(stats.counts[Int(a)]) * Double(stats.counts[Int(b)]))))
            }
            let left = stats.leftEntropy(of: g), right = stats.rightEntropy[i]
            guard cohesion >= c.minCohesion, min(left, right) >= c.minFreedom else { continue }
            let d = DiscoveredWord(word: weighted.words[w], count: stats.counts[i], cohesion: cohesion,
                                   leftEntropy: left, rightEntropy: right, score: weights[w] / Double(len))
            out.add(word: weighted.words[w], scalars: weighted.codePoints(ofWordAt: w), frequency: usage[w],
                    tag: "", discovery: d)
        }
        let lexicon = Lexicon(builder: out, unknownFrequency: 0.5)
        return WordDiscovery.reestimate(lexicon, runs: runs, rounds: rounds, minFrequency: Double(c.minCount),
                                        threads: threads)
    }

    /// The autonomy-weighted lexicon itself (weights instead of log-probabilities), for
    /// inspection and for segmenting directly by `Σ autonomy × length`.
    public func autonomyLexicon(runs: [[UInt32]]) -> Lexicon {
        let c = configuration
        let stats = NGramStatistics(runs: runs, maxLength: c.maxLength, minCount: c.minCount)
        let autonomy = Autonomy(stats: stats, maxLength: c.maxLength)
        var builder = Lexicon.Builder()
        var weights: [Double] = []
        for (g, i) in stats.index.sorted(by: { $0.value < $1.value })
        where autonomy.weights[Int(i)].isFinite && stats.allowed(g, leadingOnly: c.leadingOnly) {
            let cps = (0..<g.length).map { stats.codePointOf[Int(g.symbol($0))] }
            builder.add(word: stats.string(g), scalars: cps, frequency: 1, tag: "", discovery: nil)
            weights.append(autonomy.weights[Int(i)])
        }
        return Lexicon(builder: builder, unknownFrequency: 1, logWeights: weights, unknownLogWeight: 0)
    }
}
