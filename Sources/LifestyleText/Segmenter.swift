/// Maximum-probability word segmentation over a `Lexicon` (jieba's DAG + dynamic programme, no HMM).
///
/// For a run of n code points the programme fills, right to left,
/// `route[i] = max over words w = run[i..<j] of log P(w) + route[j]`, with `route[n] = 0`; a
/// position where no lexicon word starts falls back to the single character with
/// `log(unknownFrequency / total)`. Ties go to the longer word (as jieba's `max` over
/// `(logprob, end)` tuples), so the result equals `jieba.cut(s, HMM=False)` on a run of Han
/// characters with the same dictionary. Cost: O(n × average prefix chain), one hash step and one
/// probe per extension; memory: two workspace buffers of n + 1 elements, reused across calls.
public struct Segmenter: Sendable {
    /// The dictionary the segmenter scores words with.
    public let lexicon: Lexicon

    public init(lexicon: Lexicon) {
        self.lexicon = lexicon
    }

    /// Scratch buffers for `segment`, grown on demand and reused; one per thread.
    public struct Workspace: Sendable {
        var route = ContiguousArray<Double>()
        var next = ContiguousArray<Int32>()
        public init() {}
    }

    /// Appends to `ends` the exclusive end offset (relative to the run) of every word of `run`.
    ///
    /// An empty run appends nothing. Offsets count code points. No allocation once the workspace
    /// and `ends` have grown to the largest run.
    public func segment(_ run: UnsafeBufferPointer<UInt32>, into ends: inout [Int32], workspace: inout Workspace) {
        let n = run.count
        guard n > 0, let text = run.baseAddress else { return }
        if n == 1 { ends.append(1); return }
        if workspace.route.count < n + 1 {
            let size = max(n + 1, workspace.route.count * 2)
            workspace.route = ContiguousArray(repeating: 0, count: size)
            workspace.next = ContiguousArray(repeating: 0, count: size)
        }
        let lex = lexicon
        let unknown = lex.unknownLogProbability
        let maxLen = lex.maxWordLength
        workspace.route.withUnsafeMutableBufferPointer { route in
            workspace.next.withUnsafeMutableBufferPointer { next in
                lex.slots.withUnsafeBufferPointer { slots in
                    lex.records.withUnsafeBufferPointer { records in
                        lex.codePoints.withUnsafeBufferPointer { cps in
                            lex.shortEntries.withUnsafeBufferPointer { short in
                                Segmenter.fill(text: text, n: n, maxLen: maxLen, unknown: unknown, route: route,
                                               next: next, slots: slots, shift: lex.slotShift, records: records,
                                               codePoints: cps, short: short, shortMask: lex.shortMask)
                            }
                        }
                    }
                }
                var i = 0
                while i < n {
                    let j = Int(next[i])
                    ends.append(Int32(truncatingIfNeeded: j))
                    i = j
                }
            }
        }
    }

    @inline(__always)
    static func fill(text: UnsafePointer<UInt32>, n: Int, maxLen: Int, unknown: Double,
                     route: UnsafeMutableBufferPointer<Double>, next: UnsafeMutableBufferPointer<Int32>,
                     slots: UnsafeBufferPointer<UInt64>, shift: UInt64, records: UnsafeBufferPointer<Lexicon.Record>,
                     codePoints: UnsafeBufferPointer<UInt32>, short: UnsafeBufferPointer<Lexicon.ShortEntry>, shortMask: Int) {
        route[n] = 0
        var i = n - 1
        while i >= 0 {
            var h = Lexicon.hashSeed
            var best = -Double.infinity
            var bestEnd = i + 1
            var found = false
            let limit = min(n, i + maxLen)
            var j = i
            let start = text + i
            var key: UInt64 = 0
            while j < limit {
                h = Lexicon.hashStep(h, text[j])
                let lp: Double
                if j - i < 3 {
                    key = Lexicon.packStep(key, text[j], position: j - i)
                    guard let p = Lexicon.findShort(key, entries: short, mask: shortMask) else { break }
                    lp = p
                } else {
                    let r = Lexicon.find(hash: h, text: start, length: j - i + 1, slots: slots, shift: shift,
                                         records: records, codePoints: codePoints)
                    if r < 0 { break }
                    lp = records[Int(r)].logProbability
                }
                if lp > -Double.infinity {
                    found = true
                    let candidate = lp + route[j + 1]
                    if candidate >= best { best = candidate; bestEnd = j + 1 }
                }
                j += 1
            }
            if !found { best = unknown + route[i + 1]; bestEnd = i + 1 }
            route[i] = best
            next[i] = Int32(truncatingIfNeeded: bestEnd)
            i -= 1
        }
    }

    /// Segments the Unicode scalars of `text` as one run (for tests and inspection; no
    /// pre-tokenisation: callers split punctuation, numbers and Latin themselves).
    public func segment(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let cps = scalars.map(\.value)
        var ends: [Int32] = []
        var workspace = Workspace()
        cps.withUnsafeBufferPointer { segment($0, into: &ends, workspace: &workspace) }
        var out: [String] = []
        out.reserveCapacity(ends.count)
        var start = 0
        for e in ends {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[start..<Int(e)])
            out.append(String(s))
            start = Int(e)
        }
        return out
    }
}

extension Segmenter {
    /// Log-probability of the most probable segmentation of `word` that splits it (not the
    /// whole word as one piece); `-infinity` for a single character. O(length²) lookups.
    func bestSplitLogProbability(_ word: [UInt32]) -> Double {
        let n = word.count
        guard n > 1 else { return -.infinity }
        var route = [Double](repeating: -.infinity, count: n + 1)
        route[n] = 0
        word.withUnsafeBufferPointer { buf in
            let text = buf.baseAddress!
            for i in stride(from: n - 1, through: 0, by: -1) {
                var h = Lexicon.hashSeed
                var best = -Double.infinity
                var found = false
                var j = i
                while j < n {
                    h = Lexicon.hashStep(h, text[j])
                    let r = lexicon.find(hash: h, text: text + i, length: j - i + 1)
                    if r < 0 { break }
                    let lp = lexicon.records[Int(r)].logProbability
                    if lp > -.infinity && !(i == 0 && j == n - 1) {
                        found = true
                        best = max(best, lp + route[j + 1])
                    }
                    j += 1
                }
                // Single-character fallback, as in `segment` (a word starting here that is the
                // excluded whole word does not count).
                if !found { best = lexicon.unknownLogProbability + route[i + 1] }
                route[i] = best
            }
        }
        return route[0]
    }
}
