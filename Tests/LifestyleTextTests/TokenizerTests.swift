import Testing
@testable import LifestyleCore
@testable import LifestyleText

/// Records every token with its kind and key.
struct RecordingSink: TokenSink {
    var items: [(scalars: [UInt32], kind: TokenKind, key: TokenKey)] = []
    mutating func token(_ scalars: UnsafeBufferPointer<UInt32>, kind: TokenKind, key: TokenKey) {
        items.append((Array(scalars), kind, key))
    }
    var texts: [String] { items.map { UTF8Decoding.string($0.scalars) + "/\($0.kind)" } }
}

/// "text/kind" for every token, with every kind kept and no stop words unless `configure` says otherwise.
func tokenTexts(_ text: String, lexicon: Lexicon? = nil, _ configure: (inout TokenizerConfiguration) -> Void = { _ in }) throws -> [String] {
    var c = TokenizerConfiguration()
    c.keep = Set(TokenKind.allCases)
    c.stopWords = []
    configure(&c)
    let tokenizer = try Tokenizer(c, lexicon: lexicon)
    var ws = TokenizerWorkspace()
    var sink = RecordingSink()
    tokenizer.tokenize(text, workspace: &ws, into: &sink)
    for item in sink.items {
        #expect(item.key == item.scalars.withUnsafeBufferPointer { TokenKey($0) }, "key of \(item.scalars)")
    }
    let viaTokens = tokenizer.tokens(text).map { "\($0.text)/\($0.kind)" }
    #expect(viaTokens == sink.texts)
    return sink.texts
}

@Suite struct TokenizerTests {
    // MARK: URLs

    @Test(arguments: [
        ("看 https://t.cn/abc.", ["看/chinese", "https://t.cn/abc/url"]),
        ("http://a.b/c好的", ["http://a.b/c/url", "好/chinese", "的/chinese", "好的/chinese"]),
        ("(see http://x.io/p)!", ["see/latin", "http://x.io/p/url"]),
        ("链接:https://weibo.com/u/123?a=b&c=d#frag。", ["链/chinese", "接/chinese", "链接/chinese", "https://weibo.com/u/123?a=b&c=d#frag/url"]),
        ("https://", ["https/latin"]),
        ("xhttp://a.b", ["xhttp/latin", "a/latin", "b/latin"]),    // not a URL when glued to a word
        ("ＨＴＴＰＳ：／／Ｔ．ＣＮ／Ａ", ["https://t.cn/a/url"]),
    ])
    func urls(text: String, expected: [String]) throws {
        #expect(try tokenTexts(text) == expected)
    }

    @Test func wwwURLsWithoutRepeatCollapsing() throws {
        #expect(try tokenTexts("www.example.com/x?y=1, ok", { $0.normalization.maxRepeat = 0 }) == ["www.example.com/x?y=1/url", "ok/latin"])
        #expect(try tokenTexts("xwww.a.b", { $0.normalization.maxRepeat = 0 }) == ["xwww/latin", "a/latin", "b/latin"])
    }

    @Test
    func wwwURLsWithDefaultNormalisation() throws {
        #expect(try tokenTexts("www.example.com/x?y=1, ok") == ["www.example.com/x?y=1/url", "ok/latin"])
        #expect(try tokenTexts("see http://aaa.com/xxxx") == ["see/latin", "http://aaa.com/xxxx/url"])
    }

    @Test func urlsAreRecognisedEvenWhenNotKept() throws {
        #expect(try tokenTexts("https://t.cn/abc 好", { $0.keep = [.chinese, .latin] }) == ["好/chinese"])
    }

    // MARK: Mentions and reposts

    @Test(arguments: [
        ("@小明_2 你好 @bob-smith", ["@小明_2/mention", "你/chinese", "好/chinese", "你好/chinese", "@bob-smith/mention"]),
        ("@ alone", ["alone/latin"]),
        ("@Alice：hi", ["@alice/mention", "hi/latin"]),
    ])
    func mentions(text: String, expected: [String]) throws {
        #expect(try tokenTexts(text) == expected)
    }

