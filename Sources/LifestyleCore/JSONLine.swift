/// A small, strict parser for one flat JSON object per line (JSON Lines).
///
/// Only the top level is materialised: string values are decoded (escapes, surrogate pairs),
/// numbers/booleans/null kept as their literal text, nested arrays/objects skipped after being
/// checked for balance. Unpaired surrogate escapes become U+FFFD and are counted, as invalid
/// UTF-8 is elsewhere.
public struct JSONLine {
    public enum Value: Equatable, Sendable {
        case string(String)
        case literal(String)   // number, true, false, null
        case nested            // an object or array, skipped
    }

    public struct Failure: Error, Equatable, Sendable {
        public var reason: String
        public var column: Int
    }

    /// Parses `bytes` as one JSON object; `replacedSurrogates` counts unpaired `\uD8xx` escapes.
    public static func parseObject(_ bytes: UnsafeBufferPointer<UInt8>, replacedSurrogates: inout Int) throws(Failure) -> [(String, Value)] {
        var p = Parser(bytes: bytes)
        p.skipWhitespace()
        guard p.peek() == UInt8(ascii: "{") else { throw p.fail(p.atEnd ? "empty line" : "expected '{' at the start of a JSON object") }
        p.i += 1
        var fields: [(String, Value)] = []
        p.skipWhitespace()
        if p.peek() == UInt8(ascii: "}") {
            p.i += 1
        } else {
            while true {
                p.skipWhitespace()
                guard p.peek() == UInt8(ascii: "\"") else { throw p.fail("expected a quoted key") }
                let key = try p.string(&replacedSurrogates)
                p.skipWhitespace()
                guard p.peek() == UInt8(ascii: ":") else { throw p.fail("expected ':' after key \"\(key)\"") }
                p.i += 1
                p.skipWhitespace()
                let value = try p.value(&replacedSurrogates)
                fields.append((key, value))
                p.skipWhitespace()
                if p.peek() == UInt8(ascii: ",") { p.i += 1; continue }
                if p.peek() == UInt8(ascii: "}") { p.i += 1; break }
                throw p.fail(p.atEnd ? "unterminated object" : "expected ',' or '}'")
            }
        }
        p.skipWhitespace()
        guard p.atEnd else { throw p.fail("trailing characters after the object") }
        return fields
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0
        var atEnd: Bool { i >= bytes.count }
        func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }
        func fail(_ reason: String) -> Failure { Failure(reason: reason, column: i + 1) }

        mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            // A UTF-8 byte-order mark at the start of a line is tolerated.
            if i == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                i = 3
                skipWhitespace()
            }
        }

        mutating func value(_ replaced: inout Int) throws(Failure) -> Value {
            guard let c = peek() else { throw fail("missing value") }
            switch c {
            case UInt8(ascii: "\""): return .string(try string(&replaced))
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try skipNested()
                return .nested
            default:
                let start = i
                while i < bytes.count {
                    let b = bytes[i]
                    if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == 0x20 || b == 0x09 { break }
                    i += 1
                }
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                guard Parser.isLiteral(text) else { throw Failure(reason: "invalid value '\(text.prefix(20))'", column: start + 1) }
                return .literal(text)
            }
        }

        static func isLiteral(_ t: String) -> Bool {
            if t == "true" || t == "false" || t == "null" { return true }
            var sawDigit = false
            for (k, ch) in t.utf8.enumerated() {
                switch ch {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
                case UInt8(ascii: "-") where k == 0: break
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): break
                default: return false
                }
            }
            return sawDigit
        }

        /// Skips a nested array/object, checking that brackets pair up (`[1}` is rejected).
        mutating func skipNested() throws(Failure) {
            var closers: [UInt8] = []
            var dummy = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { _ = try string(&dummy); continue }
                if b == UInt8(ascii: "{") { closers.append(UInt8(ascii: "}")) }
                if b == UInt8(ascii: "[") { closers.append(UInt8(ascii: "]")) }
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    guard closers.last == b else { throw fail("mismatched '\(Character(Unicode.Scalar(b)))'") }
                    closers.removeLast()
                    if closers.isEmpty { i += 1; return }
                }
                i += 1
            }
            throw fail("unterminated nested value")
        }

        /// Decodes a string starting at the opening quote.
        mutating func string(_ replaced: inout Int) throws(Failure) -> String {
            i += 1
            let start = i
            // Fast path: no escapes.
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") {
                if bytes[i] < 0x20 { throw fail("control character in string") }
                i += 1
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            var out = [UInt8](bytes[start..<i])
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if b < 0x20 { throw fail("control character in string") }
                if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
                i += 1
                guard let e = peek() else { break }
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by an escaped low surrogate.
                        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                            let save = i
                            i += 2
                            let low = try hex4()
                            if (0xDC00...0xDFFF).contains(low) {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                i = save
                                scalar = 0xFFFD
                                replaced += 1
                            }
                        } else {
                            scalar = 0xFFFD
                            replaced += 1
                        }
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        scalar = 0xFFFD
                        replaced += 1
                    }
                    appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
                default:
                    throw Failure(reason: "invalid escape '\\\(Character(Unicode.Scalar(e)))'", column: i - 1)
                }
            }
            throw fail("unterminated string")
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }
    }
}

