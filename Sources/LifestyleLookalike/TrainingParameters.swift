import LifestyleCRM
import LifestyleCore
import LifestyleText

/// Every parameter of `lifestyle train`, saved in the model's manifest.
public struct TrainingParameters: Sendable, Codable, Equatable {
    /// Lifestyle clusters of the quality customers; nil = choose k automatically over `kRange`.
    public var k: Int?
    public var kRange: [Int] = Array(2...8)
    public var seed: UInt64 = 1
    public var restarts = 8
    public var maxIterations = 100

    // Quality customers (RFM).
    /// "YYYY-MM-DD"; nil = the newest purchase.
    public var asOf: String?
    public var recencyDays = 365
    public var minOrders = 1
    public var topMonetary = 0.5
    public var minMonetary: Double?

    // Text.
    /// Discover words in the population's posts and use them next to character n-grams.
    public var discoverWords = true
    public var wordMaxLength = 4
    public var wordMinCount = 5
    public var traditionalToSimplified = true
    public var ngramMin = 1
    public var ngramMax = 2
    public var minDF = 2
    public var maxDF = 0.5

    // Purchase likelihood.
    /// Population lifestyles: topics of everyone's posts (`TopicModel`).
    public var topics = 10
    /// Tempering τ of a post's likelihood under a topic.
    public var temperature = 0.1
    /// Dirichlet priors of the users' topic mixes (α) and the topics' term distributions (β).
    public var alpha = 0.5
    public var beta = 0.1
    public var emIterations = 30
    /// Restarts of the spherical k-means that starts the topics (the lowest objective wins).
    public var topicRestarts = 1
    /// How a topic mix becomes P(known buyer): per-topic buyer rates or a logistic regression.
    public var head: LikelihoodModel.Head = .rate
    /// ρ of the primary head: share of a user's posts about their main lifestyle.
    public var primaryShare = 0.75
    /// L2 penalty of the logistic head.
    public var l2 = 1.0
    /// Share of all buyers that the CRM links to an account (c of Elkan & Noto): calibrates the
    /// likelihood of the others; ranks do not depend on it.
    public var knownShare = 0.5

    // Cards.
    public var topTerms = 12
    /// Representative posts per card (0: none stored, `--no-examples`).
    public var examples = 5

    /// Share of the seeds hidden in the pool to evaluate the ranking (`--holdout`).
    public var holdout: Double?

    public init() {}

    public func validate() throws {
        if let k, k < 1 { throw InputError(field: "--k", reason: "\(k) should be >= 1 (or auto)") }
        if k == nil {
            guard let lo = kRange.min(), lo >= 2 else { throw InputError(field: "--k-range", reason: "should hold values >= 2") }
        }
        guard restarts >= 1 else { throw InputError(field: "--restarts", reason: "\(restarts) should be >= 1") }
        guard maxIterations >= 1 else { throw InputError(field: "--max-iterations", reason: "\(maxIterations) should be >= 1") }
        guard topics >= 2 else { throw InputError(field: "--topics", reason: "\(topics) should be >= 2") }
        guard temperature > 0, temperature.isFinite else { throw InputError(field: "--temperature", reason: "\(temperature) should be > 0") }
        guard alpha > 0, alpha.isFinite else { throw InputError(field: "--alpha", reason: "\(alpha) should be > 0") }
        guard beta > 0, beta.isFinite else { throw InputError(field: "--beta", reason: "\(beta) should be > 0") }
        guard emIterations >= 0 else { throw InputError(field: "--em-iterations", reason: "\(emIterations) should be >= 0") }
        guard primaryShare > 0 && primaryShare < 1 else { throw InputError(field: "--primary-share", reason: "\(primaryShare) should be in (0, 1)") }
        guard knownShare > 0 && knownShare <= 1 else { throw InputError(field: "--known-share", reason: "\(knownShare) should be in (0, 1]") }
        guard l2 > 0, l2.isFinite else { throw InputError(field: "--l2", reason: "\(l2) should be > 0") }
        guard (1...4).contains(ngramMin), (ngramMin...4).contains(ngramMax) else {
            throw InputError(field: "--ngram", reason: "\(ngramMin)-\(ngramMax) should be within 1-4")
        }
        guard minDF >= 1 else { throw InputError(field: "--min-df", reason: "\(minDF) should be >= 1") }
        guard maxDF > 0 && maxDF <= 1 else { throw InputError(field: "--max-df", reason: "\(maxDF) should be in (0, 1]") }
        guard examples >= 0 else { throw InputError(field: "--examples", reason: "\(examples) should be >= 0") }
        guard topTerms >= 1 else { throw InputError(field: "--top-terms", reason: "\(topTerms) should be >= 1") }
        if let holdout, !(holdout > 0 && holdout < 1) {
            throw InputError(field: "--holdout", reason: "\(holdout) should be in (0, 1)")
        }
        try rfmOptions().validate()
    }

    public func asOfDay() throws -> Int? {
        guard let asOf else { return nil }
        guard let d = ISODate.parse(asOf) else { throw InputError(field: "--as-of", reason: "\"\(asOf)\" is not a date (YYYY-MM-DD)") }
        return d.day
    }

    public func rfmOptions() throws -> RFMOptions {
        RFMOptions(asOf: try asOfDay(), recencyDays: recencyDays, minOrders: minOrders, topMonetary: topMonetary, minMonetary: minMonetary)
    }

    /// The tokenizer: character n-grams, plus discovered words when `discoverWords`.
    public func tokenizer(withWords: Bool) -> TokenizerConfiguration {
        var c = TokenizerConfiguration()
        c.chinese = withWords ? .both : .ngram
        c.ngramMin = ngramMin
        c.ngramMax = ngramMax
        c.normalization.traditionalToSimplified = traditionalToSimplified
        // @mentions name people, not lifestyles: they never enter a model's vocabulary.
        c.keep.remove(.mention)
        c.keep.remove(.url)
        return c
    }
}
