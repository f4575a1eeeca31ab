import Foundation
import LifestyleCore

/// A word found by `WordDiscovery`, with the statistics that admitted it.
public struct DiscoveredWord: Sendable, Hashable {
    /// The word (its Unicode scalars are the run code points it was counted from).
    public var word: String
    /// Occurrences of the n-gram in the corpus (overlapping occurrences all count).
    public var count: Int
    /// Minimum over every binary split `w = a|b` of `ln(c(w)·N / (c(a)·c(b)))` (PMI in nats,
    /// N = code points in the corpus): how much more often the parts occur together than by chance.
    public var cohesion: Double
    /// Branching entropy (nats) of the left neighbours; a run boundary counts as a distinct neighbour.
    public var leftEntropy: Double
    /// Branching entropy (nats) of the right neighbours; a run boundary counts as a distinct neighbour.
    public var rightEntropy: Double
    /// Autonomy: standardised variation of branching entropy, left plus right (see
    /// `WordDiscovery.lexicon(runs:)`); positive when the n-gram's edges look like word edges.
    public var score: Double

    public init(word: String, count: Int, cohesion: Double, leftEntropy: Double, rightEntropy: Double, score: Double) {
        self.word = word
        self.count = count
        self.cohesion = cohesion
        self.leftEntropy = leftEntropy
        self.rightEntropy = rightEntropy
        self.score = score
    }

    /// `min(leftEntropy, rightEntropy)`: how freely the word combines with its context.
    public var freedom: Double { min(leftEntropy, rightEntropy) }
}

/// New-word discovery: frequent n-grams that hold together (cohesion) and occur in varied
/// contexts (freedom), found without any dictionary.
///
/// Input is the corpus as runs of code points (normalised Han runs; callers may map a class such
/// as "a digit sequence" to one private-use code point so that `1998年`-style words are learnt).
/// Every suffix of every run is truncated to `maxLength + 1` symbols and sorted (forward and,
/// for left contexts, on reversed runs, the two in parallel); one pass per length over the sorted
/// keys gives each n-gram's count and the counts of its one-symbol extensions, hence its
/// branching entropy. Cost: O(N log N) time; memory about 40 bytes per corpus code point plus
/// ~100 bytes per distinct n-gram reaching `minCount` (1.8 M characters: ~2.5 s, < 0.8 GB).
/// Results are sorted by score, then by word (code-point order), so they do not depend on
/// thread count. Defaults (maxLength 4, minCount 2, frequencyWeight 0.5, one refinement round,
/// singleCharacterPenalty 1, lengthPriorWeight 1.5, no cohesion/freedom floor for `lexicon`) were
/// tuned on the first 10 % of the PKU 1998-01 corpus (Benchmarks/segmentation/README.md).
public struct WordDiscovery: Sendable {
    /// Thresholds and limits; `init` validates them.
    public struct Configuration: Sendable, Hashable {
        /// Shortest word considered, in code points (≥ 1).
        public var minLength: Int
        /// Longest word considered (≥ minLength, ≤ 7).
        public var maxLength: Int
        /// Minimum occurrences (≥ 1).
        public var minCount: Int
        /// Minimum cohesion (PMI in nats, minimum over splits).
        public var minCohesion: Double
        /// Minimum of left and right branching entropy (nats).
        public var minFreedom: Double
        /// Keep at most this many words (best score first); 0 keeps all.
        public var maxWords: Int
        /// Code points that may only *start* a word, e.g. a placeholder for "a number": then
        /// `<number>年` can be learnt but `<number>月<number>日` cannot. Empty by default.
        public var leadingOnly: Set<UInt32> = []
        /// Weight of `ln p(word)` against `autonomy × length` when segmenting the corpus (≥ 0).
        public var frequencyWeight: Double
        /// Rounds of re-counting word usage on the corpus segmentation (≥ 0).
        public var refinementRounds: Int
        /// Cost of each one-character word when segmenting the corpus (a prior for longer words).
        public var singleCharacterPenalty: Double
        /// Weight (≥ 0) of the learnt length prior `ln P(length)` in each refinement round, where
        /// `P(length)` is the share of tokens of that length in the previous corpus segmentation
        /// (0: no length prior; it has no effect without refinement rounds).
        public var lengthPriorWeight: Double

