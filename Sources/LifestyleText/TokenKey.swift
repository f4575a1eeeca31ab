/// A 64-bit identity for a token's code points, computed without building a `String`.
///
/// Tokens of up to three code points are packed exactly (code point + 1 in 21 bits each, so U+0000
/// survives; top bit clear), so
/// character n-grams up to trigrams never collide and decode back to text. Longer tokens get a
/// 63-bit hash with the top bit set. The same text always gives the same key, whichever analyzer
/// produced it (a word 中国 and the bigram 中国 are one feature).
public struct TokenKey: Hashable, Sendable, Comparable {
    public var raw: UInt64

    @inline(__always)
    public init(raw: UInt64) { self.raw = raw }

    @inline(__always)
    public init(_ s: UnsafeBufferPointer<UInt32>) {
        self.init(s.baseAddress!, count: s.count)
    }

    @inline(__always)
    public init(_ p: UnsafePointer<UInt32>, count: Int) {
        switch count {
        case 1: raw = UInt64(p[0]) + 1
        case 2: raw = (UInt64(p[0]) + 1) | (UInt64(p[1]) + 1) << 21
        case 3: raw = (UInt64(p[0]) + 1) | (UInt64(p[1]) + 1) << 21 | (UInt64(p[2]) + 1) << 42
        default: raw = TokenKey.hash(p, count: count) | (1 << 63)
        }
    }

    /// Packs a unigram.
    @inline(__always)
    public static func unigram(_ a: UInt32) -> TokenKey { TokenKey(raw: UInt64(a) + 1) }

    /// Packs a bigram.
    @inline(__always)
    public static func bigram(_ a: UInt32, _ b: UInt32) -> TokenKey { TokenKey(raw: (UInt64(a) + 1) | (UInt64(b) + 1) << 21) }

    public init(_ text: String) {
        let scalars = ContiguousArray(text.unicodeScalars.map(\.value))
        self = scalars.withUnsafeBufferPointer { $0.isEmpty ? TokenKey(raw: 0) : TokenKey($0) }
    }

    /// True when the key is an exact packing (≤ 3 code points) rather than a hash.
    public var isPacked: Bool { raw >> 63 == 0 }

    /// The code points of a packed key, nil for hashed keys.
    public var packedScalars: [UInt32]? {
        guard isPacked else { return nil }
        var out: [UInt32] = []
        var r = raw
        while r != 0 {
            out.append(UInt32(r & 0x1F_FFFF) - 1)
            r >>= 21
        }
        return out
    }

    /// A well-mixed 64-bit value for hash tables and hashing-trick buckets.
    @inline(__always)
    public var mixed: UInt64 { TokenKey.fmix(raw) }

    @inline(__always)
    static func fmix(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt32>, count: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
        var i = 0
        while i + 1 < count {
            let v = UInt64(p[i]) | UInt64(p[i + 1]) << 32
            h = (h ^ fmix(v &+ 0x9E37_79B9_7F4A_7C15)) &* 0x9E37_79B9_7F4A_7C15
            h = (h << 29) | (h >> 35)
            i += 2
        }
        if i < count {
            h = (h ^ fmix(UInt64(p[i]) &+ 0x632B_E59B_D9B4_E019)) &* 0x9E37_79B9_7F4A_7C15
        }
        return fmix(h) & ~(1 << 63)
    }

    public static func < (a: TokenKey, b: TokenKey) -> Bool { a.raw < b.raw }
}