    @Test
    func emailAddressIsNoMention() throws {
        #expect(try tokenTexts("me@example.com", { $0.keep = [.mention] }).isEmpty)
        #expect(try tokenTexts("谢谢@小明", { $0.keep = [.mention] }) == ["@小明/mention"])
    }

    @Test func repostChainIsKept() throws {
        #expect(try tokenTexts("好看//@小红:真棒//@小蓝:赞") == [
            "好/chinese", "看/chinese", "好看/chinese", "//@小红/repost",
            "真/chinese", "棒/chinese", "真棒/chinese", "//@小蓝/repost", "赞/chinese",
        ])
    }

    @Test func repostChainDropped() throws {
        #expect(try tokenTexts("好看//@小红:真棒//@小蓝:赞", { $0.reposts = .dropReposted }) == ["好/chinese", "看/chinese", "好看/chinese"])
        let tokenizer = try Tokenizer()
        var ws = TokenizerWorkspace()
        var sink = CollectingSink()
        tokenizer.tokenize("a//@b:c//@d:e", workspace: &ws, into: &sink)
        #expect(ws.repostMarkers == 2)
    }

    // MARK: Hashtags, emoticons

    @Test func hashtagWithContent() throws {
        #expect(try tokenTexts("#健身打卡#今天") == [
            "#健身打卡#/hashtag", "健/chinese", "身/chinese", "打/chinese", "卡/chinese", "健身/chinese", "身打/chinese", "打卡/chinese",
            "今/chinese", "天/chinese", "今天/chinese",
        ])
    }

    @Test func hashtagWithoutContent() throws {
        #expect(try tokenTexts("#健身打卡#今天", { $0.hashtagContent = false }) == ["#健身打卡#/hashtag", "今/chinese", "天/chinese", "今天/chinese"])
        #expect(try tokenTexts("#Gym Life#", { $0.hashtagContent = true }) == ["#gym life#/hashtag", "gym/latin", "life/latin"])
    }

    @Test(arguments: [
        ("#abc", ["abc/latin"]),
        ("# #", [String]()),
        ("#a\nb#", ["a/latin", "b/latin"]),
    ])
    func notHashtags(text: String, expected: [String]) throws {
        #expect(try tokenTexts(text) == expected)
    }

    @Test func tooLongHashtagIsPlainText() throws {
        let body = String(repeating: "ab", count: 35)  // 70 code points, no runs to collapse
        #expect(try tokenTexts("#\(body)#", { $0.keep = [.hashtag] }).isEmpty)
        #expect(try tokenTexts("#\(body.prefix(64))#", { $0.keep = [.hashtag] }) == ["#\(body.prefix(64))#/hashtag"])
    }

    @Test(arguments: [
        ("[哈哈][doge]", ["[哈哈]/emoticon", "[doge]/emoticon"]),
        ("[]", [String]()),
        ("[哈 哈]", ["哈/chinese", "哈/chinese"]),
        ("[赞啊]好", ["[赞啊]/emoticon", "好/chinese"]),
    ])
    func emoticons(text: String, expected: [String]) throws {
        #expect(try tokenTexts(text) == expected)
    }

    // MARK: Emoji

    @Test(arguments: [
        "👨\u{200D}👩\u{200D}👧",            // ZWJ family
        "👍🏻",                               // skin tone
        "🇨🇳",                                // flag
        "1\u{FE0F}\u{20E3}",                  // keycap 1️⃣
        "❤\u{FE0F}",                          // heart with VS16
        "🏳\u{FE0F}\u{200D}🌈",               // rainbow flag
        "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",  // England
        "👩🏽\u{200D}💻",
        "❤\u{FE0F}\u{200D}🔥",               // heart on fire
        "🏃\u{200D}♀\u{FE0F}",               // woman running
        "👩\u{200D}❤\u{FE0F}\u{200D}💋\u{200D}👨",  // kiss
    ])
    func emojiGraphemeIsOneToken(emoji: String) throws {
        #expect(try tokenTexts(emoji) == ["\(emoji)/emoji"])
        #expect(try tokenTexts("好\(emoji)好") == ["好/chinese", "\(emoji)/emoji", "好/chinese"])
    }

    @Test
    func keycapHashAndStar() throws {
        #expect(try tokenTexts("#\u{FE0F}\u{20E3}") == ["#\u{FE0F}\u{20E3}/emoji"])
        #expect(try tokenTexts("*\u{FE0F}\u{20E3}好") == ["*\u{FE0F}\u{20E3}/emoji", "好/chinese"])
    }

    @Test func emojiSequenceInARow() throws {
        #expect(try tokenTexts("👨\u{200D}👩\u{200D}👧👍🏻🇨🇳1\u{FE0F}\u{20E3}") ==
                ["👨\u{200D}👩\u{200D}👧/emoji", "👍🏻/emoji", "🇨🇳/emoji", "1\u{FE0F}\u{20E3}/emoji"])
        #expect(try tokenTexts("🇨🇳🇺🇸🇯") == ["🇨🇳/emoji", "🇺🇸/emoji", "🇯/emoji"])
    }

    // MARK: Numbers, Latin words, stop words

    @Test(arguments: [
        ("3.14 1,000 50% 12. 7,a", ["3.14/number", "1,000/number", "50%/number", "12/number", "7/number", "a/latin"]),
        ("15iphone", ["15/number", "iphone/latin"]),
        ("１２３", ["123/number"]),
    ])
    func numbers(text: String, expected: [String]) throws {
        #expect(try tokenTexts(text) == expected)
    }

    @Test func latinWords() throws {
        #expect(try tokenTexts("iPhone15 don't e-mail snake_case café x- 'quoted'") ==
                ["iphone15/latin", "don't/latin", "e-mail/latin", "snake_case/latin", "café/latin", "x/latin", "quoted/latin"])
    }

    @Test func stopWordsAreNormalisedAndRemoved() throws {
        #expect(try tokenTexts("The cat 我的", { $0.stopWords = ["THE", "的"] }) == ["cat/latin", "我/chinese", "我的/chinese"])
    }

    @Test func defaultStopWords() throws {
        let t = try Tokenizer()
        #expect(t.tokens("the cat").map(\.text) == ["cat"])
        #expect(t.configuration.stopWords.contains("的"))
    }

    @Test func keepSetDropsKindsWithoutLeaking() throws {
        #expect(try tokenTexts("#健身# @bob 你好 abc 😀 [doge] 12 http://x.y //@u:z", { $0.keep = [.latin] }) == ["abc/latin", "z/latin"])
        #expect(try tokenTexts("#健身# @bob 你好 abc 😀 [doge] 12", { $0.keep = [.emoji, .number] }) == ["😀/emoji", "12/number"])
    }

    @Test func defaultKeepSet() throws {
        let t = try Tokenizer()
        let kinds = Set(t.tokens("#健身# @bob 你好 abc 😀 [doge] 12 http://x.y //@u:z").map(\.kind))
        #expect(kinds == [.hashtag, .chinese, .mention, .latin, .emoji, .emoticon])
    }

    // MARK: Chinese n-grams and words

    @Test func ngramRanges() throws {
        #expect(try tokenTexts("健身房", { $0.ngramMax = 3 }) == ["健/chinese", "身/chinese", "房/chinese", "健身/chinese", "身房/chinese", "健身房/chinese"])
        #expect(try tokenTexts("健身房", { $0.ngramMin = 2; $0.ngramMax = 2 }) == ["健身/chinese", "身房/chinese"])
        #expect(try tokenTexts("健", { $0.ngramMin = 2; $0.ngramMax = 3 }).isEmpty)
        let five = try tokenTexts("一二三四五", { $0.ngramMax = 5 })
        #expect(five.count == 15)
        #expect(five.last == "一二三四五/chinese")
    }

    @Test func invalidConfigurationsNameTheValue() {
        func message(_ configure: (inout TokenizerConfiguration) -> Void) -> String? {
            var c = TokenizerConfiguration()
            configure(&c)
            do { _ = try Tokenizer(c); return nil } catch let e as ConfigurationError { return e.message } catch { return "\(error)" }
        }
        #expect(message { $0.ngramMin = 0 } == "ngramMin=0 should be >= 1")
        #expect(message { $0.ngramMin = 3; $0.ngramMax = 2 } == "ngramMax=2 should be >= ngramMin=3")
        #expect(message { $0.ngramMax = 9 } == "ngramMax=9 should be <= 8")
        #expect(message { $0.normalization.maxRepeat = -1 } == "maxRepeat=-1 should be >= 0")
        #expect(message { _ in } == nil)
    }

    static let lexicon = Lexicon(entries: [
        .init(word: "健身", frequency: 100), .init(word: "健身房", frequency: 50), .init(word: "撸铁", frequency: 30),
    ])

    @Test func wordsMode() throws {
        #expect(try tokenTexts("今天去健身房撸铁", lexicon: Self.lexicon, { $0.chinese = .words }) ==
                ["今/chinese", "天/chinese", "去/chinese", "健身房/chinese", "撸铁/chinese"])
        #expect(try tokenTexts("我爱健身", lexicon: Self.lexicon, { $0.chinese = .words }) ==
                ["我/chinese", "爱/chinese", "健身/chinese"])
    }

    @Test func wordsModeStopWords() throws {
        #expect(try tokenTexts("去健身房", lexicon: Self.lexicon, { $0.chinese = .words; $0.stopWords = ["去", "健身房"] }).isEmpty)
    }

    @Test func wordsModeWithoutLexiconFallsBackToCharacters() throws {
        #expect(try tokenTexts("健身", { $0.chinese = .words }) == ["健/chinese", "身/chinese"])
    }

    @Test func bothModeDoesNotCountAWordTwice() throws {
        let both = try tokenTexts("今天去健身房撸铁", lexicon: Self.lexicon, { $0.chinese = .both })
        #expect(both == [
            "今/chinese", "天/chinese", "去/chinese", "健身房/chinese", "撸铁/chinese",
            "健/chinese", "身/chinese", "房/chinese", "撸/chinese", "铁/chinese",
            "今天/chinese", "天去/chinese", "去健/chinese", "健身/chinese", "身房/chinese", "房撸/chinese",
        ])
        #expect(Set(both).count == both.count)
    }

    @Test func chineseRunsAreSplitByOtherText() throws {
        let runs = try Tokenizer().chineseRuns(of: ["我爱ABC北京", "這"])
        #expect(runs.map { UTF8Decoding.string($0) } == ["我爱", "北京", "這"])
        var c = TokenizerConfiguration()
        c.normalization.traditionalToSimplified = true
        #expect(try Tokenizer(c).chineseRuns(of: ["這個"]).map { UTF8Decoding.string($0) } == ["这个"])
    }

    // MARK: Other scripts, empty input

    @Test func mixedScripts() throws {
        #expect(try tokenTexts("こんにちは カタカナ 안녕하세요 Привет мир Ελλάδα 東京") == [
            "こんにちは/latin", "カタカナ/latin", "안녕하세요/latin", "привет/latin", "мир/latin", "ελλάδα/latin",
            "東/chinese", "京/chinese", "東京/chinese",
        ])
    }

    @Test(arguments: ["", " ", "   \n\t\u{3000}", "!!!,,,。", "\u{200B}\u{FEFF}", "\u{1}\u{2}"])
    func nothingToTokenize(text: String) throws {
        #expect(try tokenTexts(text).isEmpty)
    }

    @Test func workspaceIsReusable() throws {
        let t = try Tokenizer()
        var ws = TokenizerWorkspace()
        var first = CollectingSink()
        t.tokenize("#健身# 今天撸铁💪 https://t.cn", workspace: &ws, into: &first)
        var second = CollectingSink()
        t.tokenize("哈哈", workspace: &ws, into: &second)
        var again = CollectingSink()
        t.tokenize("#健身# 今天撸铁💪 https://t.cn", workspace: &ws, into: &again)
        #expect(second.tokens.map(\.text) == ["哈", "哈", "哈哈"])
        #expect(again.tokens.map(\.text) == first.tokens.map(\.text))
        #expect(ws.documents == 3)
    }

    @Test func configurationCodableRoundtrip() throws {
        var c = TokenizerConfiguration()
        c.keep = [.url, .emoji, .chinese]
        c.chinese = .both
        c.ngramMax = 3
        c.reposts = .dropReposted
        let data = try JSONEncoderLite.encode(c)
        let back = try JSONEncoderLite.decode(TokenizerConfiguration.self, data)
        #expect(back == c)
    }
}

