import Foundation
import LifestyleCore

/// Reading jieba's dictionary format and merging user dictionaries.
///
/// Format (jieba `dict.txt` and `load_userdict`): one word a line, `word [freq] [tag]`, fields
/// separated by spaces (or tabs); freq is a non-negative integer; blank lines are skipped; a
/// UTF-8 byte-order mark is ignored. The main dictionary requires a frequency, a user
/// dictionary may omit it (the merge then picks one that makes the word win).
extension Lexicon {
    /// Loads a jieba-format dictionary file (e.g. jieba's `dict.txt`, ~350k words in ~0.3 s).
    ///
    /// - Throws: `InputError` naming `path:line` for a bad line, or for an unreadable file.
    public static func jieba(contentsOfFile path: String, requireFrequency: Bool = true) throws -> Lexicon {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, reason: "cannot read dictionary: \(error.localizedDescription)")
        }
        return try Lexicon(builder: parseJieba(bytes: data, file: path, requireFrequency: requireFrequency),
                           unknownFrequency: 1)
    }

    /// Parses jieba-format text into entries (frequency `nil` where a user dictionary omits it).
    ///
    /// - Throws: `InputError(file:line:field:reason:)` for an empty word, a bad frequency,
    ///   too many fields or invalid UTF-8.
    public static func parseJieba(_ text: String, file: String = "<dictionary>",
                                  requireFrequency: Bool = false) throws -> [Entry] {
        var entries: [Entry] = []
        try forEachJiebaLine(bytes: Data(text.utf8), file: file, requireFrequency: requireFrequency) { word, freq, tag in
            entries.append(Entry(word: word, frequency: freq, tag: tag))
        }
        return entries
    }

    /// Reads a jieba-format user dictionary file into entries (frequency optional).
    public static func jiebaEntries(contentsOfFile path: String) throws -> [Entry] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, reason: "cannot read dictionary: \(error.localizedDescription)")
        }
        var entries: [Entry] = []
        try forEachJiebaLine(bytes: data, file: path, requireFrequency: false) { word, freq, tag in
            entries.append(Entry(word: word, frequency: freq, tag: tag))
        }
        return entries
    }

    static func parseJieba(bytes: Data, file: String, requireFrequency: Bool) throws -> Builder {
        var builder = Builder()
        var lines = 0
        bytes.withUnsafeBytes { raw in for b in raw where b == 0x0A { lines += 1 } }
        builder.reserve(words: lines + 1)
        try forEachJiebaLine(bytes: bytes, file: file, requireFrequency: requireFrequency) { word, freq, tag in
            builder.add(word: word, scalars: word.unicodeScalars.map(\.value), frequency: freq ?? 0,
                        tag: tag ?? "", discovery: nil)
        }
        return builder
    }

    /// Calls `body(word, frequency, tag)` for every non-blank line. O(bytes).
    static func forEachJiebaLine(bytes: Data, file: String, requireFrequency: Bool,
                                 _ body: (String, Double?, String?) -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            try forEachJiebaLine(all: raw.bindMemory(to: UInt8.self), file: file, requireFrequency: requireFrequency, body)
        }
    }

    static func forEachJiebaLine(all: UnsafeBufferPointer<UInt8>, file: String, requireFrequency: Bool,
                                 _ body: (String, Double?, String?) -> Void) throws {
        var lineNumber = 0
        var i = 0
        if all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF { i = 3 }
        while i < all.count {
            lineNumber += 1
            var end = i
            while end < all.count && all[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > i && all[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { i = end + 1 }
            // Split on spaces and tabs.
            var fields: [Range<Int>] = []
            var k = i
            var leadingBlank = false
            while k < lineEnd {
                if all[k] == 0x20 || all[k] == 0x09 {
                    if k == i { leadingBlank = true }
                    k += 1
                    continue
                }
                let s = k
                while k < lineEnd && all[k] != 0x20 && all[k] != 0x09 { k += 1 }
                fields.append(s..<k)
            }
            if fields.isEmpty { continue }
            func fail(_ field: String, _ reason: String) -> InputError {
                InputError(file: file, line: lineNumber, field: field, reason: reason)
            }
            if leadingBlank {
                throw fail("word", "empty word (line starts with a blank)")
            }
            if fields.count > 3 {
                throw fail("line", "expected `word [freq] [tag]`, got \(fields.count) fields")
            }
            guard let word = String(validating: all[fields[0]], as: UTF8.self) else {
                throw fail("word", "invalid UTF-8")
            }
            var frequency: Double?
            var tag: String?
            if fields.count >= 2 {
                let f = all[fields[1]]
                if f.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                    frequency = Double(String(decoding: f, as: UTF8.self))
                } else if fields.count == 2 && !requireFrequency && f.allSatisfy(isTagByte) {
                    tag = String(decoding: f, as: UTF8.self)
                } else {
                    let shown = String(decoding: f, as: UTF8.self)
                    throw fail("frequency", "'\(shown)' is not a non-negative integer")
                }
            }
            if fields.count == 3 {
                guard let t = String(validating: all[fields[2]], as: UTF8.self) else {
                    throw fail("tag", "invalid UTF-8")
                }
                tag = t
            }
            if requireFrequency && frequency == nil {
                throw fail("frequency", "missing (expected `word freq [tag]`)")
            }
            body(word, frequency, tag)
        }
    }

    private static func isTagByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
    }

    /// This lexicon with user words merged in; every user word is guaranteed to win on its own.
    ///
    /// A user entry replaces the frequency (and the tag, when given) of an existing word. Then,
    /// like jieba's `suggest_freq(word, tune=True)` but applied to every user word, each user
    /// word's frequency is raised to at least `⌊P(best split) × total⌋ + 1`, where the best split
    /// is the most probable segmentation of the word that does not keep it whole (an omitted
    /// frequency starts at 0 and gets exactly that). Hence `P(word) > P(best split)` and
    /// `segment(word) == [word]`; raising a frequency grows `total`, which penalises the
    /// many-piece split more than the single word, so the inequality survives; the pass repeats
    /// until no user word needs a raise (other user words may have improved a split). In
    /// context a neighbouring word may still overlap a user word when that path is more
    /// probable overall, as in jieba. Complexity: O(lexicon) + O(user words × length²) per pass.
    public func merging(user: [Entry]) -> Lexicon {
        var builder = Builder(self)
        var userIndices: [Int] = []
        for entry in user where !entry.word.isEmpty {
            let scalars = entry.word.unicodeScalars.map(\.value)
            let existing = index(of: entry.word)
            let f = entry.frequency.map { $0.isFinite && $0 > 0 ? $0 : 0 } ?? 0
            let tag = entry.tag ?? existing.map { tags[$0] } ?? ""
            let w = builder.add(word: entry.word, scalars: scalars, frequency: f, tag: tag, discovery: entry.discovery)
            userIndices.append(w)
        }
        var lexicon = Lexicon(builder: builder, unknownFrequency: unknownFrequency)
        for _ in 0..<8 {
            var changed = false
            for w in Set(userIndices).sorted() {
                let cps = lexicon.codePoints(ofWordAt: w)
                let split = Segmenter(lexicon: lexicon).bestSplitLogProbability(cps)
                let needed = (split.exp * lexicon.totalFrequency).rounded(.down) + 1
                if builder.frequencies[w] < needed {
                    builder.frequencies[w] = needed
                    changed = true
                }
            }
            if !changed { break }
            lexicon = Lexicon(builder: builder, unknownFrequency: unknownFrequency)
        }
        return lexicon
    }
}

extension Double {
    var exp: Double { Foundation.exp(self) }
}
