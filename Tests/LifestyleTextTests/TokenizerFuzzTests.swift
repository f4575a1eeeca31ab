import Testing
@testable import LifestyleCore
@testable import LifestyleText

/// SplitMix64: small, fast, and the same sequence on every platform.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random microblog-ish inputs: raw bytes (often invalid UTF-8) or scalars from interesting ranges.
struct InputGenerator {
    var rng: SplitMix64

    static let ranges: [ClosedRange<UInt32>] = [
        0x4E00...0x9FFF,        // Han
        0x4E00...0x4E20,        // a few Han, so runs repeat and words match
        0x3400...0x4DBF,        // extension A
        0x20000...0x2A6DF,      // extension B (astral Han)
        0xF900...0xFAFF,        // compatibility ideographs
        0x2F00...0x2FD5,        // Kangxi radicals
        0x1F300...0x1FAFF,      // emoji
        0x1F1E6...0x1F1FF,      // regional indicators
        0x1F3FB...0x1F3FF,      // skin tones
        0x200B...0x200F,        // zero-width, ZWJ, marks
        0xFE00...0xFE0F,        // variation selectors
        0xE0020...0xE007F,      // tags
        0x0300...0x036F,        // combining marks
        0x0000...0x001F,        // C0 controls
        0x007F...0x009F,        // DEL, C1 controls
        0x0000...0xD7FF,        // BMP below surrogates
        0xE000...0xFFFF,        // BMP above surrogates
        0x10000...0x10FFFF,     // astral
        0xFF01...0xFF5E,        // full width ASCII
        0x3040...0x30FF,        // kana
        0xAC00...0xD7A3,        // hangul
        0x0400...0x04FF,        // Cyrillic
        0x2600...0x27BF,        // misc symbols, dingbats
    ]
    static let structure: [UInt32] = Array("#@[]/:.,%'-_ \n\t\r0123456789abcxyzABC".unicodeScalars.map(\.value))
        + [0x200D, 0xFE0F, 0x20E3, 0x1F3F4, 0x3000, 0xA0, 0xFEFF, 0xAD]
    static let structureBytes: [UInt8] = Array("#@[]/:h w.1a哈".utf8)
    static let pieces: [String] = ["http://", "https://", "www.", "//@", "#", "@", "[哈哈]", "👨\u{200D}👩\u{200D}👧", "1\u{FE0F}\u{20E3}", "🇨🇳", "健身房", "哈哈哈哈"]

    mutating func scalar() -> UInt32 {
        switch rng.next() % 4 {
        case 0: return Self.structure[Int(rng.next() % UInt64(Self.structure.count))]
        default:
            let r = Self.ranges[Int(rng.next() % UInt64(Self.ranges.count))]
            var v = UInt32.random(in: r, using: &rng)
            if (0xD800...0xDFFF).contains(v) { v = 0xFFFD }
            return v
        }
    }

    /// UTF-8 bytes of one input: a third raw random bytes, the rest scalars and pieces.
    mutating func input() -> [UInt8] {
        let length = Int(rng.next() % 33)
        if rng.next() % 3 == 0 {
            var bytes: [UInt8] = []
            for _ in 0..<length {
                switch rng.next() % 3 {
                case 0: bytes.append(UInt8(truncatingIfNeeded: rng.next()))                                   // anything
                case 1: bytes.append(UInt8(0x80 | (rng.next() & 0x7F)))                                      // high bytes
                default: bytes.append(Self.structureBytes[Int(rng.next() % UInt64(Self.structureBytes.count))])  // structure, split Han
                }
            }
            return bytes
        }
        var s = String.UnicodeScalarView()
        var n = 0
        while n < length {
            if rng.next() % 8 == 0 {
                let p = Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))]
                s.append(contentsOf: p.unicodeScalars)
                n += p.unicodeScalars.count
            } else {
                s.append(Unicode.Scalar(scalar())!)
                n += 1
            }
        }
        return Array(String(s).utf8)
    }
}

@Suite struct TokenizerFuzzTests {
    static let lexicon = Lexicon(entries: [
        .init(word: "健身", frequency: 100), .init(word: "健身房", frequency: 50), .init(word: "撸铁", frequency: 30),
        .init(word: "一丁", frequency: 20), .init(word: "丁七万", frequency: 10), .init(word: "𠀀𠀁", frequency: 5),
    ])

