import Foundation
import LifestyleCore
import LifestyleText
import LifestyleVectors
import Testing
@testable import LifestyleLookalike

/// A fresh directory under /tmp, removed when the value goes away.
final class Scratch {
    let path: String
    init() {
        path = "/tmp/lifestyle-lookalike-tests-\(getpid())-\(UUID().uuidString)"
        try? AtomicFile.createDirectories(path)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct TermCountsTests {
    /// A user's TF-IDF row built from the sum of their posts' counts equals vectorising the
    /// user's posts joined into one document (n-grams never cross posts).
    @Test func userRowsFromPostCountsMatchJoinedDocuments() throws {
        let posts = ["今天去健身房练腿", "减脂餐吃鸡胸肉", "宝宝辅食怎么做", "周末带娃去公园玩", "健身房人太多了", "辅食加盐吗？"]
        let start = [0, 2, 4, 6]
        var vc = VectorizerConfiguration()
        vc.threads = 1
        let tfidf = try TFIDFVectorizer(vc, analyzer: .microblog(TokenizerConfiguration())).fit(posts)
        let counts = try tfidf.countingTwin().transform(posts)
        let users = TermCounts.weighted(TermCounts.sumRows(counts, groups: start), like: tfidf)
        let joined = tfidf.transform([posts[0] + "\n" + posts[1], posts[2] + "\n" + posts[3], posts[4] + "\n" + posts[5]])
        #expect(users.rows == 3)
        #expect(users.rowPointers == joined.rowPointers)
        #expect(users.columnIndices == joined.columnIndices)
        for i in 0..<users.nnz { #expect(abs(users.values[i] - joined.values[i]) < 1e-6) }
    }
}

@Suite struct TopicModelTests {
    /// Two topics with disjoint vocabularies: EM keeps them apart and every user's mix follows
    /// their posts (3 of 4 posts on topic 0 → θ₀ = (α + 3)/(2α + 4)).
    @Test func separableTopicsAndUserMixes() {
        // Vocabulary 0–1 belongs to topic A, 2–3 to topic B; counts of 3 make posts unambiguous.
        let rows: [[(Int32, Float)]] = [[(0, 3), (1, 3)], [(0, 3)], [(1, 3), (0, 3)], [(2, 3), (3, 3)],
                                        [(2, 3)], [(3, 3)], [(2, 3), (3, 3)], [(0, 3), (1, 3)]]
        var pointers = ContiguousArray<Int>([0]), idx = ContiguousArray<Int32>(), val = ContiguousArray<Float>()
        for r in rows {
            for (j, v) in r.sorted(by: { $0.0 < $1.0 }) { idx.append(j); val.append(v) }
            pointers.append(idx.count)
        }
        let counts = CSRMatrix(rows: rows.count, columns: 4, rowPointers: pointers, columnIndices: idx, values: val)
        let start = [0, 4, 8]   // user 0: A A A B; user 1: B B B A
        var c = TopicModel.Configuration()
        c.temperature = 1
        c.alpha = 0.5
        c.iterations = 10
        let model = TopicModel.fit(counts: counts, postStart: start, initialLabels: [0, 0, 0, 1, 1, 1, 1, 0], k: 2, configuration: c)
        let theta = model.mix(counts: counts, postStart: start)
        let expected = (0.5 + 3) / (1 + 4)
        #expect(abs(theta[0] - expected) < 1e-3, "\(theta)")
        #expect(abs(theta[3] - expected) < 1e-3, "\(theta)")
        // φ of topic 0 puts its mass on columns 0–1.
        #expect(model.logPhi[0 * 2 + 0] > model.logPhi[2 * 2 + 0])
        #expect(model.logPhi[3 * 2 + 1] > model.logPhi[1 * 2 + 1])
    }
}

@Suite struct CardTests {
    /// Monroe et al.'s z for a term used far more in the group than in the rest is large and
    /// positive; for a term used at the population's rate it is about zero.
    @Test func weightedLogOddsSeparatesDistinctiveTerms() {
        // Population: 1000 counts of term 0, 1000 of term 1; the group has 100 of term 0, 10 of term 1.
        let z = Dictionary(uniqueKeysWithValues: CardBuilder.weightedLogOdds(group: [0: 100, 1: 10], population: [1000, 1000], priorScale: 0.01))
        #expect(z[0]! > 5)
        #expect(z[1]! < -5)
        let even = Dictionary(uniqueKeysWithValues: CardBuilder.weightedLogOdds(group: [0: 50, 1: 50], population: [1000, 1000], priorScale: 0.01))
        #expect(abs(even[0]!) < 0.5 && abs(even[1]!) < 0.5)
    }

    @Test func affinityAndValue() {
        // Two clusters of two customers each; cluster 0 buys A, cluster 1 buys B.
        let counts = CSRMatrix(rows: 4, columns: 2, rowPointers: [0, 1, 2, 3, 4], columnIndices: [0, 0, 1, 1], values: [2, 3, 4, 1])
        let values = [
            CustomerValue(customerID: "c1", monetary: 100, orders: 2, skuOrders: ["A": 2]),
            CustomerValue(customerID: "c2", monetary: 300, orders: 1, skuOrders: ["A": 1]),
            CustomerValue(customerID: "c3", monetary: 50, orders: 1, skuOrders: ["B": 1]),
            CustomerValue(customerID: "c4", monetary: 70, orders: 2, skuOrders: ["B": 1, "A": 1]),
        ]
        var builder = CardBuilder()
        builder.topTerms = 1
        let cards = builder.cards(labels: [0, 0, 1, 1], k: 2, counts: counts, seedRows: [0, 1, 2, 3], values: values,
                                  cohesion: [1, 1, 1, 1], termName: { ["健身", "宝宝"][$0] }, isWord: { _ in true },
                                  examples: [["a"], ["b"]])
        #expect(cards[0].meanMonetary == 200 && cards[0].medianMonetary == 200 && cards[0].meanOrders == 1.5)
        #expect(cards[0].terms.first?.term == "健身" && cards[1].terms.first?.term == "宝宝")
        // All quality customers: A 4 of 6 orders; cluster 0: A 3 of 3 → lift 1.5.
        #expect(cards[0].affinity.first?.sku == "A")
        #expect(abs(cards[0].affinity.first!.lift - 1.5) < 1e-12)
        #expect(cards[1].affinity.first { $0.sku == "B" }!.share == 2.0 / 3.0)
        #expect(abs(cards.map(\.share).reduce(0, +) - 1) < 1e-12)
    }
}

@Suite struct ModelDirectoryTests {
    func makeModel(_ dir: String) throws {
        let w = try ModelDirectoryWriter(target: dir)
        try w.put("a.f32", littleEndianBytes([1, 2, 3] as [Float]))
        try w.put("b.json", Array("{\"x\": 1}\n".utf8))
        try w.commit { files in
            let listed = String(decoding: try JSONEncoder().encode(files), as: UTF8.self)
            return Array("{\"format\":\"lifestyle.model\",\"formatVersion\":\(modelFormatVersion),\"files\":\(listed)}".utf8)
        }
    }

    @Test func roundTripAndReplaceInPlace() throws {
        let s = Scratch()
        let dir = "\(s.path)/models/m"
        try makeModel(dir)
        let m = try ModelDirectory(path: dir)
        #expect(m.files.count == 2)
        #expect(try floatsFromLittleEndian(m.bytes("a.f32"), file: "a") == [1, 2, 3])
        // Writing again swaps the directory; no staging directory is left behind.
        try makeModel(dir)
        let left = try FileManager.default.contentsOfDirectory(atPath: "\(s.path)/models")
        #expect(left == ["m"])
    }

    @Test func flippedByteIsRefused() throws {
        let s = Scratch()
        let dir = "\(s.path)/m"
        try makeModel(dir)
        var bytes = try AtomicFile.read("\(dir)/a.f32")
        bytes[5] ^= 0x01
        try AtomicFile.write(bytes, to: "\(dir)/a.f32")
        let error = try #require(throws: InputError.self) { try ModelDirectory(path: dir) }
        #expect(error.file == "\(dir)/a.f32")
        #expect(error.reason.contains("checksum mismatch"))
    }

    @Test func wrongVersionMissingFileAndNotAModel() throws {
        let s = Scratch()
        let dir = "\(s.path)/m"
        try makeModel(dir)
        let manifest = String(decoding: try AtomicFile.read("\(dir)/manifest.json"), as: UTF8.self)
        try AtomicFile.write(manifest.replacingOccurrences(of: "\"formatVersion\":\(modelFormatVersion)", with: "\"formatVersion\":99"), to: "\(dir)/manifest.json")
        let e1 = try #require(throws: InputError.self) { try ModelDirectory(path: dir) }
        #expect(e1.field == "formatVersion" && e1.reason.contains("99"))
        try AtomicFile.write(manifest, to: "\(dir)/manifest.json")
        unlink("\(dir)/b.json")
        let e2 = try #require(throws: InputError.self) { try ModelDirectory(path: dir) }
        #expect(e2.reason.contains("missing"))
        let e3 = try #require(throws: InputError.self) { try ModelDirectory(path: "\(s.path)/nothing") }
        #expect(e3.reason.contains("not found"))
    }

    @Test func refusesToReplaceADirectoryThatIsNotAModel() throws {
        let s = Scratch()
        let dir = "\(s.path)/precious"
        try AtomicFile.write("keep me", to: "\(dir)/notes.txt")
        let error = try #require(throws: InputError.self) { try makeModel(dir) }
        #expect(error.reason.contains("refusing to replace"))
        #expect(String(decoding: try AtomicFile.read("\(dir)/notes.txt"), as: UTF8.self) == "keep me")
        // An empty directory is fine.
        try AtomicFile.createDirectories("\(s.path)/empty")
        try makeModel("\(s.path)/empty")
        #expect(try ModelDirectory(path: "\(s.path)/empty").files.count == 2)
    }

    @Test func abandonedWriterLeavesNothing() throws {
        let s = Scratch()
        do {
            let w = try ModelDirectoryWriter(target: "\(s.path)/half")
            try w.put("a.f32", [0, 0, 0, 0])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).isEmpty)
    }
}

@Suite struct LikelihoodTests {
    @Test func calibrationAndPercentiles() {
        // s = c ⇒ odds 1 ⇒ (1 − c)/c.
        #expect(abs(LikelihoodModel.calibrate(0.5, c: 0.5) - 1) < 1e-12)
        #expect(abs(LikelihoodModel.calibrate(0.2, c: 0.6) - (0.4 / 0.6) * (0.2 / 0.8)) < 1e-12)
        #expect(LikelihoodModel.calibrate(0.99, c: 0.1) == 1)
        let q = LikelihoodModel.quantiles((0...100).map(Double.init))
        #expect(q.count == 101 && q[50] == 50)
        let topics = TopicModel(k: 1, vocabulary: 1, logPhi: [0], temperature: 1, alpha: 1, beta: 1, userIterations: 1)
        let m = LikelihoodModel(topics: topics, head: .rate, rates: [0.5], regression: nil, knownShare: 0.5, referenceQuantiles: q)
        #expect(abs(m.referencePercentile(25) - 25) < 1e-9)
        #expect(m.referencePercentile(-1) == 0 && m.referencePercentile(1000) == 100)
        #expect(abs(m.knownProbability([1.0]) - 0.5) < 1e-12)
    }

    @Test func topicRatesAreSmoothed() {
        // Three users on topic 0 (two buyers), one on topic 1 (no buyer).
        let theta: [Double] = [0.9, 0.1, 0.8, 0.2, 0.6, 0.4, 0.3, 0.7]
        let rates = LikelihoodModel.topicRates(theta: theta, k: 2, positive: [true, true, false, false])
        #expect(rates == [3.0 / 5.0, 1.0 / 3.0])
    }
}

@Suite struct MixtureRatesTests {
    /// With one-hot mixes the mixture EM has nothing to share out: its rates are the smoothed
    /// per-topic rates. With mixed users, a topic that only ever co-occurs with buyers gets the
    /// higher rate.
    @Test func oneHotMixesGiveTheSmoothedRates() {
        let theta: [Double] = [1, 0, 1, 0, 0, 1, 0, 1, 0, 1]
        let positive = [true, false, true, false, false]
        let rates = LikelihoodModel.mixtureRates(theta: theta, k: 2, positive: positive)
        #expect(abs(rates[0] - 2.0 / 4.0) < 1e-9)
        #expect(abs(rates[1] - 2.0 / 5.0) < 1e-9)
        let mixed: [Double] = [0.6, 0.4, 0.6, 0.4, 0.1, 0.9, 0.1, 0.9]
        let r = LikelihoodModel.mixtureRates(theta: mixed, k: 2, positive: [true, true, false, false])
        #expect(r[0] > r[1])
    }
}
