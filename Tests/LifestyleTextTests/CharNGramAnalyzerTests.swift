import Testing
@testable import LifestyleCore
@testable import LifestyleText

@Suite struct CharNGramAnalyzerTests {
    func grams(_ text: String, _ lo: Int = 1, _ hi: Int = 1, lowercase: Bool = true) throws -> [String] {
        try grams(bytes: Array(text.utf8), lo, hi, lowercase: lowercase).0
    }

    func grams(bytes: [UInt8], _ lo: Int = 1, _ hi: Int = 1, lowercase: Bool = true) throws -> ([String], TokenizerWorkspace) {
        let a = try CharNGramAnalyzer(ngramMin: lo, ngramMax: hi, lowercase: lowercase)
        var ws = TokenizerWorkspace()
        var sink = RecordingSink()
        bytes.withUnsafeBufferPointer { a.analyze(utf8: $0, workspace: &ws, into: &sink) }
        for item in sink.items {
            #expect(item.kind == .chinese)
            #expect((lo...hi).contains(item.scalars.count))
            #expect(item.key == item.scalars.withUnsafeBufferPointer { TokenKey($0) })
        }
        return (sink.items.map { UTF8Decoding.string($0.scalars) }, ws)
    }

    @Test(arguments: [
        ("a  b", ["a", " ", "b"]),                    // two spaces → one
        ("a\tb", ["a", "\t", "b"]),                   // a single tab stays a tab
        ("a\nb", ["a", "\n", "b"]),
        ("a \t\n b", ["a", " ", "b"]),                // any run of ≥ 2 → one space
        ("a\t\tb", ["a", " ", "b"]),
        ("a\u{3000}\u{3000}b", ["a", " ", "b"]),      // Unicode white space counts
        ("a\u{3000}b", ["a", "\u{3000}", "b"]),
        (" a ", [" ", "a", " "]),                     // no stripping
        ("  ", [" "]),
    ])
    func whiteSpaceRuleLikeScikitLearn(text: String, expected: [String]) throws {
        #expect(try grams(text) == expected)
    }

    @Test func lowercaseOnly() throws {
        #expect(try grams("AbÇ ＡΣ") == ["a", "b", "ç", " ", "ａ", "σ"])   // no NFKC, no final-sigma rule
        #expect(try grams("Ab", lowercase: false) == ["A", "b"])
        #expect(try grams("İ") == ["i", "\u{307}"])
    }

    @Test
    func cherokeeCapitalsAreLowerCased() throws {
        #expect(try grams("\u{13A0}\u{13F5}") == ["\u{AB70}", "\u{13FD}"])
        #expect(Normalizer().normalize("\u{13A0}") == "\u{AB70}")
    }

    @Test func noOtherNormalisation() throws {
        #expect(try grams("哈哈哈①\u{200B}") == ["哈", "哈", "哈", "①", "\u{200B}"])
    }

    @Test(arguments: [
        ("abc", 1, 2, ["a", "b", "c", "ab", "bc"]),
        ("abcd", 2, 3, ["ab", "bc", "cd", "abc", "bcd"]),
        ("abcd", 4, 6, ["abcd"]),
        ("ab", 3, 3, [String]()),
        ("", 1, 3, [String]()),
        ("健身 房", 2, 2, ["健身", "身 ", " 房"]),
        ("a  b", 1, 3, ["a", " ", "b", "a ", " b", "a b"]),
    ])
    func ngramRanges(text: String, lo: Int, hi: Int, expected: [String]) throws {
        #expect(try grams(text, lo, hi) == expected)
    }

    @Test func invalidUTF8IsReplacedAndCounted() throws {
        let (g, ws) = try grams(bytes: [0x61, 0xFF, 0x62])
        #expect(g == ["a", "\u{FFFD}", "b"])
        #expect(ws.counts.invalidUTF8 == 1)
        #expect(ws.documents == 1)
    }

    @Test func invalidConfiguration() {
        #expect(throws: ConfigurationError("ngramMin=0 should be >= 1")) { try CharNGramAnalyzer(ngramMin: 0, ngramMax: 1) }
        #expect(throws: ConfigurationError("ngramMax=1 should be >= ngramMin=2")) { try CharNGramAnalyzer(ngramMin: 2, ngramMax: 1) }
    }

    @Test func analyzerEnumDispatches() throws {
        let a = try CharNGramAnalyzer(ngramMin: 1, ngramMax: 1)
        var ws = TokenizerWorkspace()
        var sink = CollectingSink()
        Array("Ab".utf8).withUnsafeBufferPointer { Analyzer.characters(a).analyze(utf8: $0, workspace: &ws, into: &sink) }
        #expect(sink.tokens.map(\.text) == ["a", "b"])
        var sink2 = CollectingSink()
        Array("Ab".utf8).withUnsafeBufferPointer { Analyzer.microblog(try! Tokenizer()).analyze(utf8: $0, workspace: &ws, into: &sink2) }
        #expect(sink2.tokens.map(\.text) == ["ab"])
    }
}
