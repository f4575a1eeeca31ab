import Foundation
import LifestyleCore
import LifestyleText

/// The version of the on-disk vectorizer format; loading refuses any other.
public let vectorizerFormatVersion = 1
public let lifestyleToolVersion = "0.1.0"

/// `vectorizer.json`: every parameter, the fit summary and the SHA-256 of each other file.
struct VectorizerManifest: Codable {
    var format = "lifestyle.tfidf"
    var formatVersion = vectorizerFormatVersion
    var toolVersion = lifestyleToolVersion
    var configuration: VectorizerConfiguration
    var analyzer: AnalyzerSpec
    var features: Int
    var summary: FitSummary
    /// File name → SHA-256 (hex).
    var files: [String: String]
}

extension TFIDFModel {
    static let manifestName = "vectorizer.json"
    static let vocabularyName = "vocabulary.tsv"
    static let idfName = "idf.f32"
    static let lexiconName = "lexicon.tsv"

    /// Writes the model into `directory`: `vectorizer.json`, `vocabulary.tsv` (one escaped term a
    /// line, in column order), `idf.f32` (little-endian float32), and `lexicon.tsv` when words are
    /// segmented. Each file is written atomically; the manifest, written last, names their checksums.
    /// Only kept terms are written: nothing that was pruned reaches the disk.
    public func save(to directory: String) throws {
        try AtomicFile.createDirectories(directory)
        var files: [String: String] = [:]
        func put(_ name: String, _ bytes: [UInt8]) throws {
            try AtomicFile.write(bytes, to: "\(directory)/\(name)")
            files[name] = SHA256.hex(bytes)
        }
        if let vocabulary {
            var text = ""
            for i in 0..<vocabulary.count {
                text += escapeTerm(vocabulary.term(at: i))
                text += "\n"
            }
            try put(Self.vocabularyName, Array(text.utf8))
        }
        try put(Self.idfName, littleEndianBytes(idf))
        if let lexicon, analyzerSpec.usesLexicon {
            try put(Self.lexiconName, Array(lexicon.tsv().utf8))
        }
        let manifest = VectorizerManifest(configuration: configuration, analyzer: analyzerSpec, features: featureCount,
                                          summary: summary, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(manifest)) + [0x0A], to: "\(directory)/\(Self.manifestName)")
    }

    /// Loads a model saved by `save(to:)`, refusing a wrong format version or a file whose
    /// checksum does not match the manifest.
    ///
    /// - Parameter verifiedBytes: the files' bytes by name when a caller has already read and
    ///   verified them (a model directory checks every file once at open); the vectorizer's
    ///   own checksums are then not computed a second time.
    public static func load(from directory: String, verifiedBytes: ((String) throws -> [UInt8])? = nil) throws -> TFIDFModel {
        let manifestPath = "\(directory)/\(manifestName)"
        let manifestBytes: [UInt8]
        if let verifiedBytes {
            manifestBytes = try verifiedBytes(manifestName)
        } else {
            guard AtomicFile.exists(manifestPath) else {
                throw InputError(file: manifestPath, reason: "not found: is \(directory) a vectorizer directory?")
            }
            manifestBytes = try AtomicFile.read(manifestPath)
        }
        struct Header: Decodable { var format: String?; var formatVersion: Int? }
        let header = try? JSONDecoder().decode(Header.self, from: Data(manifestBytes))
        guard let header, header.format == "lifestyle.tfidf" else {
            throw InputError(file: manifestPath, reason: "not a Lifestyle vectorizer manifest")
        }
        guard header.formatVersion == vectorizerFormatVersion else {
            throw InputError(file: manifestPath, field: "formatVersion",
                             reason: "version \(header.formatVersion.map(String.init) ?? "missing") is not supported (this build reads version \(vectorizerFormatVersion))")
        }
        let manifest: VectorizerManifest
        do {
            manifest = try JSONDecoder().decode(VectorizerManifest.self, from: Data(manifestBytes))
        } catch {
            throw InputError(file: manifestPath, decoding: error, context: "invalid manifest")
        }
        func verified(_ name: String) throws -> [UInt8] {
            let path = "\(directory)/\(name)"
            guard let expected = manifest.files[name] else { throw InputError(file: manifestPath, field: "files", reason: "no checksum for \(name)") }
            if let verifiedBytes { return try verifiedBytes(name) }
            let bytes = try AtomicFile.read(path)
            let actual = SHA256.hex(bytes)
            guard actual == expected else {
                throw InputError(file: path, reason: "checksum mismatch (SHA-256 \(actual.prefix(12))…, manifest says \(expected.prefix(12))…): the file is corrupt or was modified; refusing to load")
            }
            return bytes
        }
        let idf = try floatsFromLittleEndian(verified(idfName), file: "\(directory)/\(idfName)")
        guard idf.count == manifest.features else {
            throw InputError(file: "\(directory)/\(idfName)", reason: "holds \(idf.count) values, manifest says \(manifest.features)")
        }
        var vocabulary: Vocabulary?
        if manifest.configuration.hashingBits == nil {
            let text = String(decoding: try verified(vocabularyName), as: UTF8.self)
            var terms = text.split(separator: "\n", omittingEmptySubsequences: false).map { unescapeTerm(String($0)) }
            if terms.last == "" { terms.removeLast() }
            guard terms.count == manifest.features else {
                throw InputError(file: "\(directory)/\(vocabularyName)", reason: "holds \(terms.count) terms, manifest says \(manifest.features)")
            }
            vocabulary = Vocabulary(terms: terms)
        }
        var lexicon: Lexicon?
        if manifest.analyzer.usesLexicon, manifest.files[lexiconName] != nil {
            let text = String(decoding: try verified(lexiconName), as: UTF8.self)
            lexicon = try Lexicon(tsv: text, file: "\(directory)/\(lexiconName)")
        }
        return try TFIDFModel(configuration: manifest.configuration, analyzerSpec: manifest.analyzer, lexicon: lexicon,
                              vocabulary: vocabulary, idf: idf, summary: manifest.summary)
    }
}

