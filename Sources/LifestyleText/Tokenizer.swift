import LifestyleCore

/// Receives tokens as they are found; the buffer is valid only during the call.
public protocol TokenSink {
    mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey)
    /// Every `size`-character n-gram of `text`, in order: the same tokens as one `token` call per
    /// n-gram (the default), but a sink can take them in one tight loop.
    mutating func ngrams(of text: UnsafeBufferPointer<UInt32>, size: Int, kind: TokenKind)
}

extension TokenSink {
    @inline(__always)
    public mutating func ngrams(of text: UnsafeBufferPointer<UInt32>, size n: Int, kind: TokenKind) {
        guard n >= 1, text.count >= n, let base = text.baseAddress else { return }
        for p in 0...(text.count - n) {
            token(UnsafeBufferPointer(start: base + p, count: n), kind: kind, key: TokenKey(base + p, count: n))
        }
    }
}

/// Reusable buffers for one thread's tokenizing (no allocation per document once warm).
public struct TokenizerWorkspace: Sendable {
    var decoded = ContiguousArray<UInt32>()
    public internal(set) var normalized = ContiguousArray<UInt32>()
    public internal(set) var origins = ContiguousArray<Int32>()
    var ends: [Int32] = []
    var wordLength = ContiguousArray<UInt8>()
    var segmenter = Segmenter.Workspace()
    /// Counts accumulated over every document this workspace tokenized.
    public var counts = NormalizationCounts()
    public var repostMarkers = 0
    public var documents = 0

    public init() {}
}

/// Microblog tokenizer: normalisation, entity recognition (URLs, @mentions, #hashtags#, [表情],
/// emoji sequences, numbers, Latin words, //@repost chains), and Chinese character n-grams and/or
/// lexicon words. Immutable and `Sendable`: share one across threads, give each thread a workspace.
public struct Tokenizer: Sendable {
    public let configuration: TokenizerConfiguration
    public let normalizer: Normalizer
    public let segmenter: Segmenter?
    let stopKeys: KeySet
    let keepMask: UInt16

    /// - Parameter lexicon: words for `.words`/`.both` mode; without one those modes fall back to single characters.
    public init(_ configuration: TokenizerConfiguration = TokenizerConfiguration(), lexicon: Lexicon? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        self.normalizer = Normalizer(configuration.normalization)
        if configuration.chinese != .ngram {
            self.segmenter = Segmenter(lexicon: lexicon ?? Lexicon(entries: []))
        } else {
            self.segmenter = nil
        }
        var keys = Set<UInt64>()
        for w in configuration.stopWords {
            let norm = normalizer.normalize(w)
            if !norm.isEmpty { keys.insert(TokenKey(norm).raw) }
        }
        self.stopKeys = KeySet(keys)
        self.keepMask = configuration.keep.reduce(0) { $0 | (1 << UInt16($1.rawValue)) }
    }

    @inline(__always)
    func keeps(_ kind: TokenKind) -> Bool { keepMask & (1 << UInt16(kind.rawValue)) != 0 }

    /// Tokenizes UTF-8 bytes (invalid sequences are replaced and counted).
    public func tokenize<S: TokenSink>(utf8 bytes: UnsafeBufferPointer<UInt8>, workspace ws: inout TokenizerWorkspace, into sink: inout S) {
        ws.decoded.removeAll(keepingCapacity: true)
        ws.counts.invalidUTF8 += UTF8Decoding.decode(bytes, into: &ws.decoded)
        var decoded = ContiguousArray<UInt32>()
        swap(&decoded, &ws.decoded)
        decoded.withUnsafeBufferPointer { tokenize(scalars: $0, workspace: &ws, into: &sink) }
        swap(&decoded, &ws.decoded)
    }

    /// Tokenizes a `String`.
    public func tokenize<S: TokenSink>(_ text: String, workspace ws: inout TokenizerWorkspace, into sink: inout S) {
        var text = text
        text.withUTF8 { tokenize(utf8: $0, workspace: &ws, into: &sink) }
    }

    /// Tokenizes code points (already decoded).
    public func tokenize<S: TokenSink>(scalars: UnsafeBufferPointer<UInt32>, workspace ws: inout TokenizerWorkspace, into sink: inout S) {
        ws.documents += 1
        var normalized = ContiguousArray<UInt32>()
        var origins = ContiguousArray<Int32>()
        swap(&normalized, &ws.normalized)
        swap(&origins, &ws.origins)
        normalizer.normalize(scalars, into: &normalized, origins: &origins, counts: &ws.counts)
        normalized.withUnsafeBufferPointer { s in
            scan(s, range: 0..<s.count, allowHashtags: true, workspace: &ws, into: &sink)
        }
        swap(&normalized, &ws.normalized)
        swap(&origins, &ws.origins)
    }

    /// Tokens of `text` as strings with their kinds (inspection, tests; not the hot path).
    public func tokens(_ text: String) -> [(text: String, kind: TokenKind)] {
        var ws = TokenizerWorkspace()
        var sink = CollectingSink()
        tokenize(text, workspace: &ws, into: &sink)
        return sink.tokens
    }

    /// The Han runs of `text` after normalisation (input for word discovery).
    public func chineseRuns<S: TokenSinkForRuns>(_ bytes: UnsafeBufferPointer<UInt8>, workspace ws: inout TokenizerWorkspace, into sink: inout S) {
        ws.decoded.removeAll(keepingCapacity: true)
        ws.counts.invalidUTF8 += UTF8Decoding.decode(bytes, into: &ws.decoded)
        var decoded = ContiguousArray<UInt32>()
        var normalized = ContiguousArray<UInt32>()
        var origins = ContiguousArray<Int32>()
        swap(&decoded, &ws.decoded)
        swap(&normalized, &ws.normalized)
        swap(&origins, &ws.origins)
        decoded.withUnsafeBufferPointer { normalizer.normalize($0, into: &normalized, origins: &origins, counts: &ws.counts) }
        normalized.withUnsafeBufferPointer { s in
            var i = 0
            while i < s.count {
                guard CharacterClass.isHan(s[i]) else { i += 1; continue }
                var j = i + 1
                while j < s.count && CharacterClass.isHan(s[j]) { j += 1 }
                sink.run(UnsafeBufferPointer(rebasing: s[i..<j]))
                i = j
            }
        }
        swap(&decoded, &ws.decoded)
        swap(&normalized, &ws.normalized)
        swap(&origins, &ws.origins)
    }
}

/// Receives runs of Han code points.
public protocol TokenSinkForRuns {
    mutating func run(_ scalars: UnsafeBufferPointer<UInt32>)
}

/// Collects tokens as strings.
public struct CollectingSink: TokenSink {
    public var tokens: [(text: String, kind: TokenKind)] = []
    public init() {}
    public mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey) {
        tokens.append((UTF8Decoding.string(scalars), kind))
    }
}

extension Tokenizer {
    /// The normalised Han runs of every document (the input of word discovery).
    public func chineseRuns(of texts: [String]) -> [[UInt32]] {
        struct Collect: TokenSinkForRuns {
            var runs: [[UInt32]] = []
            mutating func run(_ scalars: UnsafeBufferPointer<UInt32>) { runs.append(Array(scalars)) }
        }
        var ws = TokenizerWorkspace()
        var sink = Collect()
        for t in texts {
            var t = t
            t.withUTF8 { chineseRuns($0, workspace: &ws, into: &sink) }
        }
        return sink.runs
    }
}