import Foundation
enum JSONEncoderLite {
    static func encode<T: Encodable>(_ v: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(v)
    }
    static func decode<T: Decodable>(_ t: T.Type, _ d: Data) throws -> T { try JSONDecoder().decode(t, from: d) }
}

// MARK: - TokenKey

@Suite struct TokenKeyTests {
    func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    @Test(arguments: ["中", "中国", "中国人", "a", "ab", "abc", "😀", "😀👍🏻", "\u{10FFFF}\u{10FFFF}\u{10FFFF}"])
    func shortTokensArePackedExactly(text: String) {
        let k = TokenKey(text)
        #expect(k.isPacked)
        #expect(k.raw >> 63 == 0)
        #expect(k.packedScalars == scalars(text))
        let viaBuffer = scalars(text).withUnsafeBufferPointer { TokenKey($0) }
        #expect(viaBuffer == k)
    }

    @Test func packingLayout() {
        // Code point + 1 in each 21-bit field, so U+0000 is distinct from "nothing".
        #expect(TokenKey("中").raw == 0x4E2E)
        #expect(TokenKey("中国人").raw == 0x4E2E | 0x56FE << 21 | 0x4EBB << 42)
        #expect(TokenKey.unigram(0x4E2D) == TokenKey("中"))
        #expect(TokenKey.bigram(0x4E2D, 0x56FD) == TokenKey("中国"))
    }

