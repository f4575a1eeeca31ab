import LifestyleText

/// A document-frequency bound: an absolute number of documents or a fraction of them
/// (scikit-learn's int/float `min_df`, `max_df`).
public enum DocumentFrequency: Sendable, Equatable, Codable, CustomStringConvertible {
    case count(Int)
    case fraction(Double)

    /// The bound in documents for a corpus of `n`.
    func documents(of n: Int) -> Double {
        switch self {
        case .count(let c): Double(c)
        case .fraction(let f): f * Double(n)
        }
    }

    public var description: String {
        switch self {
        case .count(let c): String(c)
        case .fraction(let f): String(f)
        }
    }

    /// Parses "5" as a count and "0.5" / "50%" as a fraction.
    public init?(parsing text: String) {
        if text.hasSuffix("%"), let p = Double(text.dropLast()) { self = .fraction(p / 100); return }
        if let c = Int(text) { self = .count(c); return }
        if let f = Double(text) { self = .fraction(f); return }
        return nil
    }
}

/// Row normalisation.
public enum RowNorm: String, Sendable, Codable, CaseIterable {
    case l2, l1, none
}

/// TF-IDF hyper-parameters (scikit-learn's names where they exist).
public struct VectorizerConfiguration: Sendable, Equatable, Codable {
    public var minDF: DocumentFrequency = .count(1)
    public var maxDF: DocumentFrequency = .fraction(1.0)
    /// Keep only the most frequent terms (by total count over the corpus).
    public var maxFeatures: Int?
    /// Hashing mode: 2^bits buckets instead of a vocabulary (no term names stored; df bounds not applied).
    public var hashingBits: Int?
    public var useIDF = true
    /// idf = ln((1 + n) / (1 + df)) + 1, as if one extra document held every term.
    public var smoothIDF = true
    /// tf = 1 + ln(count).
    public var sublinearTF = true
    public var norm: RowNorm = .l2
    /// Worker threads (documents are split into chunks; results do not depend on this).
    public var threads: Int = defaultThreadCount
    /// Streaming fit: when more distinct terms than this are held, the rarest are pruned
    /// (gensim's `prune_at`); the summary reports how many, and min_df is then approximate.
    public var maxTermsInMemory: Int = 1 << 24

    public init() {}

    public func validate() throws {
        switch minDF {
        case .count(let c) where c < 1: throw ConfigurationError("minDF=\(c) should be >= 1")
        case .fraction(let f) where !(0...1).contains(f): throw ConfigurationError("minDF=\(f) should be in [0, 1]")
        default: break
        }
        switch maxDF {
        case .count(let c) where c < 1: throw ConfigurationError("maxDF=\(c) should be >= 1")
        case .fraction(let f) where !(0...1).contains(f): throw ConfigurationError("maxDF=\(f) should be in [0, 1]")
        default: break
        }
        if let m = maxFeatures, m < 1 { throw ConfigurationError("maxFeatures=\(m) should be >= 1") }
        if let b = hashingBits, !(4...28).contains(b) { throw ConfigurationError("hashingBits=\(b) should be in 4...28") }
        if hashingBits != nil && (minDF != .count(1) || maxDF != .fraction(1.0) || maxFeatures != nil) {
            throw ConfigurationError("minDF/maxDF/maxFeatures cannot be combined with hashingBits (buckets are not pruned)")
        }
        guard threads >= 1 else { throw ConfigurationError("threads=\(threads) should be >= 1") }
        guard maxTermsInMemory >= 1024 else { throw ConfigurationError("maxTermsInMemory=\(maxTermsInMemory) should be >= 1024") }
    }
}

/// The number of cores this process may use.
public var defaultThreadCount: Int {
    let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    return max(1, Int(n))
}

#if canImport(Glibc)
import Glibc
#endif
