import Foundation
import LifestyleCRM
import LifestyleCore
import LifestyleText
import LifestyleVectors

/// Corpus and CRM statistics recorded in the manifest.
public struct CorpusStatistics: Sendable, Codable, Equatable {
    public var postsFile: String
    public var posts = 0
    public var users = 0
    public var postLinesSkipped = 0
    public var purchaseLines = 0
    public var purchaseLinesSkipped = 0
    public var customers = 0
    public var qualityCustomers = 0
    public var qualityWithAccount = 0
    public var qualityWithPosts = 0
    public var accounts = 0
    public var accountsWithoutPosts = 0
    /// Users linked to a customer with purchases (excluded from every prospect pool).
    public var knownBuyers = 0
    /// Known buyers with posts that trained the likelihood model (after any holdout).
    public var trainingPositives = 0
    /// Quality customers' users that were clustered (after any holdout).
    public var clusteredSeeds = 0
    public var heldOut = 0
    public var features = 0
    public var asOf = ""
    /// Elkan–Noto's e₁ estimate of the known share c (mean P(known buyer | text) over the known
    /// buyers): a lower bound that equals c only if some lifestyle buys with certainty.
    public var elkanNotoKnownShare = 0.0

    public init(postsFile: String) { self.postsFile = postsFile }
}

/// `manifest.json`.
public struct ModelManifest: Sendable, Codable {
    public var format = ModelDirectory.format
    public var formatVersion = modelFormatVersion
    public var toolVersion = lifestyleToolVersion
    /// ISO 8601 UTC; from SOURCE_DATE_EPOCH when set (reproducible builds), else the clock.
    public var createdAt: String
    public var parameters: TrainingParameters
    public var corpus: CorpusStatistics
    public var k: Int
    public var topics: Int
    public var dimension: Int
    /// File name → SHA-256 of every other file in the directory.
    public var files: [String: String]
}

/// `clusters.json`.
public struct ClusterFile: Sendable, Codable, Equatable {
    public var k: Int
    public var dimension: Int
    public var objective: Double
    public var iterations: Int
    /// How k was chosen ("given" or the choose-k explanation).
    public var kChoice: String
    public var clusters: [ClusterCard]
}

/// `likelihood.json` (the topics' ln φ, V × K, is in `topics.f32`).
struct LikelihoodFile: Codable {
    var topics: Int
    var temperature: Double
    var alpha: Double
    var beta: Double
    var userIterations: Int
    var head: LikelihoodModel.Head
    var rates: [Double]
    var regression: LogisticRegression?
    var knownShare: Double
    var primaryShare: Double
    var referenceQuantiles: [Double]
}

/// A trained model: vectorizer, lifestyle clusters with their cards, the purchase-likelihood
/// model, and the (hashed) known buyers to leave out of prospect pools.
public struct LifestyleModel: Sendable {
    public let manifest: ModelManifest
    public let vectorizer: TFIDFModel
    /// Term-space centroids of the lifestyle clusters (unit length): match terms, examples.
    public let clusters: CentroidSet
    /// The clusters' centroids in topic-mix space (k × topics, unit length, on √θ): which cluster
    /// a user belongs to.
    public let clusterMixes: ContiguousArray<Float>
    public let clusterFile: ClusterFile
    public let likelihood: LikelihoodModel
    /// Sorted 64-bit hashes of known buyers' user ids (ids themselves are not stored).
    public let knownBuyers: [UInt64]

    public init(manifest: ModelManifest, vectorizer: TFIDFModel, clusters: CentroidSet, clusterMixes: ContiguousArray<Float>,
                clusterFile: ClusterFile, likelihood: LikelihoodModel, knownBuyers: [UInt64]) {
        self.manifest = manifest
        self.vectorizer = vectorizer
        self.clusters = clusters
        self.clusterMixes = clusterMixes
        self.clusterFile = clusterFile
        self.likelihood = likelihood
        self.knownBuyers = knownBuyers
    }

    public var cards: [ClusterCard] { clusterFile.clusters }

