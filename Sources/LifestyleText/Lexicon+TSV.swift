import Foundation
import LifestyleCore

/// Export and import of a lexicon (typically a discovered one) as tab-separated values.
///
/// Header: `word count cohesion left_entropy right_entropy score frequency tag` (tab-separated).
/// `count … score` are the discovery statistics (empty cells for words without them, such as
/// single characters); `frequency` is what the segmenter uses (after re-estimation it differs
/// from `count`). Numbers use Swift's shortest round-trip form, so export → import is exact.
extension Lexicon {
    /// The TSV header line (without newline).
    public static let tsvHeader = "word\tcount\tcohesion\tleft_entropy\tright_entropy\tscore\tfrequency\ttag"

    /// The lexicon as TSV text: header, then one line per word in lexicon order. O(words).
    public func tsv() -> String {
        var out = Lexicon.tsvHeader + "\n"
        for i in 0..<count {
            out += words[i]
            if !discoveries.isEmpty, let d = discoveries[i] {
                out += "\t\(d.count)\t\(d.cohesion)\t\(d.leftEntropy)\t\(d.rightEntropy)\t\(d.score)"
            } else {
                out += "\t\t\t\t\t"
            }
            out += "\t\(frequencies[i])\t\(tags[i])\n"
        }
        return out
    }

    /// Writes `tsv()` to `path` atomically (temporary file beside it, fsync, rename); creates
    /// missing directories. (Foundation's `.atomic` option leaves a `TemporaryDirectory.*` behind
    /// in /tmp on Linux for every write.)
    public func writeTSV(toFile path: String) throws {
        try AtomicFile.write(Array(tsv().utf8), to: path)
    }

    /// Parses TSV written by `tsv()`. A missing `frequency` column or cell falls back to `count`.
    ///
    /// - Throws: `InputError` with file:line and the column for a bad header or number.
    public init(tsv text: String, file: String = "<lexicon>", unknownFrequency: Double = 0.5) throws {
        var builder = Builder()
        var columns: [String: Int] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let row = line.hasSuffix("\r") ? line.dropLast() : line
            if row.isEmpty { continue }
            let cells = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if columns.isEmpty {
                for (i, name) in cells.enumerated() { columns[name] = i }
                for needed in ["word", "count"] where columns[needed] == nil {
                    throw InputError(file: file, line: lineNumber, field: needed, reason: "missing column in header")
                }
                continue
            }
            func cell(_ name: String) -> String? {
                guard let i = columns[name], i < cells.count, !cells[i].isEmpty else { return nil }
                return cells[i]
            }
            func number(_ name: String) throws -> Double? {
                guard let s = cell(name) else { return nil }
                guard let v = Double(s), !v.isNaN else {
                    throw InputError(file: file, line: lineNumber, field: name, reason: "'\(s)' is not a number")
                }
                return v
            }
            guard let word = cell("word") else {
                throw InputError(file: file, line: lineNumber, field: "word", reason: "empty word")
            }
            let count = try number("count")
            var discovery: DiscoveredWord?
            if let count, let c = try number("cohesion"), let l = try number("left_entropy"),
               let r = try number("right_entropy"), let s = try number("score") {
                discovery = DiscoveredWord(word: word, count: Int(count), cohesion: c, leftEntropy: l,
                                           rightEntropy: r, score: s)
            }
            let frequency = try number("frequency") ?? count ?? 0
            guard frequency >= 0 else {
                throw InputError(file: file, line: lineNumber, field: "frequency", reason: "\(frequency) should be >= 0")
            }
            builder.add(word: word, scalars: word.unicodeScalars.map(\.value), frequency: frequency,
                        tag: cell("tag") ?? "", discovery: discovery)
        }
        self.init(builder: builder, unknownFrequency: unknownFrequency)
    }
}
