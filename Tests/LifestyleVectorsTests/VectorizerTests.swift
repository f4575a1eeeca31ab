import Foundation
import Testing
@testable import LifestyleCore
@testable import LifestyleText
@testable import LifestyleVectors

/// Paths relative to the repository root (found from this file's location).
enum TestRepo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static var demoPosts: String { "\(root)/corpora/demo/posts.jsonl" }
}

/// A tokenizer configuration that emits Latin words only, with no stop words: easy to compute by hand.
func latinOnlyConfiguration() -> TokenizerConfiguration {
    var c = TokenizerConfiguration()
    c.keep = [.latin]
    c.stopWords = []
    return c
}

func makeVectorizer(_ configure: (inout VectorizerConfiguration) -> Void = { _ in }, analyzer: AnalyzerSpec = .microblog(latinOnlyConfiguration())) throws -> TFIDFVectorizer {
    var c = VectorizerConfiguration()
    c.threads = 1
    configure(&c)
    return try TFIDFVectorizer(c, analyzer: analyzer)
}

/// A configuration changed by `f`.
func cfg(_ f: (inout VectorizerConfiguration) -> Void) -> VectorizerConfiguration {
    var c = VectorizerConfiguration()
    f(&c)
    return c
}

@Suite struct VectorizerTests {
    static let docs = ["apple banana apple", "banana cherry", "cherry cherry cherry date"]

