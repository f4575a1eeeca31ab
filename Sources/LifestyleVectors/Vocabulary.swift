import LifestyleCore
import LifestyleText

/// The kept terms in column order (sorted by code point, as scikit-learn sorts `vocabulary_`),
/// with a hash index from token key to column.
public struct Vocabulary: Sendable {
    public let terms: [String]
    let keys: ContiguousArray<UInt64>
    let index: TermTable

    /// Builds the index for terms already in column order.
    public init(terms: [String]) {
        self.terms = terms
        var keys = ContiguousArray<UInt64>()
        keys.reserveCapacity(terms.count)
        let table = TermTable(capacity: max(16, terms.count))
        for t in terms {
            let key = TokenKey(t).raw
            keys.append(key)
            var inserted = false
            _ = table.findOrInsert(key, inserted: &inserted)
        }
        self.keys = keys
        self.index = table
    }

    /// Builds the index from keys already computed (`keys[i]` is `TokenKey(terms[i]).raw`).
    init(terms: [String], keys: ContiguousArray<UInt64>) {
        self.terms = terms
        self.keys = keys
        let table = TermTable(capacity: max(16, terms.count))
        for i in keys.indices {
            if i + 8 < keys.count { table.prefetch(keys[i + 8]) }
            var inserted = false
            _ = table.findOrInsert(keys[i], inserted: &inserted)
        }
        self.index = table
    }

    public var count: Int { terms.count }

    /// The column of `term`, nil when not in the vocabulary.
    public func column(of term: String) -> Int? {
        let c = index.find(TokenKey(term).raw)
        return c < 0 ? nil : Int(c)
    }

    @inline(__always)
    func column(forKey key: UInt64) -> Int32 { index.find(key) }
}

extension Vocabulary {
    /// Orders code-point sequences as Python orders `str` (code point by code point).
    static func lexicographicallyPrecedes(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        a.lexicographicallyPrecedes(b)
    }
}
