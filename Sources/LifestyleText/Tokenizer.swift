import LifestyleCore

/// Receives tokens as they are found; the buffer is valid only during the call.
public protocol TokenSink {
    mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey)
    /// Every `size`-character n-gram of `text`, in order: the same tokens as one `token` call per
    /// n-gram (the default), but a sink can take them in one tight loop.
    mutating func ngrams(of text: UnsafeBufferPointer<UInt32>, size: Int, kind: TokenKind)
    /// Offered every run of Han characters before the tokenizer splits it: a sink that can count
    /// the run's tokens itself (`ChineseRunShortcut`) does so and returns true; the default
    /// returns false and receives the run's tokens one by one.
    mutating func hanRun(_ run: UnsafeBufferPointer<UInt32>, tokenizer: Tokenizer) -> Bool
}

extension TokenSink {
    @inline(__always)
    public mutating func hanRun(_ run: UnsafeBufferPointer<UInt32>, tokenizer: Tokenizer) -> Bool { false }

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

    /// True when a token with this key is dropped as a stop word.
    @inline(__always)
    public func isStopKey(_ raw: UInt64) -> Bool { stopKeys.contains(raw) }

    /// What a Han run yields in `.both` mode with n-grams `1...n`, n ≤ 2, which a counting sink
    /// can take without the per-token pass: every n-gram of the run that is no stop word, plus
    /// the run's segmentation words longer than n that are no stop word. (An n-gram is skipped
    /// where a word of the same length starts, but then that word — the same key, under the same
    /// stop filter — stands in for it.) Nil for other configurations.
    public var chineseRunShortcut: ChineseRunShortcut? {
        guard configuration.chinese == .both, let segmenter, configuration.ngramMin == 1, configuration.ngramMax <= 2 else { return nil }
        return ChineseRunShortcut(ngramMax: configuration.ngramMax, segmenter: segmenter)
    }

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

/// See `Tokenizer.chineseRunShortcut`.
public struct ChineseRunShortcut: Sendable {
    /// N-grams of 1 ... `ngramMax` characters; words longer than that come from segmentation.
    public let ngramMax: Int
    public let segmenter: Segmenter
    /// The packed first `ngramMax + 1` characters of every word the segmenter can choose (a
    /// positive probability) that is longer than `ngramMax`: a run where none of these starts
    /// holds no long word, and needs no segmentation.
    let longWordStarts: KeySet

    init(ngramMax: Int, segmenter: Segmenter) {
        self.ngramMax = ngramMax
        self.segmenter = segmenter
        let lexicon = segmenter.lexicon
        var starts = Set<UInt64>()
        lexicon.codePoints.withUnsafeBufferPointer { cps in
            for r in lexicon.records where r.word >= 0 && Int(r.length) > ngramMax && r.logProbability > -.infinity {
                starts.insert(TokenKey(cps.baseAddress! + Int(r.start), count: ngramMax + 1).raw)
            }
        }
        longWordStarts = KeySet(starts)
    }

    /// True when a word longer than `ngramMax` may start somewhere in `run`.
    @inline(__always)
    public func mayHoldLongWords(_ run: UnsafeBufferPointer<UInt32>) -> Bool {
        let m = ngramMax + 1
        guard run.count >= m, let base = run.baseAddress else { return false }
        for p in 0...(run.count - m) where longWordStarts.contains(TokenKey(base + p, count: m).raw) { return true }
        return false
    }
}