    static func tokenizers() throws -> [Tokenizer] {
        var out: [Tokenizer] = []
        for mode in ChineseMode.allCases {
            var a = TokenizerConfiguration()
            a.chinese = mode
            out.append(try Tokenizer(a, lexicon: lexicon))
            var b = TokenizerConfiguration()
            b.chinese = mode
            b.keep = Set(TokenKind.allCases)
            b.ngramMin = 2
            b.ngramMax = 4
            b.reposts = .dropReposted
            b.hashtagContent = false
            b.stopWords = []
            b.normalization.traditionalToSimplified = true
            out.append(try Tokenizer(b, lexicon: lexicon))
            var c = TokenizerConfiguration()
            c.chinese = mode
            c.keep = [.chinese, .emoji]
            c.normalization = .none
            out.append(try Tokenizer(c, lexicon: lexicon))
        }
        return out
    }

    typealias Token = (scalars: [UInt32], kind: TokenKind, key: TokenKey)

    func run(_ analyzer: Analyzer, _ bytes: [UInt8], _ ws: inout TokenizerWorkspace) -> [Token] {
        var sink = RecordingSink()
        bytes.withUnsafeBufferPointer { analyzer.analyze(utf8: $0, workspace: &ws, into: &sink) }
        return sink.items
    }

    @Test func randomInputsKeepTheInvariants() throws {
        let tokenizers = try Self.tokenizers()
        let analyzers: [Analyzer] = tokenizers.map { .microblog($0) } + [
            .characters(try CharNGramAnalyzer(ngramMin: 1, ngramMax: 3)),
            .characters(try CharNGramAnalyzer(ngramMin: 2, ngramMax: 5, lowercase: false)),
        ]
        var generator = InputGenerator(rng: SplitMix64(seed: 0x5EED_CAFE))
        var shared = TokenizerWorkspace()
        var failures = 0
        var tokenCount = 0
        let inputs = 100_000
        for k in 0..<inputs {
            let bytes = generator.input()
            let analyzer = analyzers[k % analyzers.count]
            let first = run(analyzer, bytes, &shared)
            // Every third input again on a fresh workspace: the output must not depend on workspace state.
            var fresh = TokenizerWorkspace()
            let second = k % 3 == 0 ? run(analyzer, bytes, &fresh) : first
            tokenCount += first.count
            var problem: String?
            if first.count != second.count || zip(first, second).contains(where: { $0.scalars != $1.scalars || $0.kind != $1.kind || $0.key != $1.key }) {
                problem = "output differs between runs"
            }
            for t in first where problem == nil {
                if t.scalars.isEmpty { problem = "empty token"; break }
                if t.scalars.contains(where: { Unicode.Scalar($0) == nil }) { problem = "invalid scalar in \(t.scalars)"; break }
                if t.key != t.scalars.withUnsafeBufferPointer({ TokenKey($0) }) { problem = "key mismatch for \(t.scalars)"; break }
                switch analyzer {
                case .microblog(let tk):
                    let c = tk.configuration
                    if !c.keep.contains(t.kind) { problem = "kind \(t.kind) not kept"; break }
                    if t.kind == .chinese {
                        if !t.scalars.allSatisfy(CharacterClass.isHan) { problem = "non-Han chinese token \(t.scalars)"; break }
                        if c.chinese == .ngram && !(c.ngramMin...c.ngramMax).contains(t.scalars.count) { problem = "n-gram length \(t.scalars.count)"; break }
                    }
                    if t.kind == .hashtag && (t.scalars.first != 0x23 || t.scalars.last != 0x23 || t.scalars.count < 3) { problem = "bad hashtag \(t.scalars)"; break }
                    if t.kind == .mention && (t.scalars.first != 0x40 || t.scalars.count < 2) { problem = "bad mention \(t.scalars)"; break }
                case .characters(let a):
                    if t.kind != .chinese || !(a.ngramMin...a.ngramMax).contains(t.scalars.count) { problem = "bad char n-gram \(t.scalars)"; break }
                }
            }
            // (Cherokee capitals are excluded here: see CharNGramAnalyzerTests.cherokeeCapitalsAreLowerCased.)
            if problem == nil, case .characters(let a) = analyzer, !Self.hasCherokeeCapital(bytes),
               first.map(\.scalars) != Self.referenceCharGrams(bytes, a) {
                problem = "char n-grams differ from the reference implementation"
            }
            if let problem {
                failures += 1
                if failures <= 5 { Issue.record("input #\(k) \(bytes): \(problem)") }
            }
        }
        #expect(failures == 0)
        #expect(tokenCount > inputs)          // the generator does produce tokens
        #expect(shared.documents == inputs)
        #expect(shared.counts.invalidUTF8 > 1000)
    }

