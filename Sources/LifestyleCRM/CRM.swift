import LifestyleCore

/// The CRM side of the S-CRM loop: purchases, accounts, prospects and quality customers.
public enum CRM {}

/// Why a field did not parse: `kind` is stable (summaries count skipped lines by it),
/// `reason` names the offending value for the message.
public struct ParseFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: String
    public var reason: String

    public init(kind: String, reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}

// MARK: - Per-line problems

/// One bad input line: the error to show (or throw in strict mode) and the key it is counted
/// under in `ReadSummary.skipped` (no values or line numbers in it, so counts aggregate).
struct LineProblem: Error {
    var error: InputError
    var key: String

    init(file: String, line: Int, field: String? = nil, reason: String, kind: String? = nil) {
        error = InputError(file: file, line: line, field: field, reason: reason)
        let k = kind ?? reason
        key = field.map { "\($0): \(k)" } ?? k
    }

    init(_ error: InputError) {
        self.error = error
        key = error.field.map { "\($0): \(error.reason)" } ?? error.reason
    }
}

extension ReadSummary {
    /// Counts a skipped line under `reason` and keeps it among the first problems
    /// (the same bookkeeping as Core's readers).
    mutating func recordSkip(_ problem: LineProblem) {
        skipped[problem.key, default: 0] += 1
        if firstErrors.count < 10 { firstErrors.append(problem.error) }
    }
}

/// The fatal error for a file that produced nothing usable.
func noValidLines(_ what: String, summary: ReadSummary) -> InputError {
    var reason = "no valid \(what)"
    if let first = summary.firstErrors.first { reason += " (first problem: \(first))" }
    return InputError(file: summary.file, reason: reason)
}

/// Counts invalid UTF-8 the way `PostsReader` does: replaced and counted, fatal in strict mode.
func checkUTF8(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int, strict: Bool, summary: inout ReadSummary) throws {
    let invalid = UTF8Decoding.invalidCount(bytes)
    guard invalid > 0 else { return }
    summary.invalidUTF8Replaced += invalid
    if strict { throw InputError(file: file, line: line, reason: "invalid UTF-8 (\(invalid) sequences)") }
}

// MARK: - Small CSV files with a header

/// Column positions of a CRM CSV file, found from its header: names are matched case-insensitively
/// after trimming blanks (and a UTF-8 byte order mark); columns may come in any order and extra
/// columns are ignored. A missing column is always fatal.
struct CSVHeader {
    /// Position of each required column, in the order asked for.
    var positions: [Int]
    /// Number of columns every data line must have.
    var count: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, file: String, required: [String]) throws {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        let names = try CSV.split(UnsafeBufferPointer(rebasing: bytes[start...]), file: file, line: 1)
            .map { trimmedBlanks($0).lowercased() }
        positions = []
        for name in required {
            guard let i = names.firstIndex(of: name) else {
                throw InputError(file: file, line: 1, field: name,
                                 reason: "missing from header (expected \(required.joined(separator: ",")); found: \(names.joined(separator: ",")))")
            }
            positions.append(i)
        }
        count = names.count
    }

    /// The fields of one data line, or nil for a blank line (tolerated silently).
    /// Fields of CRM files never span lines, so an unbalanced quote is a bad line.
    func fields(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int) throws(LineProblem) -> [String]? {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        var quotes = 0
        for b in bytes where b == UInt8(ascii: "\"") { quotes += 1 }
        guard quotes % 2 == 0 else { throw LineProblem(file: file, line: line, reason: "unterminated quoted field") }
        let fields: [String]
        do {
            fields = try CSV.split(bytes, file: file, line: line)
        } catch let e as InputError {
            throw LineProblem(e)
        } catch {
            throw LineProblem(file: file, line: line, reason: "\(error)")
        }
        guard fields.count == count else {
            throw LineProblem(file: file, line: line, reason: "expected \(count) fields, found \(fields.count)")
        }
        return fields
    }
}

/// The reading loop every CRM CSV file shares: UTF-8 check, the header (missing columns are always
/// fatal), blank lines (neither read nor counted), bad lines (`parse` throws a `LineProblem`:
/// counted and skipped, or thrown with `strict`), an empty file and a file without one valid
/// record (fatal). `summary.linesRead` counts data lines only, so read = kept + skipped.
struct CSVRecords {
    let path: String
    let strict: Bool
    let required: [String]
    /// What the records are, for "no valid …" (e.g. "purchases").
    let what: String

    func forEach<Record>(progress: ((Int) -> Void)?,
                         parse: (_ fields: [String], _ header: CSVHeader, _ line: Int) throws(LineProblem) -> Record,
                         _ body: (Record, _ line: Int) throws -> Void) throws -> ReadSummary {
        var summary = ReadSummary(file: path)
        let reader = try LineReader(path: path)
        var header: CSVHeader?
        try reader.forEachLine(progress: progress) { lineNumber, bytes in
            guard let columns = header else {
                try checkUTF8(bytes, file: path, line: lineNumber, strict: strict, summary: &summary)
                header = try CSVHeader(bytes, file: path, required: required)
                return true
            }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return true }   // blank: tolerated, not counted
            summary.linesRead += 1
            try checkUTF8(bytes, file: path, line: lineNumber, strict: strict, summary: &summary)
            let record: Record
            do throws(LineProblem) {
                guard let fields = try columns.fields(bytes, file: path, line: lineNumber) else { return true }
                record = try parse(fields, columns, lineNumber)
            } catch {
                if strict { throw error.error }
                summary.recordSkip(error)
                return true
            }
            summary.kept += 1
            try body(record, lineNumber)
            return true
        }
        if header == nil {
            throw InputError(file: path, line: 1, reason: "empty file: expected a header with \(required.joined(separator: ","))")
        }
        if summary.kept == 0 { throw noValidLines(what, summary: summary) }
        return summary
    }
}

/// `s` without leading and trailing spaces and tabs.
func trimmedBlanks(_ s: String) -> String {
    let u = s.utf8
    guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
    let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
    if first == u.startIndex && last == u.index(before: u.endIndex) { return s }
    return String(s[first...last])
}

/// A value quoted for a message, shortened when long.
func quoted(_ s: String) -> String {
    let shown = s.count > 40 ? String(s.prefix(40)) + "…" : s
    return "\"\(shown)\""
}
