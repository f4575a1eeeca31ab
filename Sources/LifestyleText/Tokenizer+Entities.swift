/// Recognisers for microblog entities; each returns where the entity ends (exclusive) or nil/start.
extension Tokenizer {
    /// `#topic#`: up to 64 code points, no newline or `#` inside, not only spaces.
    func hashtagEnd(_ s: UnsafeBufferPointer<UInt32>, from i: Int, limit n: Int) -> Int? {
        var j = i + 1
        var sawContent = false
        while j < n && j - i <= 65 {
            let c = s[j]
            if c == 0x23 { return sawContent ? j : nil }
            if c == 0x0A || c == 0x0D { return nil }
            if !CharacterClass.isWhitespace(c) { sawContent = true }
            j += 1
        }
        return nil
    }

    /// `@name`: Weibo nicknames are Han, letters, digits, `_` and `-` (up to 30).
    func mentionEnd(_ s: UnsafeBufferPointer<UInt32>, from i: Int, limit n: Int) -> Int {
        var j = i
        while j < n && j - i < 30 {
            let c = s[j]
            guard CharacterClass.isHan(c) || CharacterClass.isASCIILetter(c) || CharacterClass.isASCIIDigit(c)
                || c == 0x5F || c == 0x2D || (c >= 0x80 && CharacterClass.isOtherLetter(c)) else { break }
            j += 1
        }
        return j
    }

    /// `local@domain.tld` starting at `i` (ASCII local part, dotted domain, letter TLD), or nil.
    func emailEnd(_ s: UnsafeBufferPointer<UInt32>, from i: Int, limit n: Int) -> Int? {
        if i > 0, CharacterClass.isASCIILetter(s[i - 1]) || CharacterClass.isASCIIDigit(s[i - 1]) { return nil }
        var j = i
        while j < n, CharacterClass.isASCIILetter(s[j]) || CharacterClass.isASCIIDigit(s[j]) || s[j] == 0x2E || s[j] == 0x5F
                || s[j] == 0x25 || s[j] == 0x2B || s[j] == 0x2D { j += 1 }
        guard j > i, j < n, s[j] == 0x40 else { return nil }
        j += 1
        let domainStart = j
        var lastDot = -1
        while j < n, CharacterClass.isASCIILetter(s[j]) || CharacterClass.isASCIIDigit(s[j]) || s[j] == 0x2D || s[j] == 0x2E {
            if s[j] == 0x2E { lastDot = j }
            j += 1
        }
        while j > domainStart && s[j - 1] == 0x2E { j -= 1 }
        guard lastDot > domainStart, lastDot < j - 2 else { return nil }
        for k in (lastDot + 1)..<j where !CharacterClass.isASCIILetter(s[k]) { return nil }
        return j
    }

    /// `[表情]`: 1–10 Han/Latin/digit code points between square brackets.
    func emoticonEnd(_ s: UnsafeBufferPointer<UInt32>, from i: Int, limit n: Int) -> Int? {
        var j = i + 1
        while j < n && j - i <= 11 {
            let c = s[j]
            if c == 0x5D { return j > i + 1 ? j : nil }
            guard CharacterClass.isHan(c) || CharacterClass.isASCIILetter(c) || CharacterClass.isASCIIDigit(c) else { return nil }
            j += 1
        }
        return nil
    }

    /// `http://…`, `https://…`, `www.…`: ASCII URL characters (Han text right after a URL ends it).
    func urlEnd(_ s: UnsafeBufferPointer<UInt32>, from i: Int, limit n: Int) -> Int {
        func matches(_ p: String) -> Bool {
            var k = i
            for u in p.utf8 {
                guard k < n, s[k] == UInt32(u) else { return false }
                k += 1
            }
            return true
        }
        let prefix: Int
        if matches("https://") { prefix = 8 } else if matches("http://") { prefix = 7 } else if matches("www.") { prefix = 4 } else { return i }
        if i > 0 && (CharacterClass.isASCIILetter(s[i - 1]) || CharacterClass.isASCIIDigit(s[i - 1])) { return i }
        var j = i + prefix
        while j < n {
            let c = s[j]
            guard c > 0x20 && c < 0x7F, c != 0x22, c != 0x3C, c != 0x3E, c != 0x5C, c != 0x5E, c != 0x60, c != 0x7B, c != 0x7D, c != 0x7C else { break }
            j += 1
        }
        // Trailing sentence punctuation belongs to the sentence, not the URL.
        while j > i + prefix, [0x2E, 0x2C, 0x21, 0x3F, 0x3A, 0x3B, 0x29].contains(s[j - 1]) { j -= 1 }
        return j > i + prefix ? j : i
    }

    /// 123, 3.14, 1,000, 50% (a separator counts only between digits).
    func numberEnd(_ s: UnsafeBufferPointer<UInt32>, from i: Int, limit n: Int) -> Int {
        var j = i
        while j < n {
            let c = s[j]
            if CharacterClass.isASCIIDigit(c) { j += 1; continue }
            if (c == 0x2E || c == 0x2C), j + 1 < n, CharacterClass.isASCIIDigit(s[j + 1]) { j += 1; continue }
            if c == 0x25 { j += 1 }
            break
        }
        return j
    }

    /// A word: letters, then letters/digits/apostrophe/underscore/hyphen between letters.
    func wordEnd(_ s: UnsafeBufferPointer<UInt32>, from i: Int, limit n: Int) -> Int {
        var j = i
        while j < n {
            let c = s[j]
            if CharacterClass.isASCIILetter(c) || CharacterClass.isASCIIDigit(c) { j += 1; continue }
            if c >= 0x80 && !CharacterClass.isHan(c) && CharacterClass.isOtherLetter(c) { j += 1; continue }
            if (c == 0x27 || c == 0x5F || c == 0x2D), j + 1 < n, CharacterClass.isASCIILetter(s[j + 1]) { j += 1; continue }
            break
        }
        return j
    }

    /// One emoji grapheme: base [VS16|skin tone]* (ZWJ base [VS16|skin tone]*)*, flag pairs,
    /// keycaps (digit VS16? U+20E3) and subdivision tag sequences.
    func emojiEnd(_ s: UnsafeBufferPointer<UInt32>, from i: Int, limit n: Int) -> Int {
        let c = s[i]
        if CharacterClass.isRegionalIndicator(c) {
            return (i + 1 < n && CharacterClass.isRegionalIndicator(s[i + 1])) ? i + 2 : i + 1
        }
        var j = i + 1
        while j < n {
            let d = s[j]
            if d == 0xFE0F || d == 0xFE0E || d == 0x20E3 || CharacterClass.isEmojiModifier(d) || CharacterClass.isEmojiTag(d) {
                j += 1
                continue
            }
            if d == 0x200D, j + 1 < n, CharacterClass.isEmojiBase(s[j + 1]) {
                j += 2
                continue
            }
            break
        }
        return j
    }
}
