import Foundation
import Testing
@testable import LifestyleText

@Suite struct SegmenterTests {
    func ends(_ segmenter: Segmenter, _ run: [UInt32]) -> [Int32] {
        var out: [Int32] = []
        var ws = Segmenter.Workspace()
        run.withUnsafeBufferPointer { segmenter.segment($0, into: &out, workspace: &ws) }
        return out
    }

    @Test func edgeCases() {
        let seg = Segmenter(lexicon: Lexicon(entries: [.init(word: "研究", frequency: 10), .init(word: "生命", frequency: 10),
                                                       .init(word: "研究生", frequency: 5), .init(word: "命", frequency: 1)]))
        #expect(ends(seg, []).isEmpty)
        #expect(Segmenter(lexicon: Lexicon(entries: [])).segment("一二三") == ["一", "二", "三"])
        #expect(seg.segment("") == [])
        #expect(seg.segment("研") == ["研"])
        #expect(seg.segment("研究生命起源") == ["研究", "生命", "起", "源"])
        #expect(seg.segment("起源起源起源起源") == Array(repeating: ["起", "源"], count: 4).flatMap { $0 })
        // Appends: earlier content of `ends` is kept.
        var out: [Int32] = [99]
        var ws = Segmenter.Workspace()
        [UInt32](arrayLiteral: 0x7814, 0x7A76).withUnsafeBufferPointer { seg.segment($0, into: &out, workspace: &ws) }
        #expect(out == [99, 2])
    }

    @Test func tiesGoToTheLongerWordLikeJieba() {
        // P(ab) = P(a)·P(b)·total ⇒ equal log-probabilities up to rounding; use exact powers of 2.
        let lex = Lexicon(entries: [.init(word: "ab", frequency: 2), .init(word: "a", frequency: 8),
                                    .init(word: "b", frequency: 4), .init(word: "c", frequency: 2)])
        #expect(lex.totalFrequency == 16)
        #expect(Segmenter(lexicon: lex).segment("ab") == ["ab"])
    }

    /// Brute force over every segmentation, with the segmenter's rules: at a position where a
    /// lexicon word starts only words may be taken; elsewhere the single unknown character.
    func bruteForceBest(_ lex: Lexicon, _ text: [Character]) -> Double {
        let total = lex.totalFrequency
        func best(_ i: Int) -> Double {
            if i == text.count { return 0 }
            var result = -Double.infinity
            var any = false
            for j in (i + 1)...text.count {
                if let f = lex.frequency(of: String(text[i..<j])), f > 0 {
                    any = true
                    result = max(result, log(f / total) + best(j))
                }
            }
            return any ? result : log(lex.unknownFrequency / total) + best(i + 1)
        }
        return best(0)
    }

    @Test func maximumProbabilityPathMatchesBruteForce() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [Character] = ["a", "b", "c", "d"]
        for _ in 0..<200 {
            var entries: [Lexicon.Entry] = []
            for _ in 0..<Int(rng.next() % 10 + 1) {
                let len = Int(rng.next() % 3) + 1
                entries.append(.init(word: String((0..<len).map { _ in alphabet[Int(rng.next() % 4)] }),
                                     frequency: Double(rng.next() % 50)))
            }
            let lex = Lexicon(entries: entries)
            let text = (0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % 4)] }
            let words = Segmenter(lexicon: lex).segment(String(text))
            #expect(words.joined() == String(text))
            var score = 0.0
            for w in words {
                let f = lex.frequency(of: w).flatMap { $0 > 0 ? $0 : nil } ?? lex.unknownFrequency
                score += log(f / lex.totalFrequency)
            }
            let expected = bruteForceBest(lex, text)
            #expect(abs(score - expected) < 1e-9, "\(text) → \(words)")
        }
    }

    @Test func longRunIsSegmentedInBoundedTime() {
        let lex = Lexicon(entries: [.init(word: "你好", frequency: 10), .init(word: "世界", frequency: 10),
                                    .init(word: "好世", frequency: 1)])
        let run = [UInt32](repeating: 0, count: 100_000).enumerated().map { i, _ in
            Array("你好世界".unicodeScalars)[i % 4].value
        }
        let start = Date()
        let out = ends(Segmenter(lexicon: lex), run)
        #expect(out.count == 50_000)
        #expect(out.last == 100_000)
        #expect(Date().timeIntervalSince(start) < 2)
    }
}
