import Foundation

/// Word autonomy from the normalised variation of branching entropy (nVBE, Magistry & Sagot 2012).
///
/// For an n-gram x, the right variation `δh_r(x) = h_r(x) − h_r(x minus its last symbol)` is how
/// much the uncertainty about the next symbol *rises* at the end of x (it rises at word
/// boundaries; for one symbol the reference is the unigram entropy); the left variation is
/// symmetric. Each variation is standardised over the n-grams of the same length (subtract the
/// mean, divide by the standard deviation: longer n-grams have systematically lower entropy),
/// and `autonomy(x) = δ̃h_l(x) + δ̃h_r(x)`. O(n-grams) given `NGramStatistics`.
struct Autonomy {
    /// Autonomy per n-gram, by `NGramStatistics` index (NaN where a sub-n-gram is missing).
    var values: [Double]
    /// The n-gram of each index.
    var keys: [NGram]

    init(stats: NGramStatistics, maxLength: Int) {
        let m = stats.counts.count
        var keys = [NGram](repeating: NGram(hi: 0, lo: 0), count: m)
        for (g, i) in stats.index { keys[Int(i)] = g }
        self.keys = keys
        var total = 0.0, sum = 0.0
        for (i, g) in keys.enumerated() where g.length == 1 {
            let c = Double(stats.counts[i]); total += c; sum += c * log(c)
        }
        let emptyEntropy = total > 0 ? log(total) - sum / total : 0
        var dr = [Double](repeating: .nan, count: m), dl = dr
        var meanR = [Double](repeating: 0, count: maxLength + 2), meanL = meanR, n = meanR
        for (i, g) in keys.enumerated() {
            let len = g.length
            let pr = len == 1 ? emptyEntropy : stats.index[g.prefix(len - 1)].map { stats.rightEntropy[Int($0)] }
            let pl = len == 1 ? emptyEntropy : stats.leftEntropies[g.dropFirst(1)]
            guard let pr, let pl else { continue }
            dr[i] = stats.rightEntropy[i] - pr
            dl[i] = stats.leftEntropy(of: g) - pl
            meanR[len] += dr[i]; meanL[len] += dl[i]; n[len] += 1
        }
        for len in n.indices where n[len] > 0 { meanR[len] /= n[len]; meanL[len] /= n[len] }
        var sdR = [Double](repeating: 0, count: maxLength + 2), sdL = sdR
        for (i, g) in keys.enumerated() where !dr[i].isNaN {
            let len = g.length
            sdR[len] += (dr[i] - meanR[len]) * (dr[i] - meanR[len])
            sdL[len] += (dl[i] - meanL[len]) * (dl[i] - meanL[len])
        }
        for len in n.indices {
            let r = n[len] > 1 ? (sdR[len] / n[len]).squareRoot() : 0
            let l = n[len] > 1 ? (sdL[len] / n[len]).squareRoot() : 0
            sdR[len] = r > 0 ? r : 1
            sdL[len] = l > 0 ? l : 1
        }
        values = [Double](repeating: .nan, count: m)
        for (i, g) in keys.enumerated() where !dr[i].isNaN {
            let len = g.length
            values[i] = (dr[i] - meanR[len]) / sdR[len] + (dl[i] - meanL[len]) / sdL[len]
        }
    }
}

