/// What a token is.
public enum TokenKind: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// A Chinese character n-gram or a segmented word.
    case chinese
    /// A word in an alphabetic script (Latin letters with digits inside: iphone15, keep).
    case latin
    /// 123, 3.14, 1,000, 50%.
    case number
    case url
    /// @user
    case mention
    /// #topic#, kept whole with its marks.
    case hashtag
    /// [表情] emoticon codes such as [哈哈], [doge].
    case emoticon
    /// One emoji grapheme: ZWJ sequences, skin tones, flags and keycaps stay one token.
    case emoji
    /// The //@user: marker of a repost chain (emitted as //@user).
    case repost

    public var description: String {
        switch self {
        case .chinese: "chinese"
        case .latin: "latin"
        case .number: "number"
        case .url: "url"
        case .mention: "mention"
        case .hashtag: "hashtag"
        case .emoticon: "emoticon"
        case .emoji: "emoji"
        case .repost: "repost"
        }
    }
}

/// How Chinese runs become tokens.
public enum ChineseMode: String, Sendable, Codable, CaseIterable {
    /// Character n-grams over each run of Han characters.
    case ngram
    /// Words from the lexicon (maximum-probability segmentation), single characters as fallback.
    case words
    /// Words plus character n-grams (an n-gram that coincides with a word is not counted twice).
    case both
}

/// What to do with the reposted part of a post (everything after the first `//@user:`).
public enum RepostMode: String, Sendable, Codable, CaseIterable {
    case keep
    /// Keep only the author's own words.
    case dropReposted = "drop"
}

/// Everything the tokenizer does, as one value (saved with a model so scoring tokenizes like training).
public struct TokenizerConfiguration: Sendable, Codable, Equatable {
    public var normalization = NormalizationOptions()
    public var chinese: ChineseMode = .ngram
    /// Smallest and largest character n-gram (default 1…2; up to 8, n-grams longer than 3 get hashed keys).
    public var ngramMin = 1
    public var ngramMax = 2
    /// Entity kinds that are emitted; the others are recognised (so they don't leak into words) and dropped.
    public var keep: Set<TokenKind> = [.chinese, .latin, .mention, .hashtag, .emoticon, .emoji]
    /// Also tokenize the text inside #hashtags# as ordinary text.
    public var hashtagContent = true
    public var reposts: RepostMode = .keep
    /// Stop words, in normalised form; matched against Chinese and Latin tokens.
    public var stopWords: [String] = TokenizerConfiguration.defaultStopWords

    public init() {}

    enum CodingKeys: String, CodingKey {
        case normalization, chinese, ngramMin, ngramMax, keep, hashtagContent, reposts, stopWords
    }

    /// Encodes `keep` in a fixed order so saved models are byte-for-byte reproducible.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(normalization, forKey: .normalization)
        try c.encode(chinese, forKey: .chinese)
        try c.encode(ngramMin, forKey: .ngramMin)
        try c.encode(ngramMax, forKey: .ngramMax)
        try c.encode(keep.sorted { $0.rawValue < $1.rawValue }, forKey: .keep)
        try c.encode(hashtagContent, forKey: .hashtagContent)
        try c.encode(reposts, forKey: .reposts)
        try c.encode(stopWords, forKey: .stopWords)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        normalization = try c.decode(NormalizationOptions.self, forKey: .normalization)
        chinese = try c.decode(ChineseMode.self, forKey: .chinese)
        ngramMin = try c.decode(Int.self, forKey: .ngramMin)
        ngramMax = try c.decode(Int.self, forKey: .ngramMax)
        keep = Set(try c.decode([TokenKind].self, forKey: .keep))
        hashtagContent = try c.decode(Bool.self, forKey: .hashtagContent)
        reposts = try c.decode(RepostMode.self, forKey: .reposts)
        stopWords = try c.decode([String].self, forKey: .stopWords)
    }

    public static var defaultStopWords: [String] { DefaultStopWords.words }

    /// Checks the values; messages state the value received.
    public func validate() throws {
        guard ngramMin >= 1 else { throw ConfigurationError("ngramMin=\(ngramMin) should be >= 1") }
        guard ngramMax >= ngramMin else { throw ConfigurationError("ngramMax=\(ngramMax) should be >= ngramMin=\(ngramMin)") }
        guard ngramMax <= 8 else { throw ConfigurationError("ngramMax=\(ngramMax) should be <= 8") }
        guard normalization.maxRepeat >= 0 else { throw ConfigurationError("maxRepeat=\(normalization.maxRepeat) should be >= 0") }
    }
}

/// A configuration value out of range; the message names the value.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