    public func isKnownBuyer(_ userID: String) -> Bool {
        let h = Self.userHash(userID)
        var lo = 0, hi = knownBuyers.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if knownBuyers[mid] < h { lo = mid + 1 } else { hi = mid }
        }
        return lo < knownBuyers.count && knownBuyers[lo] == h
    }

    /// The first 8 bytes of SHA-256("lifestyle:" + id), little-endian.
    public static func userHash(_ id: String) -> UInt64 {
        var sha = SHA256()
        sha.update(Array(("lifestyle:" + id).utf8))
        let digest = sha.finalize()
        var h: UInt64 = 0
        for i in 0..<8 { h |= UInt64(digest[i]) << (8 * UInt64(i)) }
        return h
    }

    static let centroidsName = "centroids.f32"
    static let topicsName = "topics.f32"
    static let clusterMixesName = "cluster-mixes.f32"
    static let clustersName = "clusters.json"
    static let likelihoodName = "likelihood.json"
    static let knownName = "known-buyers.u64"

    /// Writes the model directory atomically (staging directory swapped into place).
    /// `extraFiles` (e.g. holdout results) are written and checksummed with the rest.
    public func save(to path: String, extraFiles: [String: [UInt8]] = [:]) throws {
        let writer = try ModelDirectoryWriter(target: path)
        for (name, bytes) in extraFiles.sorted(by: { $0.key < $1.key }) { try writer.put(name, bytes) }
        try vectorizer.save(to: writer.staging)
        for name in ["vectorizer.json", "vocabulary.tsv", "idf.f32", "lexicon.tsv"] where AtomicFile.exists(writer.stagedPath(name)) {
            try writer.adopt(name)
        }
        try writer.put(Self.centroidsName, littleEndianBytes(clusters.centroids))
        try writer.put(Self.topicsName, littleEndianBytes(likelihood.topics.logPhi))
        try writer.put(Self.clusterMixesName, littleEndianBytes(clusterMixes))
        try writer.put(Self.clustersName, json: clusterFile)
        let t = likelihood.topics
        try writer.put(Self.likelihoodName, json: LikelihoodFile(
            topics: t.k, temperature: t.temperature, alpha: t.alpha, beta: t.beta, userIterations: t.userIterations,
            head: likelihood.head, rates: likelihood.rates, regression: likelihood.regression,
            knownShare: likelihood.knownShare, primaryShare: likelihood.primaryShare, referenceQuantiles: likelihood.referenceQuantiles))
        var known: [UInt8] = []
        known.reserveCapacity(knownBuyers.count * 8)
        for h in knownBuyers { withUnsafeBytes(of: h.littleEndian) { known.append(contentsOf: $0) } }
        try writer.put(Self.knownName, known)
        var manifest = self.manifest
        try writer.commit { files in
            manifest.files = files
            return try ModelDirectoryWriter.encodeJSON(manifest)
        }
    }

    /// Loads and verifies a model directory (format, version, every checksum).
    public static func load(from path: String) throws -> LifestyleModel {
        let dir = try ModelDirectory(path: path)
        let manifest = try dir.manifest(as: ModelManifest.self)
        let vectorizer = try TFIDFModel.load(from: path, verifiedBytes: dir.bytes)
        let d = vectorizer.featureCount
        guard manifest.dimension == d else {
            throw InputError(file: "\(path)/manifest.json", field: "dimension", reason: "\(manifest.dimension), but the vectorizer has \(d) features")
        }
        func matrix(_ name: String, rows: Int) throws -> ContiguousArray<Float> {
            let values = try floatsFromLittleEndian(try dir.bytes(name), file: "\(path)/\(name)")
            guard values.count == rows * d else {
                throw InputError(file: "\(path)/\(name)", reason: "holds \(values.count) values, expected \(rows) × \(d)")
            }
            return values
        }
        let clusterFile = try dir.json(clustersName, as: ClusterFile.self)
        guard clusterFile.k == manifest.k, clusterFile.clusters.count == manifest.k else {
            throw InputError(file: "\(path)/\(clustersName)", reason: "describes \(clusterFile.clusters.count) clusters, manifest says \(manifest.k)")
        }
        let clusters = CentroidSet(k: manifest.k, dimension: d, centroids: try matrix(centroidsName, rows: manifest.k))
        let lf = try dir.json(likelihoodName, as: LikelihoodFile.self)
        guard lf.topics == manifest.topics, lf.rates.count == lf.topics,
              lf.head != .logistic || lf.regression?.featureCount == lf.topics else {
            throw InputError(file: "\(path)/\(likelihoodName)", reason: "does not describe \(manifest.topics) topics as the manifest says")
        }
        let topics = TopicModel(k: lf.topics, vocabulary: d, logPhi: try matrix(topicsName, rows: lf.topics), temperature: lf.temperature,
                                alpha: lf.alpha, beta: lf.beta, userIterations: lf.userIterations)
        var likelihood = LikelihoodModel(topics: topics, head: lf.head, rates: lf.rates, regression: lf.regression,
                                         knownShare: lf.knownShare, referenceQuantiles: lf.referenceQuantiles)
        likelihood.primaryShare = lf.primaryShare
        let mixes = try floatsFromLittleEndian(try dir.bytes(clusterMixesName), file: "\(path)/\(clusterMixesName)")
        guard mixes.count == manifest.k * manifest.topics else {
            throw InputError(file: "\(path)/\(clusterMixesName)", reason: "holds \(mixes.count) values, expected \(manifest.k) × \(manifest.topics)")
        }
        let knownBytes = try dir.bytes(knownName)
        guard knownBytes.count % 8 == 0 else { throw InputError(file: "\(path)/\(knownName)", reason: "size \(knownBytes.count) is not a multiple of 8") }
        var known: [UInt64] = []
        known.reserveCapacity(knownBytes.count / 8)
        for i in stride(from: 0, to: knownBytes.count, by: 8) {
            var h: UInt64 = 0
            for b in 0..<8 { h |= UInt64(knownBytes[i + b]) << (8 * UInt64(b)) }
            known.append(h)
        }
        return LifestyleModel(manifest: manifest, vectorizer: vectorizer, clusters: clusters, clusterMixes: mixes,
                              clusterFile: clusterFile, likelihood: likelihood, knownBuyers: known)
    }
}

/// Now (or SOURCE_DATE_EPOCH) as ISO 8601 UTC.
func creationTimestamp() -> String {
    let seconds: Int64
    if let s = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let v = Int64(s) {
        seconds = v
    } else {
        seconds = Int64(Date().timeIntervalSince1970)
    }
    let day = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    let rest = seconds - Int64(day) * 86_400
    let hh = rest / 3600, mm = rest % 3600 / 60, ss = rest % 60
    func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(ISODate.format(day: day))T\(two(hh)):\(two(mm)):\(two(ss))Z"
}
