import Foundation
import LifestyleCRM
import LifestyleClustering
import LifestyleCore
import LifestyleText
import LifestyleVectors
import Logging

/// Where `train` reads from.
public struct TrainingInputs: Sendable {
    public var posts: String
    public var purchases: String
    public var accounts: String
    public var strict: Bool

    public init(posts: String, purchases: String, accounts: String, strict: Bool = false) {
        self.posts = posts
        self.purchases = purchases
        self.accounts = accounts
        self.strict = strict
    }
}

/// What `train` did: the funnel, every reader's summary, timings per stage, and with `holdout`
/// the ranking metrics on the hidden buyers.
public struct TrainingReport: Sendable {
    public var postsSummary: ReadSummary
    public var purchasesSummary: ReadSummary
    public var accountsSummary: ReadSummary
    public var link: LinkReport
    public var stages: [(name: String, seconds: Double)] = []
    public var kChoice = ""
    public var clusteringWarnings: [String] = []
    public var diagnostics: [String] = []
    /// Holdout evaluation (pool: users who are not training buyers; positives: the held-out buyers).
    public var holdout: RankingMetrics?
    public var holdoutPool: [(userID: String, score: Double, positive: Bool)] = []
    public var lexiconWords = 0
    /// Each clustered seed user and its cluster (for checks against an answer key; not saved).
    public var seedClusters: [(userID: String, cluster: Int)] = []
}

/// Trains a Lifestyle model: quality customers → lifestyle clusters with cards, and the
/// purchase-likelihood model over the whole population.
public struct Trainer: Sendable {
    public let parameters: TrainingParameters
    public let threads: Int
    public let quiet: Bool
    public let logger: Logger

    public init(parameters: TrainingParameters, threads: Int = defaultThreadCount, quiet: Bool = false,
                logger: Logger = Logger(label: "lifestyle.train")) {
        self.parameters = parameters
        self.threads = max(1, threads)
        self.quiet = quiet
        self.logger = logger
    }