/// Backslash-escapes tab, newline, carriage return and backslash so a term fits on one line.
func escapeTerm(_ t: String) -> String {
    guard t.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\\" || $0 == "\r\n" }) else { return t }
    var out = ""
    for u in t.unicodeScalars {
        switch u {
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\\": out += "\\\\"
        default: out.unicodeScalars.append(u)
        }
    }
    return out
}

func unescapeTerm(_ t: String) -> String {
    guard t.utf8.contains(UInt8(ascii: "\\")) else { return t }  // (String.contains(String) goes through NSString)
    var out = ""
    var escaping = false
    for u in t.unicodeScalars {
        if escaping {
            switch u {
            case "t": out += "\t"
            case "n": out += "\n"
            case "r": out += "\r"
            default: out.unicodeScalars.append(u)
            }
            escaping = false
        } else if u == "\\" {
            escaping = true
        } else {
            out.unicodeScalars.append(u)
        }
    }
    return out
}

/// Float32 values as little-endian bytes (the on-disk layout on every host).
public func littleEndianBytes<C: Collection>(_ values: C) -> [UInt8] where C.Element == Float {
    var out = [UInt8]()
    out.reserveCapacity(values.count * 4)
    for v in values {
        let b = v.bitPattern.littleEndian
        withUnsafeBytes(of: b) { out.append(contentsOf: $0) }
    }
    return out
}

public func floatsFromLittleEndian(_ bytes: [UInt8], file: String) throws -> ContiguousArray<Float> {
    guard bytes.count % 4 == 0 else { throw InputError(file: file, reason: "size \(bytes.count) is not a multiple of 4 bytes") }
    var out = ContiguousArray<Float>()
    out.reserveCapacity(bytes.count / 4)
    var i = 0
    while i < bytes.count {
        let u = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        out.append(Float(bitPattern: u))
        i += 4
    }
    return out
}
