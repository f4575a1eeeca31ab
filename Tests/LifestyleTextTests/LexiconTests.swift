import Foundation
import LifestyleCore
import Testing
@testable import LifestyleText

@Suite struct LexiconTests {
    @Test func parsesJiebaLinesWithOptionalFrequencyAndTag() throws {
        let entries = try Lexicon.parseJieba("\u{FEFF}中国 100 ns\n\n人民 50\n云计算\n深度学习 n\n", file: "user.txt")
        #expect(entries.map(\.word) == ["中国", "人民", "云计算", "深度学习"])
        #expect(entries.map(\.frequency) == [100, 50, nil, nil])
        #expect(entries.map(\.tag) == ["ns", nil, nil, "n"])
    }

    @Test func jiebaErrorsNameFileAndLine() {
        func failure(_ text: String, requireFrequency: Bool = false) -> String? {
            do {
                _ = try Lexicon.parseJieba(text, file: "dict.txt", requireFrequency: requireFrequency)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(failure("中国 100 ns\n人民 12x n\n") == "dict.txt:2: frequency: '12x' is not a non-negative integer")
        #expect(failure("中国 100\n\n 5 n\n") == "dict.txt:3: word: empty word (line starts with a blank)")
        #expect(failure("中国 -5\n") == "dict.txt:1: frequency: '-5' is not a non-negative integer")
        #expect(failure("a b c d\n")?.hasPrefix("dict.txt:1: line:") == true)
        #expect(failure("中国\n", requireFrequency: true) == "dict.txt:1: frequency: missing (expected `word freq [tag]`)")
    }

    @Test func loadsJiebaFileAndReportsPathAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lexicon-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("dict.txt").path
        try "中国 100 ns\n人民 50 n\n".write(toFile: good, atomically: false, encoding: .utf8)
        let lex = try Lexicon.jieba(contentsOfFile: good)
        #expect(lex.count == 2 && lex.totalFrequency == 150 && lex.tags[0] == "ns")
        let bad = dir.appendingPathComponent("bad.txt").path
        try "中国 100 ns\n人民 n\n".write(toFile: bad, atomically: false, encoding: .utf8)
        #expect(throws: InputError.self) { try Lexicon.jieba(contentsOfFile: bad) }
        do { _ = try Lexicon.jieba(contentsOfFile: bad) } catch {
            #expect("\(error)".hasPrefix("\(bad):2: frequency:"))
        }
        #expect(throws: InputError.self) { try Lexicon.jieba(contentsOfFile: dir.appendingPathComponent("none").path) }
    }

    @Test func lookupDistinguishesWordsFromPrefixes() {
        let lex = Lexicon(entries: [.init(word: "中华人民", frequency: 3), .init(word: "中", frequency: 7),
                                    .init(word: "中", frequency: 9)])
        #expect(lex.count == 2)
        #expect(lex.frequency(of: "中") == 9)
        #expect(lex.frequency(of: "中华") == nil)
        #expect(lex.frequency(of: "中华人民") == 3)
        #expect(lex.totalFrequency == 12)
        #expect(lex.maxWordLength == 4)
        #expect(lex.codePoints(ofWordAt: 0) == "中华人民".unicodeScalars.map(\.value))
    }

    @Test func userWordWinsOverAStrongSplit() {
        let base = Lexicon(entries: [.init(word: "南京", frequency: 5000), .init(word: "市长", frequency: 4000),
                                     .init(word: "江大桥", frequency: 3000), .init(word: "长江", frequency: 100)])
        for freq in [nil, 1.0] as [Double?] {
            let merged = base.merging(user: [.init(word: "南京市长江大桥", frequency: freq)])
            #expect(Segmenter(lexicon: merged).segment("南京市长江大桥") == ["南京市长江大桥"])
        }
        // A frequency that already wins is kept.
        let high = base.merging(user: [.init(word: "南京市", frequency: 1e9)])
        #expect(high.frequency(of: "南京市") == 1e9)
    }

    @Test func everyRandomUserWordWins() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("甲乙丙丁戊").map { String($0) }
        for _ in 0..<50 {
            var entries: [Lexicon.Entry] = []
            for _ in 0..<20 {
                let len = Int(rng.next() % 3) + 1
                let w = (0..<len).map { _ in alphabet[Int(rng.next() % 5)] }.joined()
                entries.append(.init(word: w, frequency: Double(rng.next() % 1000 + 1)))
            }
            var user: [Lexicon.Entry] = []
            for _ in 0..<3 {
                let len = Int(rng.next() % 4) + 2
                let w = (0..<len).map { _ in alphabet[Int(rng.next() % 5)] }.joined()
                user.append(.init(word: w, frequency: rng.next() % 2 == 0 ? nil : 1))
            }
            let merged = Lexicon(entries: entries).merging(user: user)
            let segmenter = Segmenter(lexicon: merged)
            for u in user { #expect(segmenter.segment(u.word) == [u.word], "\(u.word)") }
        }
    }

    @Test func tsvRoundTripsDiscoveryStatistics() throws {
        let d = DiscoveredWord(word: "新词", count: 12, cohesion: 3.25, leftEntropy: 1.5, rightEntropy: 0.1 + 0.2,
                               score: -0.75)
        let lex = Lexicon(entries: [.init(word: "新", frequency: 40), .init(word: "新词", frequency: 11.5, discovery: d)])
        let text = lex.tsv()
        #expect(text.hasPrefix("word\tcount\tcohesion\tleft_entropy\tright_entropy\tscore"))
        let back = try Lexicon(tsv: text, file: "lex.tsv")
        #expect(back.entries == lex.entries)
        #expect(throws: InputError.self) { try Lexicon(tsv: "word\tcount\nx\tmany\n", file: "lex.tsv") }
        do {
            _ = try Lexicon(tsv: "word\tcount\nx\tmany\n", file: "lex.tsv")
        } catch {
            #expect("\(error)" == "lex.tsv:2: count: 'many' is not a number")
        }
    }
}