        /// Validates the values; the message names the bad one, e.g. `minLength=0 should be >= 1`.
        public init(minLength: Int = 2, maxLength: Int = 4, minCount: Int = 2, minCohesion: Double = -.infinity,
                    minFreedom: Double = 0, maxWords: Int = 0, frequencyWeight: Double = 0.5,
                    refinementRounds: Int = 1, singleCharacterPenalty: Double = 1,
                    lengthPriorWeight: Double = 1.5, leadingOnly: Set<UInt32> = []) throws(InputError) {
            func bad(_ field: String, _ reason: String) -> InputError {
                InputError(field: field, reason: reason)
            }
            guard minLength >= 1 else { throw bad("minLength", "minLength=\(minLength) should be >= 1") }
            guard maxLength <= 7 else { throw bad("maxLength", "maxLength=\(maxLength) should be <= 7") }
            guard maxLength >= minLength else {
                throw bad("maxLength", "maxLength=\(maxLength) should be >= minLength=\(minLength)")
            }
            guard minCount >= 1 else { throw bad("minCount", "minCount=\(minCount) should be >= 1") }
            guard !minCohesion.isNaN else { throw bad("minCohesion", "minCohesion=\(minCohesion) should be a number") }
            guard minFreedom.isFinite && minFreedom >= 0 else {
                throw bad("minFreedom", "minFreedom=\(minFreedom) should be finite and >= 0")
            }
            guard maxWords >= 0 else { throw bad("maxWords", "maxWords=\(maxWords) should be >= 0") }
            guard frequencyWeight.isFinite && frequencyWeight >= 0 else {
                throw bad("frequencyWeight", "frequencyWeight=\(frequencyWeight) should be finite and >= 0")
            }
            guard refinementRounds >= 0 else {
                throw bad("refinementRounds", "refinementRounds=\(refinementRounds) should be >= 0")
            }
            guard singleCharacterPenalty.isFinite else {
                throw bad("singleCharacterPenalty", "singleCharacterPenalty=\(singleCharacterPenalty) should be finite")
            }
            guard lengthPriorWeight.isFinite && lengthPriorWeight >= 0 else {
                throw bad("lengthPriorWeight", "lengthPriorWeight=\(lengthPriorWeight) should be finite and >= 0")
            }
            self.singleCharacterPenalty = singleCharacterPenalty
            self.lengthPriorWeight = lengthPriorWeight
            self.frequencyWeight = frequencyWeight
            self.refinementRounds = refinementRounds
            self.leadingOnly = leadingOnly
            self.minLength = minLength
            self.maxLength = maxLength
            self.minCount = minCount
            self.minCohesion = minCohesion
            self.minFreedom = minFreedom
            self.maxWords = maxWords
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Discovers words in `runs` (each run a maximal stretch of segmentable code points).
    ///
    /// Every n-gram of `minLength…maxLength` symbols with at least `minCount` occurrences,
    /// cohesion ≥ `minCohesion` and freedom ≥ `minFreedom`, and autonomy (`score`) > 0, sorted by
    /// score then word. For segmentation use `lexicon(runs:)`, which also resolves overlaps.
    public func discover(runs: [[UInt32]]) -> [DiscoveredWord] {
        let c = configuration
        let stats = NGramStatistics(runs: runs, maxLength: c.maxLength, minCount: c.minCount)
        let autonomy = Autonomy(stats: stats, maxLength: c.maxLength)
        let total = Double(stats.totalSymbols)
        var out: [DiscoveredWord] = []
        for (i, g) in autonomy.keys.enumerated() {
            let len = g.length
            guard len >= c.minLength && len <= c.maxLength, stats.allowed(g, leadingOnly: c.leadingOnly),
                  let d = discovered(stats: stats, autonomy: autonomy, index: i, total: total),
                  d.cohesion >= c.minCohesion, d.freedom >= c.minFreedom, d.score > 0 else { continue }
            out.append(d)
        }
        out.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            return a.word.unicodeScalars.lexicographicallyPrecedes(b.word.unicodeScalars) { $0.value < $1.value }
        }
        if c.maxWords > 0 && out.count > c.maxWords { out.removeLast(out.count - c.maxWords) }
        return out
    }

    /// Statistics of every counted n-gram of `minLength…maxLength` symbols, unfiltered (for
    /// inspection and tests). Keyed by word.
    func statistics(runs: [[UInt32]]) -> [String: DiscoveredWord] {
        let c = configuration
        let stats = NGramStatistics(runs: runs, maxLength: c.maxLength, minCount: c.minCount)
        let autonomy = Autonomy(stats: stats, maxLength: c.maxLength)
        var out: [String: DiscoveredWord] = [:]
        for (i, g) in autonomy.keys.enumerated() where g.length >= c.minLength {
            if let d = discovered(stats: stats, autonomy: autonomy, index: i, total: Double(stats.totalSymbols)) {
                out[d.word] = d
            }
        }
        return out
    }
}
