/// UTF-8 decoding by hand (several times faster than iterating `String.unicodeScalars`).
///
/// Invalid input follows the Unicode "maximal subpart" practice: each maximal invalid
/// subsequence becomes one U+FFFD and is counted.
public enum UTF8Decoding {
    /// The decoder: hands every code point (U+FFFD for each maximal invalid subsequence) to
    /// `emit`; returns how many replacements were made.
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, emit: (UInt32) -> Void) -> Int {
        var invalid = 0
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = UInt32(bytes[i])
            if b0 < 0x80 {
                emit(b0)
                i += 1
                continue
            }
            var need = 0
            var cp: UInt32 = 0
            var lo: UInt32 = 0x80, hi: UInt32 = 0xBF
            switch b0 {
            case 0xC2...0xDF: need = 1; cp = b0 & 0x1F
            case 0xE0: need = 2; cp = b0 & 0x0F; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2; cp = b0 & 0x0F
            case 0xED: need = 2; cp = b0 & 0x0F; hi = 0x9F  // no surrogates
            case 0xF0: need = 3; cp = b0 & 0x07; lo = 0x90
            case 0xF1...0xF3: need = 3; cp = b0 & 0x07
            case 0xF4: need = 3; cp = b0 & 0x07; hi = 0x8F
            default:
                emit(0xFFFD)
                invalid += 1
                i += 1
                continue
            }
            var j = i + 1
            var ok = true
            for k in 0..<need {
                guard j < n else { ok = false; break }
                let b = UInt32(bytes[j])
                let l = k == 0 ? lo : 0x80, h = k == 0 ? hi : 0xBF
                guard b >= l && b <= h else { ok = false; break }
                cp = cp << 6 | (b & 0x3F)
                j += 1
            }
            if ok {
                emit(cp)
            } else {
                emit(0xFFFD)
                invalid += 1
            }
            i = j
        }
        return invalid
    }

    /// Appends the code points of `bytes` to `out`; returns how many U+FFFD replacements were made.
    @discardableResult
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout ContiguousArray<UInt32>) -> Int {
        // At most one code point per byte: grow once, write through a pointer, trim.
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bytes.count))
        var written = 0
        let invalid = out.withUnsafeMutableBufferPointer { o in
            let p = o.baseAddress! + start
            return scan(bytes) { p[written] = $0; written += 1 }
        }
        out.removeLast(bytes.count - written)
        return invalid
    }

    /// Counts the replacements `decode` would make, without decoding.
    public static func invalidCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        // ASCII fast path: most lines of most files.
        var allASCII = true
        for b in bytes where b >= 0x80 { allASCII = false; break }
        if allASCII { return 0 }
        return scan(bytes) { _ in }
    }

    /// Encodes code points as UTF-8.
    public static func encode(_ scalars: UnsafeBufferPointer<UInt32>, into out: inout [UInt8]) {
        for v in scalars {
            appendUTF8(Unicode.Scalar(v) ?? "\u{FFFD}", to: &out)
        }
    }

    public static func string(_ scalars: UnsafeBufferPointer<UInt32>) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(scalars.count * 3)
        encode(scalars, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func string<C: Collection>(_ scalars: C) -> String where C.Element == UInt32 {
        ContiguousArray(scalars).withUnsafeBufferPointer { string($0) }
    }
}