    @Test(arguments: ["中国人民", "abcd", "健身房撸铁打卡", String(repeating: "长", count: 100)])
    func longTokensAreHashedWithTheTopBit(text: String) {
        let k = TokenKey(text)
        #expect(!k.isPacked)
        #expect(k.raw >> 63 == 1)
        #expect(k.packedScalars == nil)
        #expect(TokenKey(text) == k)
        let viaBuffer = scalars(text).withUnsafeBufferPointer { TokenKey($0) }
        #expect(viaBuffer == k)
    }

    @Test func hashedKeysDoNotCollideOnAllFourLetterWords() {
        let letters = Array("abcdefghijkl".unicodeScalars.map(\.value))
        var seen = Set<UInt64>()
        for a in letters { for b in letters { for c in letters { for d in letters {
            seen.insert([a, b, c, d].withUnsafeBufferPointer { TokenKey($0).raw })
        } } } }
        #expect(seen.count == letters.count * letters.count * letters.count * letters.count)
        // Order and length matter.
        #expect(TokenKey("abcd") != TokenKey("abdc"))
        #expect(TokenKey("abcde") != TokenKey("abcd"))
        #expect(TokenKey("aaaaa") != TokenKey("aaaaaa"))
    }

    @Test
    func nulCodePointsArePackedExactly() {
        #expect(TokenKey("ab\u{0}") != TokenKey("ab"))
        #expect(TokenKey("a\u{0}") != TokenKey("a"))
        #expect(TokenKey("ab\u{0}").packedScalars == [0x61, 0x62, 0])
    }

    @Test func orderingIsByRawValue() {
        #expect(TokenKey("a") < TokenKey("b"))
        #expect(TokenKey("中") < TokenKey("中国人民"))
        #expect(TokenKey("").raw == 0)
    }

    @Test func tokenizerAndAnalyzerProduceTheSameKeyForTheSameText() throws {
        var c = TokenizerConfiguration()
        c.stopWords = []
        let t = try Tokenizer(c)
        var ws = TokenizerWorkspace()
        var a = RecordingSink()
        t.tokenize("中国", workspace: &ws, into: &a)
        var b = RecordingSink()
        let analyzer = try CharNGramAnalyzer(ngramMin: 1, ngramMax: 2)
        Array("中国".utf8).withUnsafeBufferPointer { analyzer.analyze(utf8: $0, workspace: &ws, into: &b) }
        #expect(a.items.map(\.key) == b.items.map(\.key))
        #expect(a.items.last?.key == TokenKey("中国"))
    }
}