    public func train(_ inputs: TrainingInputs) throws -> (LifestyleModel, TrainingReport) {
        let p = parameters
        try p.validate()
        var stages: [(String, Double)] = []
        var clock = monotonicSeconds()
        func stage(_ name: String) {
            let now = monotonicSeconds()
            stages.append((name, now - clock))
            logger.info("\(name): \(formatSeconds(now - clock))")
            clock = now
        }

        // 1. Inputs.
        let bar = ProgressBar("reading posts", total: AtomicFile.size(of: inputs.posts), unit: "bytes", quiet: quiet)
        let users = try UserPosts.load(inputs.posts, strict: inputs.strict, progress: bar.update)
        bar.finish()
        let (purchases, purchasesSummary) = try PurchasesReader.load(inputs.purchases, strict: inputs.strict)
        let (links, accountsSummary) = try AccountsReader.load(inputs.accounts, strict: inputs.strict)
        stage("read")

        // 2. Quality customers and seeds.
        let rfmOptions = try p.rfmOptions()
        let table = try RFM.compute(purchases, options: rfmOptions)
        let quality = try QualitySelection.make(table, options: rfmOptions)
        let row = Dictionary(uniqueKeysWithValues: users.ids.enumerated().map { ($1, $0) })
        let link = LinkReport.make(quality: quality, links: links, usersWithPosts: Set(users.ids))
        var stats = CorpusStatistics(postsFile: inputs.posts)
        stats.posts = users.posts.count
        stats.users = users.userCount
        stats.postLinesSkipped = users.summary.skippedTotal
        stats.purchaseLines = purchasesSummary.kept
        stats.purchaseLinesSkipped = purchasesSummary.skippedTotal
        stats.customers = table.customersInFile
        stats.qualityCustomers = link.qualityCustomers
        stats.qualityWithAccount = link.withAccount
        stats.qualityWithPosts = link.withPosts
        stats.accounts = links.count
        stats.accountsWithoutPosts = links.customerByUser.keys.filter { row[$0] == nil }.count
        stats.asOf = ISODate.format(day: quality.asOf)

        // Known buyers: every linked user of a customer with any purchase line (left out of
        // prospect pools). The likelihood learns from those whose customer has an order that nets
        // positive on or before as-of: a purchase after as-of, or one returned in full, teaches
        // nothing about who buys by then.
        let buyerCustomers = Set(purchases.map(\.customerID))
        let positiveCustomers = Set(table.customers.lazy.filter { $0.orders > 0 }.map(\.customerID))
        var knownUsers = Set<String>()
        var positiveUsers: [String] = []
        for (user, customer) in links.customerByUser where buyerCustomers.contains(customer) {
            knownUsers.insert(user)
            if positiveCustomers.contains(customer) { positiveUsers.append(user) }
        }
        stats.knownBuyers = knownUsers.count
        var buyerRows = positiveUsers.compactMap { row[$0] }.sorted()
        var seedRows = link.seedUserIDs.compactMap { row[$0] }.sorted()

        // Holdout: hide a seeded share of the buyers with posts (seeds among them) in the pool.
        var heldOut = Set<Int>()
        if let h = p.holdout {
            var g = SeededGenerator(seed: p.seed &+ 0x686F_6C64)
            // By customer: all accounts of a hidden customer are hidden together.
            var byCustomer: [String: [Int]] = [:]
            for r in buyerRows { byCustomer[links.customerByUser[users.ids[r]] ?? users.ids[r], default: []].append(r) }
            var customers = byCustomer.keys.sorted()
            customers.shuffle(using: &g)
            for c in customers.prefix(Int((Double(customers.count) * h).rounded())) { heldOut.formUnion(byCustomer[c]!) }
            buyerRows.removeAll { heldOut.contains($0) }
            seedRows.removeAll { heldOut.contains($0) }
        }
        stats.heldOut = heldOut.count
        stats.trainingPositives = buyerRows.count
        stats.clusteredSeeds = seedRows.count
        var diagnostics: [String] = []
        if seedRows.isEmpty, let h = p.holdout, !link.seedUserIDs.isEmpty {
            throw InputError(field: "--holdout", reason: "\(h) hides all \(link.seedUserIDs.count) seed users (quality customers with posts): nothing is left to cluster; use a smaller share")
        }
        if buyerRows.count < 2, let h = p.holdout {
            throw InputError(field: "--holdout", reason: "\(h) leaves \(buyerRows.count) known buyer(s) with posts to learn from; use a smaller share")
        }
        guard !seedRows.isEmpty else {
            throw InputError(file: inputs.accounts, reason: "no quality customer has a linked account with posts (\(link.summary())): nothing to learn lifestyles from")
        }
        guard buyerRows.count >= 2 else {
            throw InputError(file: inputs.accounts, reason: "only \(buyerRows.count) known buyer(s) with posts: too few to learn a purchase likelihood")
        }
        if seedRows.count < 30 { diagnostics.append("only \(seedRows.count) seed users: the clusters and cards rest on very few people (30 or more recommended)") }
        if buyerRows.count < 50 { diagnostics.append("only \(buyerRows.count) known buyers with posts train the likelihood model (50 or more recommended)") }
        stage("quality customers")

        // 3. Text: discovery, then TF-IDF fitted on every post of the population. Posts are
        // tokenized once (raw counts); users' counts are their posts' sums.
        var lexicon: Lexicon?
        var lexiconWords = 0
        if p.discoverWords {
            let runs = try Tokenizer(p.tokenizer(withWords: false)).chineseRuns(of: users.posts)
            let discovery = WordDiscovery(configuration: try WordDiscovery.Configuration(maxLength: p.wordMaxLength, minCount: p.wordMinCount))
            let found = discovery.lexicon(runs: runs, threads: threads)
            lexiconWords = found.entries.filter { $0.discovery != nil }.count
            lexicon = found
            stage("word discovery")
        }
        var vc = VectorizerConfiguration()
        vc.minDF = .count(p.minDF)
        vc.maxDF = .fraction(p.maxDF)
        vc.threads = threads
        let vectorizer = try TFIDFVectorizer(vc, analyzer: .microblog(p.tokenizer(withWords: lexicon != nil)), lexicon: lexicon)
        let vbar = ProgressBar("vectorizing", total: users.posts.count, quiet: quiet)
        let fitted = try vectorizer.fit(users.posts, progress: { vbar.update($0) })
        // The saved model must not depend on this machine's thread count.
        var savedConfig = fitted.configuration
        savedConfig.threads = 1
        let tfidf = try TFIDFModel(configuration: savedConfig, analyzerSpec: fitted.analyzerSpec, lexicon: fitted.lexicon,
                                   vocabulary: fitted.vocabulary, idf: fitted.idf, summary: fitted.summary)
        let counter = try fitted.countingTwin()
        let postCounts = counter.transform(users.posts)
        vbar.finish()
        let postX = TermCounts.weighted(postCounts, like: tfidf)
        let counts = TermCounts.sumRows(postCounts, groups: users.postStart)
        let x = TermCounts.weighted(counts, like: tfidf)
        stats.features = x.columns
        stage("vectorize")

        // 4. Population lifestyles (topics of posts), each user's mix, the likelihood model.
        let topicsK = min(p.topics, max(2, postX.rows / 2))
        let kmBar = ProgressBar("post clusters (topic start)", total: p.topicRestarts * p.maxIterations, unit: "rounds", quiet: quiet)
        let start = try KMeans(KMeans.Configuration(k: topicsK, restarts: p.topicRestarts, maxIterations: p.maxIterations,
                                                     seed: p.seed, threads: threads)).reporting(kmBar.update).fit(postX)
        kmBar.finish()
        var tc = TopicModel.Configuration()
        tc.temperature = p.temperature
        tc.alpha = p.alpha
        tc.beta = p.beta
        tc.iterations = p.emIterations
        tc.threads = threads
        let labels0 = start.labels.map { max(0, $0) }
        let emBar = ProgressBar("lifestyle topics (EM)", total: p.emIterations, unit: "iterations", quiet: quiet)
        let topics = TopicModel.fit(counts: postCounts, postStart: users.postStart, initialLabels: labels0, k: topicsK,
                                    configuration: tc, progress: emBar.update)
        emBar.finish()
        stage("topics (\(topicsK) over \(postX.rows) posts, EM \(p.emIterations) iterations)")

        var isPositive = [Bool](repeating: false, count: users.userCount)
        for r in buyerRows { isPositive[r] = true }
        var probe = LikelihoodModel(topics: topics, head: p.head, rates: [], regression: nil, knownShare: p.knownShare, referenceQuantiles: [])
        probe.primaryShare = p.primaryShare
        let theta = probe.headInputs(counts: postCounts, postStart: users.postStart)
        var regression: LogisticRegression?
        let rates = p.head == .mixture
            ? LikelihoodModel.mixtureRates(theta: theta, k: topicsK, positive: isPositive)
            : LikelihoodModel.topicRates(theta: theta, k: topicsK, positive: isPositive)
        if p.head == .logistic {
            let logTheta = theta.map { log(max($0, 1e-12)) }
            regression = try LogisticRegression.fit(x: logTheta, rows: users.userCount, columns: topicsK, y: isPositive, l2: p.l2)
        }
        var likelihood = LikelihoodModel(topics: topics, head: p.head, rates: rates, regression: regression,
                                         knownShare: p.knownShare, referenceQuantiles: [])
        likelihood.primaryShare = p.primaryShare
        var scores = [Double](repeating: 0, count: users.userCount)
        var rankKeys = [Double](repeating: 0, count: users.userCount)
        var poolScores: [Double] = []
        for u in 0..<users.userCount {
            scores[u] = likelihood.probability(theta[u * topicsK ..< (u + 1) * topicsK])
            rankKeys[u] = likelihood.knownProbability(theta[u * topicsK ..< (u + 1) * topicsK])
            if !knownUsers.contains(users.ids[u]) { poolScores.append(rankKeys[u]) }
        }
        likelihood = LikelihoodModel(topics: topics, head: p.head, rates: rates, regression: regression,
                                     knownShare: p.knownShare, referenceQuantiles: LikelihoodModel.quantiles(poolScores))
        likelihood.primaryShare = p.primaryShare
        // Elkan–Noto's estimate of c (mean P(known buyer) over the known buyers) is reported, not
        // used: it assumes some lifestyle buys with certainty, and underestimates c otherwise.
        let positivesRank = buyerRows.map { rankKeys[$0] }
        stats.elkanNotoKnownShare = positivesRank.isEmpty ? 0 : positivesRank.reduce(0, +) / Double(positivesRank.count)
        stage("purchase likelihood (\(p.head.rawValue) head)")

        // 5. Lifestyle clusters of the quality customers, in topic-mix space: a seed is √θ (cosine
        // of √θ is the Bhattacharyya coefficient of two mixes), so clusters follow what people
        // mostly write about rather than incidental shared vocabulary.
        let mixes = p.head == .primary ? topics.mix(counts: postCounts, postStart: users.postStart) : theta
        var seedMixValues = ContiguousArray<Float>()
        seedMixValues.reserveCapacity(seedRows.count * topicsK)
        for r in seedRows { for t in 0..<topicsK { seedMixValues.append(Float(mixes[r * topicsK + t].squareRoot())) } }
        let seedMix = DenseMatrix(rows: seedRows.count, columns: topicsK, values: seedMixValues)
        let seedX = x.selectingRows(seedRows)
        var kChoice = "given"
        let k: Int
        var clusteringWarnings: [String] = []
        if let given = p.k {
            guard given <= seedRows.count else {
                throw InputError(field: "--k", reason: "\(given) should be <= the number of seed users (\(seedRows.count))")
            }
            k = given
        } else {
            let candidates = p.kRange.filter { $0 < seedRows.count }
            guard !candidates.isEmpty else { throw InputError(field: "--k", reason: "auto: \(seedRows.count) seed users are too few for k in \(p.kRange)") }
            let chosen = try ChooseK(ChooseK.Configuration(ks: candidates, runs: 3, seed: p.seed, threads: threads)).evaluate(seedMix)
            k = chosen.recommended ?? candidates[0]
            kChoice = "auto: " + chosen.explanation
        }
        let clustering = try KMeans(KMeans.Configuration(k: k, restarts: p.restarts, maxIterations: p.maxIterations, seed: p.seed,
                                                         threads: threads)).fit(seedMix)
        clusteringWarnings = clustering.warnings
        let clusterMixes = clustering.centroids
        // Each cluster in TF-IDF space too (the normalised mean of its members' rows): the terms
        // that match a prospect to it and the posts that represent it.
        var termCentroids = ContiguousArray<Float>(repeating: 0, count: k * x.columns)
        for (i, label) in clustering.labels.enumerated() where label >= 0 {
            let base = Int(label) * x.columns
            for q in seedX.rowPointers[i] ..< seedX.rowPointers[i + 1] { termCentroids[base + Int(seedX.columnIndices[q])] += seedX.values[q] }
        }
        for c in 0..<k {
            var norm: Float = 0
            for j in 0..<x.columns { norm += termCentroids[c * x.columns + j] * termCentroids[c * x.columns + j] }
            if norm > 0 { let inv = 1 / norm.squareRoot(); for j in 0..<x.columns { termCentroids[c * x.columns + j] *= inv } }
        }
        let clusters = CentroidSet(k: k, dimension: x.columns, centroids: termCentroids)
        let cohesion: [Float] = (0..<seedRows.count).map { i in
            let c = Int(max(0, clustering.labels[i]))
            var dot: Float = 0
            for t in 0..<topicsK { dot += seedMixValues[i * topicsK + t] * clusterMixes[c * topicsK + t] }
            return dot
        }
        if let spread = spreadWarning(sizes: clustering.clusterSizes) { diagnostics.append(spread) }
        stage("lifestyle clusters (k=\(k))")

        // 6. Cards.
        var values: [CustomerValue] = []
        for r in seedRows {
            let customer = links.customerByUser[users.ids[r]] ?? ""
            let rfm = table[customer]
            values.append(CustomerValue(customerID: customer, monetary: rfm?.monetary ?? 0, orders: rfm?.orders ?? 0,
                                        skuOrders: rfm?.skuOrders ?? [:]))
        }
        var examples = [[String]](repeating: [], count: k)
        if p.examples > 0 {
            for c in 0..<k {
                var candidates: [(text: String, sim: Float, user: Int)] = []
                for (i, r) in seedRows.enumerated() where clustering.labels[i] == Int32(c) {
                    for post in users.postStart[r] ..< users.postStart[r + 1] {
                        let text = users.posts[post]
                        guard text.count >= 8 else { continue }
                        var s: Float = 0
                        for q in postX.rowPointers[post] ..< postX.rowPointers[post + 1] {
                            s += postX.values[q] * clusters.weight(column: Int(postX.columnIndices[q]), centroid: c)
                        }
                        candidates.append((text, s, r))
                    }
                }
                candidates.sort { $0.sim != $1.sim ? $0.sim > $1.sim : $0.text < $1.text }
                var usedUsers = Set<Int>(), texts: [String] = [], seen = Set<String>()
                for cand in candidates where !usedUsers.contains(cand.user) && !seen.contains(cand.text) {
                    usedUsers.insert(cand.user)
                    seen.insert(cand.text)
                    texts.append(cand.text)
                    if texts.count == p.examples { break }
                }
                examples[c] = texts
            }
        }
        let descriptive = DescriptiveTerms.flags(tfidf)
        let hidden = DescriptiveTerms.hidden(tfidf)
        var builder = CardBuilder()
        builder.topTerms = p.topTerms
        builder.examples = p.examples
        let cards = builder.cards(labels: clustering.labels, k: k, counts: counts, seedRows: seedRows, values: values,
                                  cohesion: cohesion, termName: { tfidf.featureName($0) },
                                  isWord: { descriptive[$0] }, isHidden: { hidden[$0] }, examples: examples)
        stage("cluster cards")

        let clusterFile = ClusterFile(k: k, dimension: x.columns, objective: clustering.objective, iterations: clustering.iterations,
                                      kChoice: kChoice, clusters: cards)
        let manifest = ModelManifest(createdAt: creationTimestamp(), parameters: p, corpus: stats, k: k, topics: topics.k,
                                     dimension: x.columns, files: [:])
        let model = LifestyleModel(manifest: manifest, vectorizer: tfidf, clusters: clusters, clusterMixes: clusterMixes,
                                   clusterFile: clusterFile, likelihood: likelihood, knownBuyers: knownUsers.map(LifestyleModel.userHash).sorted())

        var report = TrainingReport(postsSummary: users.summary, purchasesSummary: purchasesSummary,
                                    accountsSummary: accountsSummary, link: link)
        report.kChoice = kChoice
        report.clusteringWarnings = clusteringWarnings
        report.lexiconWords = lexiconWords
        report.seedClusters = seedRows.enumerated().map { (users.ids[$0.element], Int(clustering.labels[$0.offset])) }
        if !heldOut.isEmpty {
            // The pool: everyone who is not a training buyer — prospects and the hidden buyers.
            let training = Set(buyerRows)
            var holdoutProbabilities: [Double] = []
            for u in 0..<users.userCount where !training.contains(u) {
                report.holdoutPool.append((users.ids[u], rankKeys[u], heldOut.contains(u)))
                holdoutProbabilities.append(scores[u])
            }
            report.holdout = try RankingMetrics(scores: report.holdoutPool.map(\.score), labels: report.holdoutPool.map(\.positive),
                                                probabilities: holdoutProbabilities)
        }
        report.diagnostics = diagnostics
        report.stages = stages
        return (model, report)
    }
}