    @Test func handComputedTFIDF() throws {
        let (model, x) = try makeVectorizer().fitTransform(Self.docs)
        #expect(model.vocabulary?.terms == ["apple", "banana", "cherry", "date"])
        let n = 3.0
        func idf(_ df: Double) -> Double { log((1 + n) / (1 + df)) + 1 }
        let idfs = [idf(1), idf(2), idf(2), idf(1)]
        for (a, b) in zip(model.idf, idfs) { #expect(abs(Double(a) - b) < 1e-6) }
        // Raw counts per document, columns apple banana cherry date.
        let counts: [[Double]] = [[2, 1, 0, 0], [0, 1, 1, 0], [0, 0, 3, 1]]
        #expect(x.rows == 3)
        #expect(x.columns == 4)
        #expect(x.nnz == 6)
        let dense = x.dense()
        for r in 0..<3 {
            let w = (0..<4).map { c in counts[r][c] > 0 ? (1 + log(counts[r][c])) * idfs[c] : 0 }
            let norm = w.map { $0 * $0 }.reduce(0, +).squareRoot()
            for c in 0..<4 {
                #expect(abs(Double(dense[r][c]) - w[c] / norm) < 1e-6, "row \(r) column \(c)")
                #expect(abs(Double(x[r, c]) - w[c] / norm) < 1e-6)
            }
        }
        // Row 0 by hand: apple (1 + ln 2)(ln 2 + 1), banana 1·(ln(4/3) + 1).
        let a = (1 + log(2.0)) * (log(2.0) + 1), b = log(4.0 / 3) + 1
        #expect(abs(Double(x[0, 0]) - a / (a * a + b * b).squareRoot()) < 1e-6)
        for norm in x.rowNorms() { #expect(abs(norm - 1) < 1e-5) }
        #expect(model.summary.documents == 3)
        #expect(model.summary.tokens == 9)
        #expect(model.summary.distinctTerms == 4)
        #expect(model.summary.keptTerms == 4)
    }

    @Test func transformMatchesFitTransform() throws {
        let (model, x) = try makeVectorizer().fitTransform(Self.docs)
        #expect(model.transform(Self.docs) == x)
        // Unknown terms are ignored.
        let y = model.transform(["kiwi apple"])
        #expect(y.nnz == 1)
        #expect(abs(y[0, 0] - 1) < 1e-6)
    }

    @Test func rawCountsAndNoNormalisation() throws {
        let (model, x) = try makeVectorizer({ $0.sublinearTF = false; $0.norm = .none; $0.smoothIDF = false }).fitTransform(Self.docs)
        // idf = ln(n / df) + 1 without smoothing.
        #expect(abs(Double(model.idf[0]) - (log(3.0) + 1)) < 1e-6)
        #expect(abs(Double(x[2, 2]) - 3 * (log(3.0 / 2) + 1)) < 1e-5)
        let (_, l1) = try makeVectorizer({ $0.norm = .l1; $0.useIDF = false; $0.sublinearTF = false }).fitTransform(Self.docs)
        #expect(abs(l1[0, 0] - 2.0 / 3) < 1e-6)
        #expect(abs(l1[0, 1] - 1.0 / 3) < 1e-6)
    }

    @Test(arguments: [
        (DocumentFrequency.count(2), DocumentFrequency.fraction(1.0), ["banana", "cherry"]),
        (.fraction(0.5), .fraction(1.0), ["banana", "cherry"]),       // 1.5 documents
        (.count(1), .count(1), ["apple", "date"]),
        (.count(1), .fraction(0.5), ["apple", "date"]),
        (.fraction(0.3), .fraction(0.66), ["apple", "date"]),        // 0.9 … 1.98 documents
        (.fraction(0.34), .fraction(1.0), ["banana", "cherry"]),     // 1.02 documents: df 1 is below
        (.count(1), .fraction(1.0), ["apple", "banana", "cherry", "date"]),
    ])
    func documentFrequencyBounds(minDF: DocumentFrequency, maxDF: DocumentFrequency, expected: [String]) throws {
        let (model, x) = try makeVectorizer({ $0.minDF = minDF; $0.maxDF = maxDF }).fitTransform(Self.docs)
        #expect(model.vocabulary?.terms == expected)
        #expect(x.columns == expected.count)
        #expect(model.summary.keptTerms == expected.count)
        #expect(model.summary.droppedBelowMinDF + model.summary.droppedAboveMaxDF == 4 - expected.count)
    }

    @Test func droppedCountsAreReported() throws {
        let (model, _) = try makeVectorizer({ $0.minDF = .count(2); $0.maxDF = .count(2) }).fitTransform(Self.docs + ["banana"])
        // df: apple 1, banana 3, cherry 2, date 1 over 4 documents; keep 2 ≤ df ≤ 2.
        #expect(model.vocabulary?.terms == ["cherry"])
        #expect(model.summary.droppedBelowMinDF == 2)
        #expect(model.summary.droppedAboveMaxDF == 1)
    }

    @Test(arguments: [
        (1, ["cherry"]),
        (2, ["apple", "cherry"]),              // apple and banana tie at 2: code-point order keeps apple
        (3, ["apple", "banana", "cherry"]),
        (10, ["apple", "banana", "cherry", "date"]),
    ])
    func maxFeaturesKeepsTheMostFrequent(limit: Int, expected: [String]) throws {
        let (model, x) = try makeVectorizer({ $0.maxFeatures = limit }).fitTransform(Self.docs)
        #expect(model.vocabulary?.terms == expected)
        #expect(x.columns == expected.count)
        #expect(model.summary.droppedByMaxFeatures == max(0, 4 - limit))
    }

    @Test func tiesAreBrokenByCodePointNotByInsertionOrder() throws {
        let (model, _) = try makeVectorizer({ $0.maxFeatures = 1 }).fitTransform(["zeta alpha", "alpha zeta"])
        #expect(model.vocabulary?.terms == ["alpha"])
    }

    @Test func noTermsRemain() throws {
        let error = try #require(throws: ConfigurationError.self) { try makeVectorizer({ $0.minDF = .count(3) }).fitTransform(Self.docs) }
        #expect(error.message.contains("no terms remain"))
        #expect(error.message.contains("minDF=3"))
        #expect(error.message.contains("3 documents"))
    }

    @Test func maxDFBelowMinDF() throws {
        let error = try #require(throws: ConfigurationError.self) { try makeVectorizer({ $0.minDF = .count(3); $0.maxDF = .count(2) }).fitTransform(Self.docs) }
        #expect(error.message == "maxDF=2 corresponds to fewer documents than minDF=3")
    }

    @Test func noDocuments() throws {
        #expect(throws: InputError.self) { try makeVectorizer().fitTransform([]) }
        #expect(throws: InputError.self) { try makeVectorizer().fit([String]()) }
    }

    @Test(arguments: [
        (cfg { c in c.minDF = .count(0) }, "minDF=0 should be >= 1"),
        (cfg { c in c.minDF = .fraction(1.5) }, "minDF=1.5 should be in [0, 1]"),
        (cfg { c in c.maxDF = .count(-2) }, "maxDF=-2 should be >= 1"),
        (cfg { c in c.maxDF = .fraction(-0.1) }, "maxDF=-0.1 should be in [0, 1]"),
        (cfg { c in c.maxFeatures = 0 }, "maxFeatures=0 should be >= 1"),
        (cfg { c in c.hashingBits = 3 }, "hashingBits=3 should be in 4...28"),
        (cfg { c in c.hashingBits = 29 }, "hashingBits=29 should be in 4...28"),
        (cfg { c in c.threads = 0 }, "threads=0 should be >= 1"),
        (cfg { c in c.maxTermsInMemory = 10 }, "maxTermsInMemory=10 should be >= 1024"),
        (cfg { c in c.hashingBits = 8; c.minDF = .count(2) }, "minDF/maxDF/maxFeatures cannot be combined with hashingBits (buckets are not pruned)"),
    ])
    func configurationValidationNamesTheValue(c: VectorizerConfiguration, message: String) throws {
        #expect(throws: ConfigurationError(message)) { try c.validate() }
        #expect(throws: ConfigurationError(message)) { try TFIDFVectorizer(c, analyzer: .microblog(latinOnlyConfiguration())) }
    }

    @Test func documentFrequencyParsing() {
        #expect(DocumentFrequency(parsing: "5") == .count(5))
        #expect(DocumentFrequency(parsing: "0.5") == .fraction(0.5))
        #expect(DocumentFrequency(parsing: "50%") == .fraction(0.5))
        #expect(DocumentFrequency(parsing: "1.0") == .fraction(1.0))
        #expect(DocumentFrequency(parsing: "foo") == nil)
        #expect(DocumentFrequency.count(3).description == "3")
    }

    @Test func emptyDocumentGivesAnEmptyRow() throws {
        let (model, x) = try makeVectorizer().fitTransform(["apple", "", "apple banana", "1234 !!"])
        #expect(x.rows == 4)
        #expect(x.row(1).indices.isEmpty)
        #expect(x.row(3).indices.isEmpty)
        #expect(x.rowNorms()[1] == 0)
        let y = model.transform([""])
        #expect(y.rows == 1)
        #expect(y.nnz == 0)
        #expect(model.transform([String]()).rows == 0)
    }

    @Test(arguments: [1, 2])
    func hashingFitTransform(threads: Int) throws {
        let (model, x) = try makeVectorizer({ $0.hashingBits = 6; $0.threads = threads }).fitTransform(Self.docs)
        #expect(x.columns == 64)
        #expect(x.nnz <= 6)   // at most one entry per distinct term and document
        #expect(x.nnz >= 3)
        #expect(model.transform(Self.docs) == x)
        let streamed = try makeVectorizer({ $0.hashingBits = 6; $0.threads = threads }).fit(Self.docs)
        #expect(streamed.idf == model.idf)
    }

    @Test func hashingMode() throws {
        let v = try makeVectorizer({ $0.hashingBits = 6 })
        let model = try v.fit(Self.docs)
        #expect(model.vocabulary == nil)
        #expect(model.featureCount == 64)
        #expect(model.featureName(5) == "#5")
        let x = model.transform(Self.docs + ["apple banana apple"])
        #expect(x.columns == 64)
        #expect(x.rows == 4)
        // The same document gives the same row.
        #expect(Array(x.row(0).indices) == Array(x.row(3).indices))
        #expect(Array(x.row(0).values) == Array(x.row(3).values))
        // apple lands in the bucket of its key.
        let bucket = Int(TokenKey("apple").mixed & 63)
        #expect(x[0, bucket] > 0)
        #expect(x.row(2).indices.count <= 2)
        // df per bucket: idf of apple's bucket reflects one document unless it shares the bucket.
        let appleBuckets = Set(["banana", "cherry", "date"].map { Int(TokenKey($0).mixed & 63) })
        if !appleBuckets.contains(bucket) {
            #expect(abs(Double(model.idf[bucket]) - (log(4.0 / 2) + 1)) < 1e-6)
        }
        for norm in x.rowNorms() { #expect(abs(norm - 1) < 1e-5) }
    }

    @Test func threadCountDoesNotChangeTheResult() throws {
        let docs = try DocumentCollection.load(TestRepo.demoPosts, grouping: .user).texts
        var results: [(TFIDFModel, CSRMatrix)] = []
        for threads in [1, 2, 4] {
            var c = VectorizerConfiguration()
            c.threads = threads
            c.minDF = .count(2)
            c.maxDF = .fraction(0.9)
            results.append(try TFIDFVectorizer(c, analyzer: .microblog(TokenizerConfiguration())).fitTransform(docs))
        }
        let (m1, x1) = results[0]
        #expect(x1.rows == docs.count)
        #expect(x1.nnz > 1000)
        for (m, x) in results.dropFirst() {
            #expect(m.vocabulary?.terms == m1.vocabulary?.terms)
            #expect(m.idf == m1.idf)
            #expect(m.summary == m1.summary)
            #expect(x == x1)
        }
        // transform on another thread count agrees too.
        #expect(results[2].0.transform(docs) == x1)
    }

    @Test func streamingFitEqualsFitTransform() throws {
        let docs = try DocumentCollection.load(TestRepo.demoPosts, grouping: .post).texts
        var c = VectorizerConfiguration()
        c.threads = 2
        c.minDF = .count(3)
        c.maxDF = .fraction(0.5)
        let v = try TFIDFVectorizer(c, analyzer: .microblog(TokenizerConfiguration()))
        let (batch, _) = try v.fitTransform(docs)
        var seen: [Int] = []
        let streamed = try v.fit(docs, batchSize: 1000, progress: { seen.append($0) })
        #expect(streamed.vocabulary?.terms == batch.vocabulary?.terms)
        #expect(streamed.idf == batch.idf)
        #expect(streamed.summary.prunedWhileStreaming == 0)
        #expect(streamed.summary.keptTerms == batch.summary.keptTerms)
        #expect(streamed.summary.documents == docs.count)
        #expect(seen.last == docs.count)
        #expect(seen.count == (docs.count + 999) / 1000)
    }

    @Test func streamingPrunesWhenOverBudget() throws {
        // 3000 documents, each with one unique word and one shared word.
        let docs = (0..<3000).map { "common w\($0)x" }
        let v = try makeVectorizer({ $0.maxTermsInMemory = 1024; $0.minDF = .count(1) })
        let model = try v.fit(docs, batchSize: 100)
        #expect(model.summary.prunedWhileStreaming > 0)
        #expect(model.summary.distinctTerms == 3001)
        #expect(model.vocabulary?.terms.contains("common") == true)
        #expect(model.vocabulary!.count < 1100)
        let unpruned = try makeVectorizer().fit(docs, batchSize: 100)
        #expect(unpruned.summary.prunedWhileStreaming == 0)
        #expect(unpruned.vocabulary?.count == 3001)
    }

    @Test func charAnalyzerTermsIncludeWhiteSpace() throws {
        let (model, _) = try makeVectorizer(analyzer: .characters(try CharNGramAnalyzer(ngramMin: 1, ngramMax: 2))).fitTransform(["ab  c", "A\tb"])
        #expect(model.vocabulary?.terms == ["\t", "\tb", " ", " c", "a", "a\t", "ab", "b", "b ", "c"])
    }

    @Test func vocabularyIsInCodePointOrder() throws {
        let (model, _) = try makeVectorizer(analyzer: .microblog({ var c = latinOnlyConfiguration(); c.keep = [.latin, .chinese, .emoji]; return c }()))
            .fitTransform(["zebra 中国 😀 apple éclair Zed"])
        let terms = model.vocabulary!.terms
        #expect(terms == terms.sorted { $0.unicodeScalars.map(\.value).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) })
        #expect(terms.first == "apple")
        #expect(terms.last == "😀")
        #expect(model.vocabulary?.column(of: "中国") != nil)
        #expect(model.vocabulary?.column(of: "missing") == nil)
    }

    @Test
    func stackingWithAnEmptyBlock() {
        let empty = CSRMatrix(rows: 0, columns: 3, rowPointers: [0], columnIndices: [], values: [])
        let one = CSRMatrix(rows: 1, columns: 3, rowPointers: [0, 1], columnIndices: [2], values: [1])
        let s = CSRMatrix.stacking([empty, one, empty], columns: 3)
        #expect(s.rows == 1)
        #expect(s[0, 2] == 1)
    }

    @Test func stackingBlocks() {
        let a = CSRMatrix(rows: 2, columns: 3, rowPointers: [0, 1, 1], columnIndices: [0], values: [0.5])
        let b = CSRMatrix(rows: 1, columns: 3, rowPointers: [0, 2], columnIndices: [1, 2], values: [1, 2])
        let s = CSRMatrix.stacking([a, b], columns: 3)
        #expect(s.rows == 3)
        #expect(Array(s.rowPointers) == [0, 1, 1, 3])
        #expect(s.dense() == [[0.5, 0, 0], [0, 0, 0], [0, 1, 2]])
        #expect(s.byteSize == 4 * 8 + 3 * 4 + 3 * 4)
    }
}
