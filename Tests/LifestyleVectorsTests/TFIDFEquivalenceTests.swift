import Foundation
import Testing
@testable import LifestyleText
@testable import LifestyleVectors

/// Reads the committed fixtures made by Fixtures/make_tfidf_reference.py.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func documents(_ name: String) throws -> [String] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n", omittingEmptySubsequences: true).map {
            let obj = try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            return obj["text"] as! String
        }
    }

    /// (row, term) → value
    static func reference(_ name: String) throws -> [String: Float] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        var out: [String: Float] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            let term = try JSONSerialization.jsonObject(with: Data(f[1].utf8), options: .fragmentsAllowed) as! String
            out["\(f[0])\t\(term)"] = Float(f[2])!
        }
        return out
    }
}

@Suite struct TFIDFEquivalenceTests {
    func charConfiguration(threads: Int) -> VectorizerConfiguration {
        var c = VectorizerConfiguration()
        c.minDF = .count(2)
        c.threads = threads
        return c
    }

    @Test(arguments: [1, 2, 3])
    func matchesScikitLearnCharBigrams(threads: Int) throws {
        let docs = try Fixtures.documents("tfidf-char12-docs.jsonl")
        let reference = try Fixtures.reference("tfidf-char12-reference.tsv")
        let vectorizer = try TFIDFVectorizer(charConfiguration(threads: threads), analyzer: .characters(CharNGramAnalyzer(ngramMin: 1, ngramMax: 2)))
        let (model, x) = try vectorizer.fitTransform(docs)
        #expect(x.rows == docs.count)
        #expect(x.columns == 312)
        #expect(x.nnz == reference.count)
        var worst: Float = 0
        for r in 0..<x.rows {
            let (idx, val) = x.row(r)
            for (c, v) in zip(idx, val) {
                let key = "\(r)\t\(model.featureName(Int(c)))"
                guard let expected = reference[key] else {
                    Issue.record("unexpected entry \(key)")
                    continue
                }
                worst = max(worst, abs(expected - v))
            }
        }
        #expect(worst <= 1e-5, "largest difference \(worst)")
        // Columns are in code-point order, like scikit-learn's vocabulary_.
        let names = (0..<model.featureCount).map(model.featureName)
        #expect(names == names.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) })
        // The empty document and the document of only rare terms are zero rows.
        #expect(x.row(docs.count - 2).indices.isEmpty)
        #expect(x.row(docs.count - 1).indices.isEmpty)
    }

    @Test func transformOfTrainingDocumentsEqualsFitTransform() throws {
        let docs = try Fixtures.documents("tfidf-char12-docs.jsonl")
        let vectorizer = try TFIDFVectorizer(charConfiguration(threads: 2), analyzer: .characters(CharNGramAnalyzer()))
        let (model, x) = try vectorizer.fitTransform(docs)
        #expect(model.transform(docs) == x)
        let streamed = try vectorizer.fit(docs, batchSize: 7)
        #expect(streamed.vocabulary?.terms == model.vocabulary?.terms)
        #expect(streamed.idf == model.idf)
    }
}
