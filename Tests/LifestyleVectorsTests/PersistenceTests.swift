import Foundation
import Testing
@testable import LifestyleCore
@testable import LifestyleText
@testable import LifestyleVectors

/// A fresh directory under /tmp, removed when the test ends.
final class ModelScratch {
    let path: String
    init() {
        path = "/tmp/lifestyle-tests-model-\(getpid())-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var model: String { "\(path)/model" }
    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: model)) ?? []).sorted() }
    func bytes(_ name: String) throws -> [UInt8] { try AtomicFile.read("\(model)/\(name)") }
    func overwrite(_ name: String, _ bytes: [UInt8]) throws {
        // Plain write (not atomic, not through the model API), as a corrupting tool would.
        try! Data(bytes).write(to: URL(fileURLWithPath: "\(model)/\(name)"))
    }
}

@Suite struct PersistenceTests {
    static let docs = [
        "今天去健身房撸铁 #健身# 💪 @教练 gym time",
        "周末去爬山 拍照 📷 hiking again",
        "健身 打卡 第30天 gym",
        "咖啡 拿铁 ☕ coffee time",
        "爬山 露营 camping coffee",
    ]

    func fitted(_ configure: (inout VectorizerConfiguration) -> Void = { _ in }, analyzer: AnalyzerSpec = .microblog(TokenizerConfiguration())) throws -> (TFIDFModel, CSRMatrix) {
        var c = VectorizerConfiguration()
        c.threads = 2
        configure(&c)
        return try TFIDFVectorizer(c, analyzer: analyzer).fitTransform(Self.docs)
    }

    @Test func saveLoadRoundtrip() throws {
        let dir = ModelScratch()
        let (model, x) = try fitted()
        try model.save(to: dir.model)
        #expect(dir.files() == ["idf.f32", "vectorizer.json", "vocabulary.tsv"])
        let loaded = try TFIDFModel.load(from: dir.model)
        #expect(loaded.vocabulary?.terms == model.vocabulary?.terms)
        #expect(loaded.idf == model.idf)
        #expect(loaded.configuration == model.configuration)
        #expect(loaded.analyzerSpec == model.analyzerSpec)
        #expect(loaded.summary == model.summary)
        #expect(loaded.transform(Self.docs) == x)
        let unseen = ["健身 coffee 新词", ""]
        #expect(loaded.transform(unseen) == model.transform(unseen))
        #expect(try dir.bytes("idf.f32").count == 4 * model.featureCount)
    }

    @Test func savingTwiceIsByteIdentical() throws {
        let dir = ModelScratch()
        let (model, _) = try fitted()
        try model.save(to: dir.model)
        let first = try dir.files().map { try dir.bytes($0) }
        try model.save(to: dir.model)
        #expect(try dir.files().map { try dir.bytes($0) } == first)
        #expect(dir.files().count == 3)   // no temporary files left behind
    }

    @Test func manifestNamesChecksumsAndParameters() throws {
        let dir = ModelScratch()
        let (model, _) = try fitted({ $0.minDF = .count(2) })
        try model.save(to: dir.model)
        let json = try JSONSerialization.jsonObject(with: Data(try dir.bytes("vectorizer.json"))) as! [String: Any]
        #expect(json["format"] as? String == "lifestyle.tfidf")
        #expect(json["formatVersion"] as? Int == vectorizerFormatVersion)
        #expect(json["features"] as? Int == model.featureCount)
        let files = json["files"] as! [String: String]
        #expect(files["idf.f32"] == SHA256.hex(try dir.bytes("idf.f32")))
        #expect(files["vocabulary.tsv"] == SHA256.hex(try dir.bytes("vocabulary.tsv")))
    }

    /// scikit-learn CVE-2024-5206: `stop_words_` kept every pruned term and leaked it into pickles.
    @Test func prunedTermsNeverReachTheDisk() throws {
        let secret = "zqxsecretvalue"
        var docs = Self.docs
        docs[2] += " \(secret) 私密暗号词"
        var c = VectorizerConfiguration()
        c.minDF = .count(2)
        let (model, _) = try TFIDFVectorizer(c, analyzer: .microblog(TokenizerConfiguration())).fitTransform(docs)
        #expect(model.vocabulary?.column(of: secret) == nil)
        #expect(model.summary.droppedBelowMinDF > 0)
        let dir = ModelScratch()
        try model.save(to: dir.model)
        for name in dir.files() {
            let text = String(decoding: try dir.bytes(name), as: UTF8.self)
            #expect(!text.contains(secret), "\(name) leaks the pruned term")
            #expect(!text.contains("暗号"), "\(name) leaks a pruned n-gram")
        }
        // The kept vocabulary is still there.
        let vocabulary = String(decoding: try dir.bytes("vocabulary.tsv"), as: UTF8.self)
        #expect(vocabulary.contains("gym\n"))
    }

    @Test(arguments: ["idf.f32", "vocabulary.tsv"])
    func flippedByteFailsTheChecksum(file: String) throws {
        let dir = ModelScratch()
        let (model, _) = try fitted()
        try model.save(to: dir.model)
        var bytes = try dir.bytes(file)
        bytes[bytes.count / 2] ^= 0x01
        try dir.overwrite(file, bytes)
        let error = try #require(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
        #expect(error.description.contains("checksum"))
        #expect(error.file == "\(dir.model)/\(file)")
    }

    @Test func truncatedFileFailsTheChecksum() throws {
        let dir = ModelScratch()
        let (model, _) = try fitted()
        try model.save(to: dir.model)
        try dir.overwrite("idf.f32", Array(try dir.bytes("idf.f32").dropLast(4)))
        let error = try #require(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
        #expect(error.description.contains("checksum"))
    }

