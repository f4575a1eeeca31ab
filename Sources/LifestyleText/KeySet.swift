/// A fixed set of 64-bit token keys for the per-token membership test (stop words): open
/// addressing in one flat array at load ≤ 1/4, one multiply per probe. About 3× cheaper than
/// `Set<UInt64>`, whose SipHash runs once per token.
struct KeySet: Sendable {
    private let slots: ContiguousArray<UInt64>
    private let mask: Int
    private let hasZero: Bool
    /// One bit per Basic Multilingual Plane code point: set when some packed key (≤ 3 code
    /// points) starts with it. A packed key whose first code point has no bit is not in the
    /// set, found in an 8 KB bitmap that stays in L1 instead of a probe of the table.
    private let firstCharacters: ContiguousArray<UInt64>

    init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        let unique = Array(Set(keys))
        var capacity = 16
        while capacity < unique.count * 4 { capacity <<= 1 }
        var slots = ContiguousArray<UInt64>(repeating: 0, count: capacity)
        var zero = false
        for key in unique {
            if key == 0 { zero = true; continue }
            var h = KeySet.hash(key) & (capacity - 1)
            while slots[h] != 0 { h = (h + 1) & (capacity - 1) }
            slots[h] = key
        }
        self.slots = slots
        self.mask = capacity - 1
        self.hasZero = zero
        var first = ContiguousArray<UInt64>(repeating: 0, count: 0x10000 / 64)
        for key in unique where key >> 63 == 0 && key != 0 {
            let cp = Int(key & 0x1F_FFFF) - 1
            if cp < 0x10000 { first[cp >> 6] |= 1 << UInt64(cp & 63) }
        }
        self.firstCharacters = first
    }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        if key == 0 { return hasZero }
        if key >> 63 == 0 {
            let cp = Int(truncatingIfNeeded: key & 0x1F_FFFF) &- 1
            if cp < 0x10000 {
                let hit = firstCharacters.withUnsafeBufferPointer { $0[cp >> 6] >> UInt64(cp & 63) & 1 }
                if hit == 0 { return false }
            }
        }
        return slots.withUnsafeBufferPointer { s in
            var h = KeySet.hash(key) & mask
            while true {
                let v = s[h]
                if v == key { return true }
                if v == 0 { return false }
                h = (h + 1) & mask
            }
        }
    }

    var isEmpty: Bool { !hasZero && !slots.contains { $0 != 0 } }
}