@inline(__always)
func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
    let v = s.value
    if v < 0x80 {
        out.append(UInt8(v))
    } else if v < 0x800 {
        out.append(UInt8(0xC0 | (v >> 6)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    } else if v < 0x10000 {
        out.append(UInt8(0xE0 | (v >> 12)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    } else {
        out.append(UInt8(0xF0 | (v >> 18)))
        out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    }
}

extension JSONLine {
    /// Where the `user_id` and `text` strings of a plain line are, without decoding anything:
    /// a line that is one flat object whose values are strings without escapes, numbers,
    /// booleans or null. Anything else — escapes, nesting, a missing or non-string `user_id` or
    /// `text`, an empty `user_id`, a byte-order mark, malformed JSON — returns nil, and the
    /// caller parses the line in full (which reports what is wrong). So a line taken here reads
    /// exactly as the full parser would read it.
    public static func quickPost(_ b: UnsafeBufferPointer<UInt8>) -> (userID: Range<Int>, text: Range<Int>)? {
        let n = b.count
        var i = 0
        @inline(__always) func skipSpace() {
            while i < n, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        }
        /// The content range of the string whose opening quote is at `i`; nil on an escape, a
        /// control character or no closing quote.
        @inline(__always) func plainString() -> Range<Int>? {
            i += 1
            let start = i
            while i < n {
                let c = b[i]
                if c == 0x22 { i += 1; return start ..< (i - 1) }
                if c == 0x5C || c < 0x20 { return nil }
                i += 1
            }
            return nil
        }
        @inline(__always) func matches(_ r: Range<Int>, _ word: StaticString) -> Bool {
            guard r.count == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for k in 0..<r.count where b[r.lowerBound + k] != w[k] { return false }
            return true
        }
        skipSpace()
        guard i < n, b[i] == 0x7B else { return nil }  // {
        i += 1
        var userID: Range<Int>?, text: Range<Int>?
        skipSpace()
        if i < n, b[i] == 0x7D { return nil }  // {}: no fields
        while true {
            skipSpace()
            guard i < n, b[i] == 0x22, let key = plainString() else { return nil }
            skipSpace()
            guard i < n, b[i] == 0x3A else { return nil }  // :
            i += 1
            skipSpace()
            guard i < n else { return nil }
            let isUser = matches(key, "user_id"), isText = matches(key, "text")
            if b[i] == 0x22 {
                guard let value = plainString() else { return nil }
                if isUser { userID = value } else if isText { text = value }
            } else {
                // A literal: the full parser's rule (true/false/null or a number-like run).
                guard !isUser && !isText else { return nil }
                let start = i
                while i < n, b[i] != 0x2C, b[i] != 0x7D, b[i] != 0x20, b[i] != 0x09 { i += 1 }
                guard isLiteral(UnsafeBufferPointer(rebasing: b[start..<i])) else { return nil }
            }
            skipSpace()
            guard i < n else { return nil }
            if b[i] == 0x2C { i += 1; continue }  // ,
            if b[i] == 0x7D { i += 1; break }  // }
            return nil
        }
        skipSpace()
        guard i == n, let userID, !userID.isEmpty, let text else { return nil }
        return (userID, text)
    }

    /// The full parser's literal rule (`Parser.isLiteral`) on bytes.
    static func isLiteral(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        Parser.isLiteral(String(decoding: t, as: UTF8.self))
    }
}