extension WordDiscovery {
    /// Dictionary-free lexicon for segmentation: autonomy segmentation of the corpus, word counts.
    ///
    /// 1. n-gram statistics up to `maxLength` symbols (count ≥ `minCount`) and their autonomy;
    /// 2. segment every run maximising `Σ_w [autonomy(w) × length(w) + frequencyWeight × ln p(w)]
    ///    − singleCharacterPenalty × (number of one-character words)`, where `p(w)` is the
    ///    n-gram's relative count (a product of experts: autonomy alone over-splits frequent
    ///    words, probability alone merges collocations; the penalty is a prior for longer words);
    /// 3. `refinementRounds` times: recount how often each word is used on those best paths and
    ///    use that (add-½ smoothed) for `p(w)` instead of the raw n-gram count, which over-counts
    ///    substrings of longer words; add a length prior `lengthPriorWeight × ln P(length(w))`,
    ///    `P` = the share of tokens of each length on those paths (learnt from the corpus: words
    ///    of 3–4 characters are rare, so the autonomy × length reward no longer over-merges them);
    ///    segment again;
    /// 4. the result: every single character (its usage, ≥ 1) plus every multi-character word
    ///    used at least `minCount` times that passes `minCohesion` and `minFreedom`, with
    ///    `frequency` = usage, so the maximum-probability `Segmenter` reproduces the segmentation.
    /// 5. optionally `rounds` of plain Viterbi re-estimation (`reestimate`) on that lexicon.
    /// Words carry their `DiscoveredWord` statistics. Deterministic for any `threads`.
    /// Cost: statistics O(N log N), each round O(N × maxLength).
    public func lexicon(runs: [[UInt32]], rounds: Int = 0, threads: Int = 2) -> Lexicon {
        let c = configuration
        let stats = NGramStatistics(runs: runs, maxLength: c.maxLength, minCount: c.minCount)
        let autonomy = Autonomy(stats: stats, maxLength: c.maxLength)
        let total = Double(stats.totalSymbols)
        var builder = Lexicon.Builder()
        var base: [Double] = []
        var rawLog: [Double] = []
        var statIndex: [Int] = []
        for (i, g) in autonomy.keys.enumerated()
        where !autonomy.values[i].isNaN && stats.allowed(g, leadingOnly: c.leadingOnly) {
            let cps = (0..<g.length).map { stats.codePointOf[Int(g.symbol($0))] }
            builder.add(word: stats.string(g), scalars: cps, frequency: 1, tag: "", discovery: nil)
            base.append(autonomy.values[i] * Double(g.length) - (g.length == 1 ? c.singleCharacterPenalty : 0))
            rawLog.append(log(Double(stats.counts[i]) / total))
            statIndex.append(i)
        }
        var weights = zip(base, rawLog).map { $0 + c.frequencyWeight * $1 }
        var weighted = Lexicon(builder: builder, unknownFrequency: 1, logWeights: weights, unknownLogWeight: 0)
        var usage = WordDiscovery.wordUsage(weighted, runs: runs, threads: threads)
        let lengths = statIndex.map { autonomy.keys[$0].length }
        for _ in 0..<c.refinementRounds {
            let used = usage.reduce(0, +)
            // Length prior: log-share of each word length among the tokens of the last segmentation.
            var perLength = [Double](repeating: 0, count: c.maxLength + 1)
            for w in usage.indices { perLength[lengths[w]] += usage[w] }
            let prior = perLength.map { c.lengthPriorWeight * log(($0 + 0.5) / max(used, 1)) }
            weights = base.indices.map {
                base[$0] + c.frequencyWeight * log((usage[$0] + 0.5) / used) + prior[lengths[$0]]
            }
            weighted = Lexicon(builder: builder, unknownFrequency: 1, logWeights: weights, unknownLogWeight: 0)
            usage = WordDiscovery.wordUsage(weighted, runs: runs, threads: threads)
        }
        var out = Lexicon.Builder()
        for (cp, count) in WordDiscovery.characterCounts(runs: runs) {
            guard let u = Unicode.Scalar(cp) else { continue }
            let used = weighted.index(of: String(Character(u))).map { usage[$0] } ?? 0
            out.add(word: String(Character(u)), scalars: [cp], frequency: max(used, min(1, Double(count))), tag: "",
                    discovery: nil)
        }
        for w in 0..<weighted.count where usage[w] >= Double(c.minCount) {
            let i = statIndex[w]
            guard autonomy.keys[i].length >= max(2, c.minLength),
                  let d = discovered(stats: stats, autonomy: autonomy, index: i, total: total),
                  d.cohesion >= c.minCohesion, d.freedom >= c.minFreedom else { continue }
            out.add(word: weighted.words[w], scalars: weighted.codePoints(ofWordAt: w), frequency: usage[w],
                    tag: "", discovery: d)
        }
        let lexicon = Lexicon(builder: out, unknownFrequency: 0.5)
        return WordDiscovery.reestimate(lexicon, runs: runs, rounds: rounds, minFrequency: Double(c.minCount),
                                        threads: threads)
    }

    /// Statistics of n-gram `index` (nil when a sub-n-gram fell under `minCount`, impossible
    /// for counted n-grams, or when its autonomy is undefined).
    func discovered(stats: NGramStatistics, autonomy: Autonomy, index i: Int, total: Double) -> DiscoveredWord? {
        let g = autonomy.keys[i]
        let len = g.length
        let count = Double(stats.counts[i])
        var cohesion = Double.infinity
        for s in 1..<max(1, len) {
            guard let a = stats.index[g.prefix(s)], let b = stats.index[g.dropFirst(s)] else { return nil }
            cohesion = min(cohesion, log(count * total / (Double(stats.counts[Int(a)]) * Double(stats.counts[Int(b)]))))
        }
        guard !autonomy.values[i].isNaN else { return nil }
        return DiscoveredWord(word: stats.string(g), count: stats.counts[i], cohesion: cohesion,
                              leftEntropy: stats.leftEntropy(of: g), rightEntropy: stats.rightEntropy[i],
                              score: autonomy.values[i])
    }
}
