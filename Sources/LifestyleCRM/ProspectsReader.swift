import LifestyleCore

/// Streams `prospects.txt`: one user id per line, blanks around it trimmed.
///
/// Blank lines are ignored (and not counted as read); a first line that is exactly `user_id`
/// (after a byte order mark and blanks) is taken as a header. A repeated id is skipped and
/// counted (`user_id: duplicate of line 3`), thrown in strict mode. A file without one id is fatal.
public struct ProspectsReader {
    public let path: String
    public let strict: Bool

    public init(path: String, strict: Bool = false) {
        self.path = path
        self.strict = strict
    }

    /// Calls `body(userID, line)` for every new user id in file order; returns the summary.
    @discardableResult
    public func forEach(progress: ((Int) -> Void)? = nil, _ body: (String, Int) throws -> Void) throws -> ReadSummary {
        var summary = ReadSummary(file: path)
        let reader = try LineReader(path: path)
        var firstLine: [String: Int] = [:]
        try reader.forEachLine(progress: progress) { lineNumber, bytes in
            try checkUTF8(bytes, file: path, line: lineNumber, strict: strict, summary: &summary)
            var start = 0
            if lineNumber == 1 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
            let userID = trimmedBlanks(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            if userID.isEmpty { return true }
            if lineNumber == 1 && userID == "user_id" { return true }
            summary.linesRead += 1
            if let earlier = firstLine[userID] {
                let problem = LineProblem(file: path, line: lineNumber, field: "user_id",
                                          reason: "duplicate of line \(earlier)", kind: "duplicate line")
                if strict { throw problem.error }
                summary.recordSkip(problem)
                return true
            }
            firstLine[userID] = lineNumber
            summary.kept += 1
            try body(userID, lineNumber)
            return true
        }
        if summary.kept == 0 { throw noValidLines("user ids", summary: summary) }
        return summary
    }

    /// Reads the whole file: unique user ids in order of first appearance.
    public static func load(_ path: String, strict: Bool = false,
                            progress: ((Int) -> Void)? = nil) throws -> (userIDs: [String], summary: ReadSummary) {
        var ids: [String] = []
        let summary = try ProspectsReader(path: path, strict: strict).forEach(progress: progress) { id, _ in ids.append(id) }
        return (ids, summary)
    }
}
