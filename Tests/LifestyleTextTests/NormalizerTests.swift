import Testing
@testable import LifestyleCore
@testable import LifestyleText

@Suite struct NormalizerTests {
    let normalizer = Normalizer()

    func normalize(_ s: String, _ options: NormalizationOptions = NormalizationOptions()) -> (String, NormalizationCounts) {
        var counts = NormalizationCounts()
        let out = Normalizer(options).normalize(s, counts: &counts)
        return (out, counts)
    }

    /// Normalises and also returns the origin of every output code point.
    func withOrigins(_ s: String, _ options: NormalizationOptions = NormalizationOptions()) -> ([UInt32], [Int32]) {
        let input = ContiguousArray(s.unicodeScalars.map(\.value))
        var out = ContiguousArray<UInt32>()
        var origins = ContiguousArray<Int32>()
        var counts = NormalizationCounts()
        input.withUnsafeBufferPointer { Normalizer(options).normalize($0, into: &out, origins: &origins, counts: &counts) }
        return (Array(out), Array(origins))
    }

    @Test func fullWidthToHalfWidth() {
        let (out, counts) = normalize("ＡＢＣ１２３！")
        #expect(out == "abc123!")
        #expect(counts.widthFolded == 7)
        #expect(counts.lowercased == 3)
        #expect(counts.compatibilityMapped == 0)
    }

    @Test(arguments: [
        ("\u{3000}", " "),          // ideographic space
        ("ｶﾀｶﾅ", "カタカナ"),        // half-width katakana → full-width
        ("，。！？", ",。!?"),        // full-width , ! ? fold; the ideographic full stop does not
        ("ｈｔｔｐｓ：／／ｔ．ｃｎ", "https://t.cn"),
    ])
    func widthForms(input: String, expected: String) {
        #expect(normalize(input).0 == expected)
    }

    @Test(arguments: [
        ("①", "1"),
        ("ﬁ", "fi"),
        ("⼀", "一"),          // Kangxi radical one → CJK unified ideograph
        ("㈠", "(一)"),
        ("²", "2"),
        ("㎏", "kg"),
        ("𝐀𝐁", "ab"),         // mathematical bold (supplementary plane), then lower-cased
        ("™", "tm"),
    ])
    func compatibilityMappings(input: String, expected: String) {
        let (out, counts) = normalize(input)
        #expect(out == expected)
        #expect(counts.compatibilityMapped == input.unicodeScalars.count)
        #expect(counts.widthFolded == 0)
    }

    @Test func compatibilityCanBeTurnedOff() {
        var o = NormalizationOptions()
        o.compatibility = false
        #expect(normalize("①ﬁＡ", o).0 == "①ﬁａ")
    }

    @Test func lowercase() {
        #expect(normalize("Hello ÀÉÎ ПРИВЕТ ΑΒΓ").0 == "hello àéî привет αβγ")
        #expect(normalize("İ").0 == "i\u{307}")   // one-to-two lower-case mapping
        var o = NormalizationOptions()
        o.lowercase = false
        #expect(normalize("Hello ＡＢ", o).0 == "Hello AB")
    }

    @Test func traditionalToSimplifiedOnlyWhenEnabled() {
        let (plain, c0) = normalize("這個寶寶")
        #expect(plain == "這個寶寶")
        #expect(c0.traditionalToSimplified == 0)
        var o = NormalizationOptions()
        o.traditionalToSimplified = true
        let (simp, c1) = normalize("這個寶寶很可愛", o)
        #expect(simp == "这个宝宝很可爱")
        #expect(c1.traditionalToSimplified == 5)
        // Already simplified text is unchanged.
        #expect(normalize("这个宝宝", o).0 == "这个宝宝")
    }

    @Test(arguments: [
        ("哈哈哈哈哈", "哈哈", 3),
        ("哈哈", "哈哈", 0),
        ("好好好好看", "好好看", 2),
        ("1000000", "1000000", 0),          // digits are never cut
        ("!!!!!!", "!!", 4),
        ("AAAA", "aaaa", 0),                // ASCII letters are never cut (www., aaa)
        ("a     b", "a     b", 0),          // white space is not cut
        ("😂😂😂😂", "😂😂", 2),
        ("！！！！", "!!", 2),               // runs are counted after folding
    ])
    func repeatCollapse(input: String, expected: String, collapsed: Int) {
        let (out, counts) = normalize(input)
        #expect(out == expected)
        #expect(counts.repeatsCollapsed == collapsed)
    }

    @Test func repeatLimitIsConfigurable() {
        var o = NormalizationOptions()
        o.maxRepeat = 0
        #expect(normalize("哈哈哈哈哈", o).0 == "哈哈哈哈哈")
        o.maxRepeat = 1
        #expect(normalize("哈哈哈哈哈啊啊", o).0 == "哈啊")
        o.maxRepeat = 3
        #expect(normalize("哈哈哈哈哈", o).0 == "哈哈哈")
    }

    @Test(arguments: [
        ("a\u{200B}b", "ab"),      // zero-width space
        ("\u{FEFF}ab", "ab"),      // BOM
        ("soft\u{00AD}ware", "software"),
        ("a\u{2060}b", "ab"),      // word joiner
        ("a\u{200E}b", "ab"),      // LRM
    ])
    func invisibleCharactersAreDroppedAndCounted(input: String, expected: String) {
        let (out, counts) = normalize(input)
        #expect(out == expected)
        #expect(counts.invisibleDropped == 1)
    }

