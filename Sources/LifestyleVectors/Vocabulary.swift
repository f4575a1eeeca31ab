import LifestyleCore
import LifestyleText

/// The kept terms in column order (sorted by code point, as scikit-learn sorts `vocabulary_`),
/// with a hash index from token key to column.
///
/// Terms are held as code points in one arena; `term(at:)` makes the `String` when asked, so a
/// fit never pays for a hundred thousand strings nobody reads.
public struct Vocabulary: Sendable {
    /// Term i's code points are `arena[offsets[i]..<offsets[i + 1]]`.
    let arena: ContiguousArray<UInt32>
    let offsets: ContiguousArray<Int32>
    let keys: ContiguousArray<UInt64>
    let index: TermTable
    /// The column of every Basic Multilingual Plane character as a unigram (-1 when not a term):
    /// 256 KB that stay in cache, where a third to a half of a Chinese text's tokens are looked
    /// up (a hash probe is a likely cache miss).
    let unigramColumns: ContiguousArray<Int32>

    /// Builds the vocabulary from terms already in column order.
    public init(terms: [String]) {
        var arena = ContiguousArray<UInt32>()
        var offsets = ContiguousArray<Int32>([0])
        var keys = ContiguousArray<UInt64>()
        keys.reserveCapacity(terms.count)
        for t in terms {
            arena.append(contentsOf: t.unicodeScalars.map(\.value))
            offsets.append(Int32(arena.count))
            keys.append(TokenKey(t).raw)
        }
        self.init(arena: arena, offsets: offsets, keys: keys)
    }

    /// Builds the index from code points and keys already computed (`keys[i]` is term i's key).
    init(arena: ContiguousArray<UInt32>, offsets: ContiguousArray<Int32>, keys: ContiguousArray<UInt64>, index: TermTable? = nil) {
        self.arena = arena
        self.offsets = offsets
        self.keys = keys
        self.index = index ?? Vocabulary.index(of: keys)
        var unigrams = ContiguousArray<Int32>(repeating: -1, count: Vocabulary.unigramLimit)
        for (i, key) in keys.enumerated() where key >= 1 && key <= UInt64(Vocabulary.unigramLimit) {
            unigrams[Int(key - 1)] = Int32(i)
        }
        self.unigramColumns = unigrams
    }

    /// Unigram keys below this code point are looked up in `unigramColumns`.
    static let unigramLimit = 0x10000

    /// A table from key to position in `keys`.
    static func index(of keys: ContiguousArray<UInt64>) -> TermTable {
        let table = TermTable(capacity: max(16, keys.count))
        for i in keys.indices {
            if i + 8 < keys.count { table.prefetch(keys[i + 8]) }
            var inserted = false
            _ = table.findOrInsert(keys[i], inserted: &inserted)
        }
        return table
    }

    public var count: Int { keys.count }

    /// The term of column `i`.
    public func term(at i: Int) -> String {
        arena.withUnsafeBufferPointer { a in
            UTF8Decoding.string(UnsafeBufferPointer(rebasing: a[Int(offsets[i])..<Int(offsets[i + 1])]))
        }
    }

    /// Every term, in column order (allocates one string per term).
    public var terms: [String] { (0..<count).map(term(at:)) }

    /// The column of `term`, nil when not in the vocabulary.
    public func column(of term: String) -> Int? {
        let c = index.find(TokenKey(term).raw)
        return c < 0 ? nil : Int(c)
    }

    @inline(__always)
    func column(forKey key: UInt64) -> Int32 { index.find(key) }
}
