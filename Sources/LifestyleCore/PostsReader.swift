/// One microblog post as read from `posts.jsonl` / CSV / TSV.
public struct Post: Sendable, Equatable {
    public var userID: String
    public var text: String
    public var postID: String?
    public var createdAt: String?
    public var line: Int

    public init(userID: String, text: String, postID: String? = nil, createdAt: String? = nil, line: Int = 0) {
        self.userID = userID
        self.text = text
        self.postID = postID
        self.createdAt = createdAt
        self.line = line
    }
}

/// What a reader did with its input: lines read, kept, skipped by reason.
public struct ReadSummary: Sendable, CustomStringConvertible {
    public var file: String
    public var linesRead = 0
    public var kept = 0
    public var skipped: [String: Int] = [:]
    public var invalidUTF8Replaced = 0
    public var surrogatesReplaced = 0
    /// The first few problems, already formatted `file:line: field: reason`.
    public var firstErrors: [InputError] = []

    public init(file: String) { self.file = file }

    public var skippedTotal: Int { skipped.values.reduce(0, +) }

    mutating func skip(_ error: InputError, reason: String) {
        skipped[reason, default: 0] += 1
        if firstErrors.count < 10 { firstErrors.append(error) }
    }

    public var description: String {
        var s = "\(file): \(linesRead) lines read, \(kept) kept, \(skippedTotal) skipped"
        if !skipped.isEmpty {
            s += " (" + skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        if invalidUTF8Replaced > 0 { s += "; \(invalidUTF8Replaced) invalid UTF-8 sequences replaced" }
        if surrogatesReplaced > 0 { s += "; \(surrogatesReplaced) unpaired surrogate escapes replaced" }
        return s
    }
}

/// Streams posts from JSON Lines (`user_id`, `text` required; `post_id`, `created_at` optional),
/// CSV with a header holding at least `user_id,text`, or TSV (`label<TAB>text`, the label taken
/// as the user id). Bad lines are reported and skipped, or thrown with `strict`.
public struct PostsReader {
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, csv, tsv
    }

    public let path: String
    public let format: Format
    public let strict: Bool

    public init(path: String, format: Format? = nil, strict: Bool = false) {
        self.path = path
        self.strict = strict
        if let format {
            self.format = format
        } else if path.hasSuffix(".csv") {
            self.format = .csv
        } else if path.hasSuffix(".tsv") || path.hasSuffix(".txt") {
            self.format = .tsv
        } else {
            self.format = .jsonl
        }
    }

    /// Calls `body` for every valid post in file order; returns the summary.
    @discardableResult
    public func forEach(progress: ((Int) -> Void)? = nil, _ body: (Post) throws -> Void) throws -> ReadSummary {
        try read(progress: progress, quick: nil, body)
    }

    /// One post's user id and text as UTF-8 bytes (JSON escapes already decoded), valid only
    /// during the call that receives it.
    public struct PostBytes {
        public let userID: UnsafeBufferPointer<UInt8>
        public let text: UnsafeBufferPointer<UInt8>
        public let line: Int
    }

    /// Like `forEach`, without making strings: plain JSON lines (`JSONLine.quickPost`) hand over
    /// their bytes where they lie; every other line is parsed in full, with the same checks,
    /// skips and summary as `forEach`.
    @discardableResult
    public func forEachBytes(progress: ((Int) -> Void)? = nil, _ body: (PostBytes) throws -> Void) throws -> ReadSummary {
        try withoutActuallyEscaping(body) { body in
            try read(progress: progress, quick: { line, userID, text, number in
                try body(PostBytes(userID: UnsafeBufferPointer(rebasing: line[userID]), text: UnsafeBufferPointer(rebasing: line[text]), line: number))
            }) { post in
                var post = post
                try post.userID.withUTF8 { u in try post.text.withUTF8 { t in try body(PostBytes(userID: u, text: t, line: post.line)) } }
            }
        }
    }