    static func hasCherokeeCapital(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.contains { (0x13A0...0x13F5).contains($0.value) }
    }

    /// scikit-learn's char analyzer written the obvious way: decode, lower-case, fold white-space runs, slide.
    static func referenceCharGrams(_ bytes: [UInt8], _ a: CharNGramAnalyzer) -> [[UInt32]] {
        var text: [UInt32] = []
        for u in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let mapped = a.lowercase ? u.properties.lowercaseMapping.unicodeScalars.map(\.value) : [u.value]
            text.append(contentsOf: mapped)
        }
        var folded: [UInt32] = []
        var i = 0
        while i < text.count {
            if CharacterClass.isWhitespace(text[i]) {
                var j = i + 1
                while j < text.count && CharacterClass.isWhitespace(text[j]) { j += 1 }
                folded.append(j - i >= 2 ? 0x20 : text[i])
                i = j
            } else {
                folded.append(text[i])
                i += 1
            }
        }
        var out: [[UInt32]] = []
        for n in a.ngramMin...a.ngramMax where n <= folded.count {
            for p in 0...(folded.count - n) { out.append(Array(folded[p..<(p + n)])) }
        }
        return out
    }

    @Test func charGramsMatchTheReferenceOnTrickyInput() throws {
        let a = try CharNGramAnalyzer(ngramMin: 1, ngramMax: 2)
        for text in ["İSTANBUL  Straße", "A\u{3000}\u{3000}B\t\nC", "ΟΔΟΣ 😀😀", "\u{85}\u{85}x", "ǅ\u{10400}"] {
            var ws = TokenizerWorkspace()
            var sink = RecordingSink()
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { a.analyze(utf8: $0, workspace: &ws, into: &sink) }
            #expect(sink.items.map(\.scalars) == Self.referenceCharGrams(bytes, a), "\(text)")
        }
    }

    @Test func fiveMegabytePostFinishes() throws {
        var text = ""
        text.reserveCapacity(5 << 20)
        let pieces = ["今天去健身房撸铁，", "#健身打卡#", "@小明 ", "https://t.cn/abc ", "iPhone15 ", "3.14 ", "👨\u{200D}👩\u{200D}👧", "[哈哈]", "哈哈哈哈", "//@小红:"]
        var i = 0
        while text.utf8.count < 5 << 20 {
            text += pieces[i % pieces.count]
            i += 1
        }
        struct Counter: TokenSink {
            var count = 0
            var scalars = 0
            mutating func token(_ s: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey) { count += 1; scalars += s.count }
        }
        let tokenizer = try Tokenizer()
        var ws = TokenizerWorkspace()
        var sink = Counter()
        tokenizer.tokenize(text, workspace: &ws, into: &sink)
        #expect(sink.count > 500_000)
        #expect(ws.documents == 1)
        #expect(ws.repostMarkers == i / pieces.count)
    }
}

/// The scanner's table of character classes says what the Unicode properties say, for every
/// code point of the Basic Multilingual Plane.
@Suite struct CharacterClassTableTests {
    @Test func tableAgreesWithTheProperties() {
        var disagreements: [UInt32] = []
        for c in UInt32(0) ..< 0x10000 {
            let emoji = c >= 0xA9 && !(c >= 0x1F000 && c <= 0x1FAFF) && !(c >= 0x2600 && c <= 0x27BF)
                ? CharacterClass.emojiBaseProperty(c) : CharacterClass.isEmojiBase(c)
            let letter = c < 0x80 ? CharacterClass.isASCIILetter(c) : (!CharacterClass.isHan(c) && CharacterClass.otherLetterProperty(c))
            if CharacterClass.isEmojiBase(c) != emoji || CharacterClass.isOtherLetter(c) != letter { disagreements.append(c) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        #expect(CharacterClass.isEmojiBase(0x3030) && !CharacterClass.isEmojiBase(0x3002))
        #expect(CharacterClass.isOtherLetter(0x3042) && !CharacterClass.isOtherLetter(0x3002))  // あ, 。
    }
}
