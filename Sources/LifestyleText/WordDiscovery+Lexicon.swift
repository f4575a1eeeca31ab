import Dispatch

extension Lexicon {
    /// A lexicon of discovered words (frequency = count) plus every single character of the
    /// corpus (frequency = its count), the fallback the segmenter needs between words.
    ///
    /// `unknownFrequency` prices characters never seen in the corpus (default 0.5: rarer than
    /// any seen character). O(words + characters).
    public init(discovered: [DiscoveredWord], characterCounts: [(codePoint: UInt32, count: Int)],
                unknownFrequency: Double = 0.5) {
        var builder = Builder()
        for (cp, count) in characterCounts {
            guard let u = Unicode.Scalar(cp) else { continue }
            builder.add(word: String(Character(u)), scalars: [cp], frequency: Double(count), tag: "", discovery: nil)
        }
        for w in discovered where !w.word.isEmpty {
            builder.add(word: w.word, scalars: w.word.unicodeScalars.map(\.value), frequency: Double(w.count),
                        tag: "", discovery: w)
        }
        self.init(builder: builder, unknownFrequency: unknownFrequency)
    }
}

extension WordDiscovery {
    /// Occurrences of every code point in `runs`, sorted by code point. O(N).
    public static func characterCounts(runs: [[UInt32]]) -> [(codePoint: UInt32, count: Int)] {
        var freq: [UInt32: Int] = [:]
        for run in runs { for cp in run { freq[cp, default: 0] += 1 } }
        return freq.sorted { $0.key < $1.key }.map { (codePoint: $0.key, count: $0.value) }
    }

    /// Viterbi re-estimation (hard EM): segments `runs` with the lexicon, sets every word's
    /// frequency to how often the best paths used it, drops multi-character words used fewer
    /// than `minFrequency` times, and repeats `rounds` times.
    ///
    /// Raw n-gram counts over-count words that are mostly parts of longer words (中华人民 inside
    /// 中华人民共和国) and words that overlap better ones; counts from segmented text do not.
    /// Single characters are kept with frequency ≥ 1 so that every character stays available.
    /// Work is split over `threads` contiguous chunks of runs; counts are integers, so the
    /// result does not depend on the thread count. O(rounds × N × mean prefix chain).
    public static func reestimate(_ lexicon: Lexicon, runs: [[UInt32]], rounds: Int, minFrequency: Double = 1,
                                  threads: Int = 2) -> Lexicon {
        var current = lexicon
        for _ in 0..<max(0, rounds) {
            let usage = wordUsage(current, runs: runs, threads: threads)
            var builder = Lexicon.Builder()
            for w in 0..<current.count {
                let cps = current.codePoints(ofWordAt: w)
                let used = usage[w]
                if cps.count == 1 {
                    builder.add(word: current.words[w], scalars: cps, frequency: max(used, 1), tag: current.tags[w],
                                discovery: nil)
                } else if used >= minFrequency {
                    builder.add(word: current.words[w], scalars: cps, frequency: used, tag: current.tags[w],
                                discovery: current.discoveries.isEmpty ? nil : current.discoveries[w])
                }
            }
            current = Lexicon(builder: builder, unknownFrequency: current.unknownFrequency)
        }
        return current
    }

    /// How many times each word of `lexicon` is on the best path of the runs.
    static func wordUsage(_ lexicon: Lexicon, runs: [[UInt32]], threads: Int) -> [Double] {
        let chunks = max(1, min(threads, runs.count))
        final class Box: @unchecked Sendable { var parts: [[Double]] = [] }
        let box = Box()
        box.parts = Array(repeating: [], count: chunks)
        let segmenter = Segmenter(lexicon: lexicon)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = runs.count * c / chunks, hi = runs.count * (c + 1) / chunks
            var usage = [Double](repeating: 0, count: lexicon.count)
            var ends: [Int32] = []
            var workspace = Segmenter.Workspace()
            for r in lo..<hi {
                runs[r].withUnsafeBufferPointer { buf in
                    ends.removeAll(keepingCapacity: true)
                    segmenter.segment(buf, into: &ends, workspace: &workspace)
                    var start = 0
                    for e in ends {
                        let end = Int(e)
                        var h = Lexicon.hashSeed
                        for k in start..<end { h = Lexicon.hashStep(h, buf[k]) }
                        let rec = lexicon.find(hash: h, text: buf.baseAddress! + start, length: end - start)
                        if rec >= 0, case let w = lexicon.records[Int(rec)].word, w >= 0 { usage[Int(w)] += 1 }
                        start = end
                    }
                }
            }
            box.parts[c] = usage
        }
        var total = [Double](repeating: 0, count: lexicon.count)
        for part in box.parts { for i in part.indices { total[i] += part[i] } }
        return total
    }
}
