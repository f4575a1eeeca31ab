import LifestyleCore

/// scikit-learn's `analyzer='char'`: lower-case (`str.lower`), runs of two or more white-space
/// characters replaced by one space, then every character n-gram, white space and punctuation
/// included. With the same documents it yields exactly `TfidfVectorizer(analyzer='char')`'s terms;
/// used for equivalence tests and like-for-like benchmarks. (Python's final-sigma rule is not applied.)
public struct CharNGramAnalyzer: Sendable, Equatable, Codable {
    public var ngramMin: Int
    public var ngramMax: Int
    public var lowercase: Bool

    public init(ngramMin: Int = 1, ngramMax: Int = 2, lowercase: Bool = true) throws {
        guard ngramMin >= 1 else { throw ConfigurationError("ngramMin=\(ngramMin) should be >= 1") }
        guard ngramMax >= ngramMin else { throw ConfigurationError("ngramMax=\(ngramMax) should be >= ngramMin=\(ngramMin)") }
        self.ngramMin = ngramMin
        self.ngramMax = ngramMax
        self.lowercase = lowercase
    }

    public func analyze<S: TokenSink>(utf8 bytes: UnsafeBufferPointer<UInt8>, workspace ws: inout TokenizerWorkspace, into sink: inout S) {
        ws.documents += 1
        ws.decoded.removeAll(keepingCapacity: true)
        ws.counts.invalidUTF8 += UTF8Decoding.decode(bytes, into: &ws.decoded)
        var text = ContiguousArray<UInt32>()
        swap(&text, &ws.normalized)
        text.removeAll(keepingCapacity: true)
        let table = FoldTable.shared
        ws.decoded.withUnsafeBufferPointer { d in
            var i = 0
            while i < d.count {
                let c = d[i]
                if CharacterClass.isWhitespace(c) {
                    var j = i + 1
                    while j < d.count && CharacterClass.isWhitespace(d[j]) { j += 1 }
                    text.append(j - i >= 2 ? 0x20 : c)
                    i = j
                    continue
                }
                if lowercase {
                    if c < 0x80 {
                        text.append(c &- 0x41 < 26 ? c | 0x20 : c)
                    } else if c < 0x10000 {
                        let l = table.lower[Int(c)]
                        if l == FoldTable.expansionMarker { text.append(contentsOf: table.lowerExpansions[c]!) } else { text.append(l) }
                    } else if let l = table.lowerSupplementary(c) {
                        text.append(contentsOf: l)
                    } else {
                        text.append(c)
                    }
                } else {
                    text.append(c)
                }
                i += 1
            }
        }
        text.withUnsafeBufferPointer { t in
            guard let base = t.baseAddress else { return }
            let len = t.count
            var n = ngramMin
            while n <= min(ngramMax, len) {
                if n == 1 {
                    for p in 0..<len { sink.token(UnsafeBufferPointer(start: base + p, count: 1), kind: .chinese, key: .unigram(base[p])) }
                } else if n == 2 {
                    for p in 0..<(len - 1) { sink.token(UnsafeBufferPointer(start: base + p, count: 2), kind: .chinese, key: .bigram(base[p], base[p + 1])) }
                } else {
                    for p in 0...(len - n) { sink.token(UnsafeBufferPointer(start: base + p, count: n), kind: .chinese, key: TokenKey(base + p, count: n)) }
                }
                n += 1
            }
        }
        swap(&text, &ws.normalized)
    }
}

/// Turns a document into tokens: the microblog tokenizer, or scikit-learn-compatible character n-grams.
public enum Analyzer: Sendable {
    case microblog(Tokenizer)
    case characters(CharNGramAnalyzer)

    @inline(__always)
    public func analyze<S: TokenSink>(utf8 bytes: UnsafeBufferPointer<UInt8>, workspace ws: inout TokenizerWorkspace, into sink: inout S) {
        switch self {
        case .microblog(let t): t.tokenize(utf8: bytes, workspace: &ws, into: &sink)
        case .characters(let a): a.analyze(utf8: bytes, workspace: &ws, into: &sink)
        }
    }
}
