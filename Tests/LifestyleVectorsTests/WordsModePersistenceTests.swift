import Foundation
import Testing
@testable import LifestyleText
@testable import LifestyleVectors

/// A words-mode vectorizer carries its lexicon: saved, checksummed, loaded, and it segments the same.
@Suite struct WordsModePersistenceTests {
    @Test func lexiconTravelsWithTheModel() throws {
        let lexicon = Lexicon(entries: [
            .init(word: "健身房", frequency: 50), .init(word: "撸铁", frequency: 40), .init(word: "蛋白粉", frequency: 30),
            .init(word: "宝宝", frequency: 60), .init(word: "奶粉", frequency: 50),
        ])
        var tc = TokenizerConfiguration()
        tc.chinese = .words
        tc.stopWords = []
        let docs = ["今天去健身房撸铁", "宝宝的奶粉喝完了", "健身房里喝蛋白粉", "宝宝去健身房"]
        var vc = VectorizerConfiguration()
        vc.threads = 2
        let (model, x) = try TFIDFVectorizer(vc, analyzer: .microblog(tc), lexicon: lexicon).fitTransform(docs)
        #expect(model.vocabulary?.column(of: "健身房") != nil)
        #expect(model.vocabulary?.column(of: "撸铁") != nil)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestyle-words-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try model.save(to: dir)
        #expect(FileManager.default.fileExists(atPath: "\(dir)/lexicon.tsv"))
        let loaded = try TFIDFModel.load(from: dir)
        #expect(loaded.transform(docs) == x)
        #expect(loaded.lexicon?.count == lexicon.count)
    }

    @Test func savedFilesAreReproducible() throws {
        let docs = try Fixtures.documents("tfidf-char12-docs.jsonl")
        var vc = VectorizerConfiguration()
        vc.minDF = .count(2)
        let (model, _) = try TFIDFVectorizer(vc, analyzer: .microblog(TokenizerConfiguration())).fitTransform(docs)
        let a = FileManager.default.temporaryDirectory.appendingPathComponent("lifestyle-rep-a-\(UInt32.random(in: 0...UInt32.max))").path
        let b = a.replacingOccurrences(of: "rep-a", with: "rep-b")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        try model.save(to: a)
        try model.save(to: b)
        for name in ["vectorizer.json", "vocabulary.tsv", "idf.f32"] {
            #expect(FileManager.default.contents(atPath: "\(a)/\(name)") == FileManager.default.contents(atPath: "\(b)/\(name)"), "\(name) differs")
        }
    }
}