    @Test func invisibleCanBeKept() {
        var o = NormalizationOptions()
        o.dropInvisible = false
        #expect(normalize("a\u{200B}b", o).0 == "a\u{200B}b")
    }

    @Test func controlCharactersAreDroppedButWhiteSpaceControlsKept() {
        let (out, counts) = normalize("a\u{01}b\u{7F}c\u{9F}d\u{1B}e")
        #expect(out == "abcde")
        #expect(counts.controlDropped == 4)
        let (ws, c2) = normalize("a\tb\nc\rd")
        #expect(ws == "a\tb\nc\rd")
        #expect(c2.controlDropped == 0)
        var o = NormalizationOptions()
        o.dropControl = false
        #expect(normalize("a\u{01}b", o).0 == "a\u{01}b")
    }

    @Test func zeroWidthJoinerKeptInsideEmojiOnly() {
        let family = "👨\u{200D}👩\u{200D}👧"
        let (out, counts) = normalize(family)
        #expect(out == family)
        #expect(counts.invisibleDropped == 0)
        let (han, c2) = normalize("中\u{200D}文")
        #expect(han == "中文")
        #expect(c2.invisibleDropped == 1)
        // A ZWJ at the very end or before a non-emoji is dropped.
        #expect(normalize("👨\u{200D}").0 == "👨")
        #expect(normalize("👨\u{200D}a").0 == "👨a")
    }

    @Test func variationSelectorKeptAfterEmojiAndKeycapDigits() {
        #expect(normalize("❤\u{FE0F}").0 == "❤\u{FE0F}")
        #expect(normalize("1\u{FE0F}\u{20E3}").0 == "1\u{FE0F}\u{20E3}")
        let (han, counts) = normalize("中\u{FE0F}")
        #expect(han == "中")
        #expect(counts.invisibleDropped == 1)
    }

    @Test func subdivisionFlagTagsAreKept() {
        let england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"
        #expect(normalize(england).0 == england)
        #expect(normalize("a\u{E0067}").0 == "a")
    }

    @Test func originsMapBackToInputIndices() {
        // Ａ(0) ZWSP(1) ﬁ(2) x(3) 哈(4) 哈(5) 哈(6) ①(7)
        let (out, origins) = withOrigins("Ａ\u{200B}ﬁx哈哈哈①")
        #expect(UTF8Decoding.string(out) == "afix哈哈1")
        #expect(origins == [0, 2, 2, 3, 4, 5, 7])
    }

    @Test func originsWithTraditionalAndExpansions() {
        var o = NormalizationOptions()
        o.traditionalToSimplified = true
        let (out, origins) = withOrigins("㈠們\u{1}İ", o)
        #expect(UTF8Decoding.string(out) == "(一)们i\u{307}")
        #expect(origins == [0, 0, 0, 1, 3, 3])
    }

    @Test func everyCountOnAHandMadeString() {
        var o = NormalizationOptions()
        o.traditionalToSimplified = true
        // Ａ: width fold + lower; b; ZWSP: invisible; C: lower; ①: compatibility; BEL: control;
        // 哈×4: 2 collapsed; 們: traditional; BOM: invisible; ﬁ: compatibility.
        let (out, counts) = normalize("Ａb\u{200B}C①\u{07}哈哈哈哈們\u{FEFF}ﬁ", o)
        #expect(out == "abc1哈哈们fi")
        var expected = NormalizationCounts()
        expected.widthFolded = 1
        expected.lowercased = 2
        expected.invisibleDropped = 2
        expected.compatibilityMapped = 2
        expected.controlDropped = 1
        expected.repeatsCollapsed = 2
        expected.traditionalToSimplified = 1
        #expect(counts == expected)
        #expect(counts.entries.map(\.0) == ["invalid_utf8_replaced", "width_folded", "compatibility_mapped", "lowercased",
                                             "traditional_to_simplified", "repeats_collapsed", "invisible_dropped", "control_dropped"])
        #expect(counts.entries.map(\.1) == [0, 1, 2, 2, 1, 2, 2, 1])
    }

    @Test func invalidUTF8IsCountedByTheTokenizer() throws {
        let tokenizer = try Tokenizer()
        var ws = TokenizerWorkspace()
        var sink = CollectingSink()
        let bytes: [UInt8] = [0x61, 0xC0, 0x80, 0x62, 0xFF]
        bytes.withUnsafeBufferPointer { tokenizer.tokenize(utf8: $0, workspace: &ws, into: &sink) }
        #expect(ws.counts.invalidUTF8 == 3)
        #expect(ws.documents == 1)
    }

    @Test func countsAdd() {
        var a = NormalizationCounts()
        a.lowercased = 2
        a.invalidUTF8 = 1
        var b = NormalizationCounts()
        b.lowercased = 3
        b.controlDropped = 4
        a.add(b)
        #expect(a.lowercased == 5)
        #expect(a.invalidUTF8 == 1)
        #expect(a.controlDropped == 4)
    }

    @Test func noneOptionsChangeNothing() {
        let s = "ＡＢ哈哈哈哈\u{200B}\u{01}這"
        #expect(normalize(s, .none).0 == s)
    }

    @Test func emptyInput() {
        let (out, counts) = normalize("")
        #expect(out.isEmpty)
        #expect(counts == NormalizationCounts())
    }
}
