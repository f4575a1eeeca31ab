/// Code-point classes the tokenizer needs, as cheap range checks (no `Character`, no ICU call on
/// the hot path for the common scripts).
public enum CharacterClass {
    /// CJK ideographs (unified, extensions A–H, compatibility) and 〇.
    @inline(__always)
    public static func isHan(_ c: UInt32) -> Bool {
        if c < 0x3007 { return false }
        if c >= 0x4E00 && c <= 0x9FFF { return true }
        if c >= 0x3400 && c <= 0x4DBF { return true }
        if c == 0x3007 { return true }
        if c >= 0xF900 && c <= 0xFAFF { return true }
        if c >= 0x20000 && c <= 0x323AF { return true }
        return false
    }

    @inline(__always)
    public static func isASCIIDigit(_ c: UInt32) -> Bool { c &- 0x30 < 10 }

    @inline(__always)
    public static func isASCIILetter(_ c: UInt32) -> Bool { (c | 0x20) &- 0x61 < 26 }

    /// Letters of alphabetic scripts other than Han (Latin with accents, Greek, Cyrillic, kana, hangul…).
    @inline(__always)
    public static func isOtherLetter(_ c: UInt32) -> Bool {
        if c < 0x80 { return isASCIILetter(c) }
        if isHan(c) { return false }
        if c < 0x10000 { return bmpFlags.withUnsafeBufferPointer { $0[Int(c)] } & 2 != 0 }
        return otherLetterProperty(c)
    }

    static func otherLetterProperty(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.isAlphabetic && !s.properties.isEmojiPresentation
    }

    static func emojiBaseProperty(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        return (s.properties.isEmoji && c > 0xFF) || c == 0xA9 || c == 0xAE
    }

    /// `isEmojiBase` (bit 0) and `isOtherLetter` (bit 1) of every Basic Multilingual Plane code
    /// point, from the Unicode properties once: the scanner asks for every character that is
    /// neither Han nor ASCII (Chinese punctuation, symbols), and a property lookup costs far more
    /// than a byte in cache.
    static let bmpFlags: ContiguousArray<UInt8> = {
        var flags = ContiguousArray<UInt8>(repeating: 0, count: 0x10000)
        for c in UInt32(0x80) ..< 0x10000 {
            var f: UInt8 = 0
            if c >= 0xA9 && emojiBaseProperty(c) { f |= 1 }
            if !isHan(c) && otherLetterProperty(c) { f |= 2 }
            flags[Int(c)] = f
        }
        return flags
    }()

    /// Unicode white space (Python's `\s` set): ASCII space/tab/newlines, NBSP, U+2000…U+200A, U+3000 and friends.
    @inline(__always)
    public static func isWhitespace(_ c: UInt32) -> Bool {
        switch c {
        case 0x20, 0x09...0x0D, 0x1C...0x1F, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Pictographic emoji that start an emoji sequence (not digits, `#`, `*`, which are `isEmoji` too).
    @inline(__always)
    public static func isEmojiBase(_ c: UInt32) -> Bool {
        if c < 0xA9 { return false }
        if c >= 0x1F000 && c <= 0x1FAFF { return true }
        if c >= 0x2600 && c <= 0x27BF { return true }
        if c < 0x10000 { return bmpFlags.withUnsafeBufferPointer { $0[Int(c)] } & 1 != 0 }
        return emojiBaseProperty(c)
    }

    @inline(__always)
    public static func isRegionalIndicator(_ c: UInt32) -> Bool { c >= 0x1F1E6 && c <= 0x1F1FF }

    @inline(__always)
    public static func isEmojiModifier(_ c: UInt32) -> Bool { c >= 0x1F3FB && c <= 0x1F3FF }

    @inline(__always)
    public static func isVariationSelector(_ c: UInt32) -> Bool { c >= 0xFE00 && c <= 0xFE0F }

    /// Tag characters used by subdivision-flag emoji (🏴 + tags + cancel tag).
    @inline(__always)
    public static func isEmojiTag(_ c: UInt32) -> Bool { c >= 0xE0020 && c <= 0xE007F }

    /// Invisible format characters that carry no text: zero-width space/joiners, marks, BOM, soft hyphen…
    @inline(__always)
    public static func isInvisible(_ c: UInt32) -> Bool {
        switch c {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F, 0x200B...0x200F,
             0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8,
             0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    /// C0/C1 control characters other than the white-space ones.
    @inline(__always)
    public static func isControl(_ c: UInt32) -> Bool {
        (c < 0x20 && !(c >= 0x09 && c <= 0x0D) && !(c >= 0x1C && c <= 0x1F)) || c == 0x7F || (c >= 0x80 && c <= 0x9F && c != 0x85)
    }
}
