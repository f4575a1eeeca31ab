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
        // One fused pass: decode UTF-8, lower-case, fold white-space runs, into a temporary buffer
        // (a document never has more code points than bytes).
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: bytes.count + 1) { text in
            var invalid = 0
            let len = CharNGramAnalyzer.prepare(bytes, into: text.baseAddress!, lowercase: lowercase, invalid: &invalid)
            ws.counts.invalidUTF8 += invalid
            let prepared = UnsafeBufferPointer(start: text.baseAddress!, count: len)
            for n in ngramMin...max(ngramMin, min(ngramMax, len)) where n <= len {
                sink.ngrams(of: prepared, size: n, kind: .chinese)
            }
        }
    }

    /// Decodes `bytes` into `out` applying scikit-learn's preprocessing; returns the length.
    static func prepare(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt32>, lowercase: Bool, invalid: inout Int) -> Int {
        let table = FoldTable.shared
        return table.lower.withUnsafeBufferPointer { lower in
            var len = 0
            var spaceRun = 0
            @inline(__always) func put(_ c: UInt32) {
                if CharacterClass.isWhitespace(c) {
                    spaceRun += 1
                    // A run of two or more white-space characters becomes one space.
                    if spaceRun == 2 { out[len - 1] = 0x20 }
                    if spaceRun >= 2 { return }
                } else {
                    spaceRun = 0
                }
                out[len] = c
                len += 1
            }
            var i = 0
            let n = bytes.count
            while i < n {
                let b0 = bytes[i]
                if b0 < 0x80 {
                    let c = UInt32(b0)
                    put(lowercase && c &- 0x41 < 26 ? c | 0x20 : c)
                    i += 1
                    continue
                }
                // Well-formed 3-byte sequences (all of CJK) decode inline; anything else goes
                // through the validating decoder.
                if (b0 >= 0xE1 && b0 <= 0xEC || b0 >= 0xEE) && b0 <= 0xEF && i + 2 < n
                    && bytes[i + 1] & 0xC0 == 0x80 && bytes[i + 2] & 0xC0 == 0x80 {
                    let c = (UInt32(b0) & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | (UInt32(bytes[i + 2]) & 0x3F)
                    let l = lowercase ? lower[Int(c)] : c
                    if l != FoldTable.expansionMarker { put(l) } else { for x in table.lowerExpansions[c]! { put(x) } }
                    i += 3
                    continue
                }
                var end = i + 1
                while end < n && bytes[end] & 0xC0 == 0x80 && end - i < 4 { end += 1 }
                var scalars = ContiguousArray<UInt32>()
                invalid += UTF8Decoding.decode(UnsafeBufferPointer(rebasing: bytes[i..<end]), into: &scalars)
                for c in scalars {
                    if !lowercase {
                        put(c)
                    } else if c < 0x10000 {
                        let l = lower[Int(c)]
                        if l == FoldTable.expansionMarker { for x in table.lowerExpansions[c]! { put(x) } } else { put(l) }
                    } else if let l = table.lowerSupplementary(c) {
                        for x in l { put(x) }
                    } else {
                        put(c)
                    }
                }
                i = end
            }
            return len
        }
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
