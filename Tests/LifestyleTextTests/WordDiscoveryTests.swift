import Foundation
import LifestyleCore
import Testing
@testable import LifestyleText

@Suite struct WordDiscoveryTests {
    func runs(_ texts: [String]) -> [[UInt32]] { texts.map { $0.unicodeScalars.map(\.value) } }

    @Test func configurationNamesTheBadValue() {
        func message(_ make: () throws -> WordDiscovery.Configuration) -> String? {
            do { _ = try make(); return nil } catch { return "\(error)" }
        }
        #expect(message { try .init(minLength: 0) } == "minLength: minLength=0 should be >= 1")
        #expect(message { try .init(minLength: 3, maxLength: 2) } == "maxLength: maxLength=2 should be >= minLength=3")
        #expect(message { try .init(maxLength: 9) } == "maxLength: maxLength=9 should be <= 7")
        #expect(message { try .init(minCount: 0) } == "minCount: minCount=0 should be >= 1")
        #expect(message { try .init(minFreedom: -1) } == "minFreedom: minFreedom=-1.0 should be finite and >= 0")
        #expect(message { try .init(lengthPriorWeight: -1) }
            == "lengthPriorWeight: lengthPriorWeight=-1.0 should be finite and >= 0")
        #expect(message { try .init(lengthPriorWeight: .infinity) }
            == "lengthPriorWeight: lengthPriorWeight=inf should be finite and >= 0")
        #expect(message { try .init() } == nil)
    }

    @Test func handComputedCohesionAndEntropy() throws {
        // a b | a b | c a b : N = 7, c(ab) = 3, c(a) = 3, c(b) = 3.
        let config = try WordDiscovery.Configuration(minLength: 2, maxLength: 2, minCount: 1)
        let ab = try #require(WordDiscovery(configuration: config).statistics(runs: runs(["ab", "ab", "cab"]))["ab"])
        #expect(ab.count == 3)
        #expect(abs(ab.cohesion - log(3.0 * 7 / (3 * 3))) < 1e-12)
        // Right: three run ends = three distinct neighbours. Left: two run starts and one "c".
        #expect(abs(ab.rightEntropy - log(3.0)) < 1e-12)
        #expect(abs(ab.leftEntropy - log(3.0)) < 1e-12)
        // "ca": once, right neighbour b, left a run start.
        let statsOnly = try WordDiscovery.Configuration(minLength: 2, maxLength: 3, minCount: 1)
        let all = WordDiscovery(configuration: statsOnly).statistics(runs: runs(["abab", "abc"]))
        // "ab" twice in run 1 (right neighbours a, end) and once in run 2 (right neighbour c).
        #expect(abs(all["ab"]!.rightEntropy - log(3.0)) < 1e-12)
        // Left neighbours of "ab": start, b, start → {start, start, b}: boundaries are distinct.
        #expect(abs(all["ab"]!.leftEntropy - log(3.0)) < 1e-12)
        // "ba" once: left a, right b → entropy 0 on both sides.
        #expect(all["ba"]!.leftEntropy == 0 && all["ba"]!.rightEntropy == 0)
    }

    /// Random filler text with a planted word and a frequent non-word fragment.
    func plantedCorpus(seed: UInt64) -> [[UInt32]] {
        var rng = SplitMix64(seed: seed)
        let filler = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质再")
        var out: [[UInt32]] = []
        for _ in 0..<400 {
            var s: [Character] = []
            for _ in 0..<Int(rng.next() % 6 + 2) {
                for _ in 0..<Int(rng.next() % 4) { s.append(filler[Int(rng.next() % UInt64(filler.count))]) }
                if rng.next() % 2 == 0 { s += Array("鹦鹉螺") }
                // "琥珀" only ever occurs inside "琥珀酸钠": frequent, but no right freedom.
                if rng.next() % 3 == 0 { s += Array("琥珀酸钠") }
            }
            out.append(String(s).unicodeScalars.map(\.value))
        }
        return out
    }

    @Test func findsAPlantedWordAndRejectsAFragment() throws {
        let config = try WordDiscovery.Configuration(minLength: 2, maxLength: 4, minCount: 5, minCohesion: 1,
                                                     minFreedom: 1)
        let words = WordDiscovery(configuration: config).discover(runs: plantedCorpus(seed: 3))
        let found = Set(words.map(\.word))
        #expect(found.contains("鹦鹉螺"))
        #expect(found.contains("琥珀酸钠"))
        #expect(!found.contains("琥珀"))
        #expect(!found.contains("鹦鹉"))
        // Sorted by score, ties by word: deterministic.
        #expect(words == words.sorted { $0.score != $1.score ? $0.score > $1.score : $0.word < $1.word })
    }

    @Test func lexiconSegmentsThePlantedWordAndIsThreadIndependent() throws {
        let corpus = plantedCorpus(seed: 5)
        let discovery = WordDiscovery(configuration: try .init(maxLength: 4, minCount: 3))
        let one = discovery.lexicon(runs: corpus, threads: 1)
        let two = discovery.lexicon(runs: corpus, threads: 2)
        #expect(one.tsv() == two.tsv())
        let seg = Segmenter(lexicon: one)
        #expect(seg.segment("的鹦鹉螺在").contains("鹦鹉螺"))
        #expect(one.discoveries.contains { $0?.word == "鹦鹉螺" })
        // Re-estimation keeps every character and is thread-independent too.
        let re1 = WordDiscovery.reestimate(one, runs: corpus, rounds: 2, threads: 1)
        let re2 = WordDiscovery.reestimate(one, runs: corpus, rounds: 2, threads: 2)
        #expect(re1.tsv() == re2.tsv())
        #expect(re1.frequency(of: "鹦") != nil)
    }

    @Test func lengthPriorKeepsThePlantedWordAndIsThreadIndependent() throws {
        let corpus = plantedCorpus(seed: 7)
        for weight in [0.0, 1.5, 3.0] {
            let discovery = WordDiscovery(configuration: try .init(maxLength: 4, minCount: 3,
                                                                    lengthPriorWeight: weight))
            let one = discovery.lexicon(runs: corpus, threads: 1)
            let two = discovery.lexicon(runs: corpus, threads: 2)
            #expect(one.tsv() == two.tsv())
            #expect(Segmenter(lexicon: one).segment("的鹦鹉螺在").contains("鹦鹉螺"))
        }
        // Without refinement rounds there is no segmentation to learn the prior from.
        let plain = try WordDiscovery.Configuration(maxLength: 4, minCount: 3, refinementRounds: 0,
                                                    lengthPriorWeight: 0)
        let prior = try WordDiscovery.Configuration(maxLength: 4, minCount: 3, refinementRounds: 0,
                                                    lengthPriorWeight: 2)
        #expect(WordDiscovery(configuration: plain).lexicon(runs: corpus).tsv()
            == WordDiscovery(configuration: prior).lexicon(runs: corpus).tsv())
    }

    @Test func leadingOnlySymbolsStartWordsOnly() throws {
        let num: UInt32 = 0xE000
        var corpus: [[UInt32]] = []
        for i in 0..<60 {
            let year: [UInt32] = [num] + "年".unicodeScalars.map(\.value)
            let month: [UInt32] = [num] + "月".unicodeScalars.map(\.value)
            let filler = Array("今天我们去看了的在是和有")
            let f = [filler[i % filler.count], filler[(i * 7) % filler.count]].map { $0.unicodeScalars.first!.value }
            corpus.append(f + year + month + f.reversed())
        }
        let config = try WordDiscovery.Configuration(minLength: 2, maxLength: 4, minCount: 3, leadingOnly: [num])
        let words = WordDiscovery(configuration: config).discover(runs: corpus)
        #expect(!words.contains { $0.word.unicodeScalars.dropFirst().contains { $0.value == num } })
    }
}