    private func read(progress: ((Int) -> Void)?,
                      quick: ((UnsafeBufferPointer<UInt8>, Range<Int>, Range<Int>, Int) throws -> Void)?,
                      _ body: (Post) throws -> Void) throws -> ReadSummary {
        var summary = ReadSummary(file: path)
        let reader = try LineReader(path: path)
        var csvColumns: CSVColumns?
        var csvPending: [UInt8] = []
        var csvStartLine = 0
        try reader.forEachLine(progress: progress) { lineNumber, bytes in
            summary.linesRead += 1
            let invalid = UTF8Decoding.invalidCount(bytes)
            if invalid > 0 {
                summary.invalidUTF8Replaced += invalid
                if strict { throw InputError(file: path, line: lineNumber, reason: "invalid UTF-8 (\(invalid) sequences)") }
            }
            do {
                switch format {
                case .jsonl:
                    // Only valid UTF-8 takes the byte path: elsewhere the full parser's strings
                    // (U+FFFD for each bad sequence) are what ids are compared by.
                    if invalid == 0, let quick, let (userID, text) = JSONLine.quickPost(bytes) {
                        summary.kept += 1
                        try quick(bytes, userID, text, lineNumber)
                    } else if let post = try parseJSONLine(bytes, line: lineNumber, summary: &summary) {
                        summary.kept += 1
                        try body(post)
                    }
                case .tsv:
                    if let post = try parseTSVLine(bytes, line: lineNumber) {
                        summary.kept += 1
                        try body(post)
                    }
                case .csv:
                    if csvColumns == nil {
                        // A bad header makes every line unreadable: always fatal.
                        do { csvColumns = try CSVColumns(header: bytes, file: path) } catch let e as InputError { throw HeaderError(error: e) }
                        return true
                    }
                    if csvPending.isEmpty { csvStartLine = lineNumber } else { csvPending.append(0x0A) }
                    csvPending.append(contentsOf: bytes)
                    guard CSV.quotesBalanced(csvPending) else { return true }
                    defer { csvPending.removeAll(keepingCapacity: true) }
                    let fields = try csvPending.withUnsafeBufferPointer { try CSV.split($0, file: path, line: csvStartLine) }
                    if let post = try csvColumns!.post(fields, file: path, line: csvStartLine) {
                        summary.kept += 1
                        try body(post)
                    }
                }
            } catch let header as HeaderError {
                throw header.error
            } catch let error as InputError {
                if strict { throw error }
                summary.skip(error, reason: error.field.map { "\($0): \(error.reason)" } ?? error.reason)
            }
            return true
        }
        if !csvPending.isEmpty {
            let error = InputError(file: path, line: csvStartLine, field: "text", reason: "unterminated quoted field")
            if strict { throw error }
            summary.skip(error, reason: "text: unterminated quoted field")
        }
        if format == .csv && csvColumns == nil {
            throw InputError(file: path, line: 1, reason: "empty file: expected a header with user_id,text")
        }
        return summary
    }

    private func parseJSONLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, summary: inout ReadSummary) throws -> Post? {
        // Blank lines are tolerated silently (common at file ends).
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { summary.linesRead -= 1; return nil }
        let fields: [(String, JSONLine.Value)]
        do {
            fields = try JSONLine.parseObject(bytes, replacedSurrogates: &summary.surrogatesReplaced)
        } catch {
            throw InputError(file: path, line: line, reason: "invalid JSON at column \(error.column): \(error.reason)")
        }
        var userID: String?, text: String?, postID: String?, createdAt: String?
        for (key, value) in fields {
            switch (key, value) {
            case ("user_id", .string(let s)): userID = s
            case ("user_id", .literal(let s)) where s != "null" && s != "true" && s != "false": userID = s
            case ("user_id", _): throw InputError(file: path, line: line, field: "user_id", reason: "expected a string")
            case ("text", .string(let s)): text = s
            case ("text", _): throw InputError(file: path, line: line, field: "text", reason: "expected a string")
            case ("post_id", .string(let s)), ("post_id", .literal(let s)): postID = s
            case ("created_at", .string(let s)): createdAt = s
            default: break
            }
        }
        guard let userID else { throw InputError(file: path, line: line, field: "user_id", reason: "missing") }
        guard !userID.isEmpty else { throw InputError(file: path, line: line, field: "user_id", reason: "empty") }
        guard let text else { throw InputError(file: path, line: line, field: "text", reason: "missing") }
        return Post(userID: userID, text: text, postID: postID, createdAt: createdAt, line: line)
    }

    private func parseTSVLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws -> Post? {
        if bytes.isEmpty { return nil }
        guard let tab = bytes.firstIndex(of: 0x09) else {
            return Post(userID: String(line), text: String(decoding: bytes, as: UTF8.self), line: line)
        }
        let label = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<tab]), as: UTF8.self)
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[(tab + 1)...]), as: UTF8.self)
        return Post(userID: label.isEmpty ? String(line) : label, text: text, line: line)
    }
}

/// Documents built from posts: one per user (all their posts, in file order) or one per post.
public struct DocumentCollection: Sendable {
    public enum Grouping: String, Sendable, CaseIterable {
        case user, post
    }

    /// User ids (or `user_id#post` ids when grouped by post), in order of first appearance.
    public var ids: [String]
    public var texts: [String]
    public var posts: Int
    public var summary: ReadSummary

    /// Reads `path` (JSON Lines, CSV or TSV) and groups its posts.
    public static func load(_ path: String, grouping: Grouping = .user, strict: Bool = false,
                            progress: ((Int) -> Void)? = nil) throws -> DocumentCollection {
        var ids: [String] = []
        var texts: [String] = []
        var position: [String: Int] = [:]
        var posts = 0
        let summary = try PostsReader(path: path, strict: strict).forEach(progress: progress) { post in
            posts += 1
            switch grouping {
            case .post:
                ids.append(post.postID ?? "\(post.userID)#\(posts)")
                texts.append(post.text)
            case .user:
                if let i = position[post.userID] {
                    texts[i] += "\n"
                    texts[i] += post.text
                } else {
                    position[post.userID] = ids.count
                    ids.append(post.userID)
                    texts.append(post.text)
                }
            }
        }
        if posts == 0 {
            var reason = "no valid posts"
            if let first = summary.firstErrors.first { reason += " (first problem: \(first))" }
            throw InputError(file: path, reason: reason)
        }
        return DocumentCollection(ids: ids, texts: texts, posts: posts, summary: summary)
    }
}

/// Carries a header problem past the per-line "skip and count" handling.
struct HeaderError: Error {
    var error: InputError
}