    func editManifest(_ dir: ModelScratch, _ edit: (inout [String: Any]) -> Void) throws {
        var json = try JSONSerialization.jsonObject(with: Data(try dir.bytes("vectorizer.json"))) as! [String: Any]
        edit(&json)
        try dir.overwrite("vectorizer.json", Array(try JSONSerialization.data(withJSONObject: json)))
    }

    @Test func wrongFormatVersionIsRefused() throws {
        let dir = ModelScratch()
        let (model, _) = try fitted()
        try model.save(to: dir.model)
        try editManifest(dir) { $0["formatVersion"] = 99 }
        let error = try #require(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
        #expect(error.description.contains("version 99"))
        #expect(error.field == "formatVersion")
        try editManifest(dir) { $0.removeValue(forKey: "formatVersion") }
        let missing = try #require(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
        #expect(missing.description.contains("version missing"))
    }

    @Test func otherManifestProblems() throws {
        let dir = ModelScratch()
        let (model, _) = try fitted()
        try model.save(to: dir.model)
        try editManifest(dir) { $0["format"] = "something.else" }
        #expect(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
        try model.save(to: dir.model)
        try editManifest(dir) { var f = $0["files"] as! [String: String]; f.removeValue(forKey: "idf.f32"); $0["files"] = f }
        let noChecksum = try #require(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
        #expect(noChecksum.description.contains("no checksum for idf.f32"))
        try model.save(to: dir.model)
        try dir.overwrite("vectorizer.json", Array("not json".utf8))
        #expect(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
    }

    @Test func missingManifest() throws {
        let dir = ModelScratch()
        let error = try #require(throws: InputError.self) { try TFIDFModel.load(from: dir.path) }
        #expect(error.description.contains("vectorizer.json"))
        #expect(error.description.contains("not found"))
        let (model, _) = try fitted()
        try model.save(to: dir.model)
        try FileManager.default.removeItem(atPath: "\(dir.model)/vectorizer.json")
        #expect(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
    }

    @Test func missingDataFile() throws {
        let dir = ModelScratch()
        let (model, _) = try fitted()
        try model.save(to: dir.model)
        try FileManager.default.removeItem(atPath: "\(dir.model)/vocabulary.tsv")
        let error = try #require(throws: InputError.self) { try TFIDFModel.load(from: dir.model) }
        #expect(error.description.contains("vocabulary.tsv"))
    }

    @Test func termsWithTabsNewlinesAndBackslashesSurvive() throws {
        let docs = ["a\tb\\c\rd", "x\ny \\t z", "\\\\n\t\\", "end\\"]
        let analyzer = try CharNGramAnalyzer(ngramMin: 1, ngramMax: 3, lowercase: false)
        let (model, x) = try TFIDFVectorizer(VectorizerConfiguration(), analyzer: .characters(analyzer)).fitTransform(docs)
        let terms = model.vocabulary!.terms
        #expect(terms.contains("\t"))
        #expect(terms.contains("\n"))
        #expect(terms.contains("\r"))
        #expect(terms.contains("\\t"))
        #expect(terms.contains("b\\c"))
        #expect(terms.contains("n\t\\"))
        let dir = ModelScratch()
        try model.save(to: dir.model)
        let lines = String(decoding: try dir.bytes("vocabulary.tsv"), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == terms.count + 1)   // one line per term, plus the final newline
        #expect(!lines.contains { $0.contains("\t") || $0.contains("\r") })
        let loaded = try TFIDFModel.load(from: dir.model)
        #expect(loaded.vocabulary?.terms == terms)
        #expect(loaded.transform(docs) == x)
    }

    @Test func escapingRoundtrip() {
        for t in ["plain", "\t", "\\", "\\t", "a\\nb", "\r\n", "x\n\\\\y", "end\\", "中\t文"] {
            let e = escapeTerm(t)
            #expect(!e.contains("\n") && !e.contains("\t") && !e.contains("\r"))
            #expect(unescapeTerm(e) == t, "\(t.debugDescription)")
        }
    }

    @Test func hashingModelRoundtrip() throws {
        let dir = ModelScratch()
        var c = VectorizerConfiguration()
        c.hashingBits = 10
        let model = try TFIDFVectorizer(c, analyzer: .microblog(TokenizerConfiguration())).fit(Self.docs)
        try model.save(to: dir.model)
        #expect(dir.files() == ["idf.f32", "vectorizer.json"])
        let loaded = try TFIDFModel.load(from: dir.model)
        #expect(loaded.vocabulary == nil)
        #expect(loaded.featureCount == 1024)
        #expect(loaded.configuration.hashingBits == 10)
        #expect(loaded.transform(Self.docs) == model.transform(Self.docs))
        #expect(loaded.transform(Self.docs).nnz > 0)
    }

    @Test func charAnalyzerSpecRoundtrip() throws {
        let dir = ModelScratch()
        let (model, x) = try fitted(analyzer: .characters(try CharNGramAnalyzer(ngramMin: 2, ngramMax: 3, lowercase: false)))
        try model.save(to: dir.model)
        let loaded = try TFIDFModel.load(from: dir.model)
        #expect(loaded.analyzerSpec == model.analyzerSpec)
        #expect(loaded.transform(Self.docs) == x)
    }

    @Test func floatsLittleEndian() throws {
        let values: [Float] = [1, -2.5, .pi, 0, .greatestFiniteMagnitude]
        let bytes = littleEndianBytes(values)
        #expect(bytes.count == 20)
        #expect(Array(bytes[0..<4]) == [0x00, 0x00, 0x80, 0x3F])
        #expect(Array(try floatsFromLittleEndian(bytes, file: "f")) == values)
        #expect(throws: InputError.self) { try floatsFromLittleEndian([1, 2, 3], file: "f") }
    }
}
