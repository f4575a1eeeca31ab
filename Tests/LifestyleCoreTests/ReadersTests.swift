import Foundation
import Testing
@testable import LifestyleCore

// MARK: - JSONLine

@Suite struct JSONLineTests {
    /// Parses `text` as one JSON line; returns the fields or the failure, and the surrogate count.
    func parse(_ text: String) -> (Result<[(String, JSONLine.Value)], JSONLine.Failure>, Int) {
        parse(bytes: Array(text.utf8))
    }

    func parse(bytes: [UInt8]) -> (Result<[(String, JSONLine.Value)], JSONLine.Failure>, Int) {
        var replaced = 0
        let result = bytes.withUnsafeBufferPointer { buf -> Result<[(String, JSONLine.Value)], JSONLine.Failure> in
            do throws(JSONLine.Failure) { return .success(try JSONLine.parseObject(buf, replacedSurrogates: &replaced)) } catch { return .failure(error) }
        }
        return (result, replaced)
    }

    func fields(_ text: String) throws -> [String: JSONLine.Value] {
        let (r, _) = parse(text)
        let pairs = try r.get()
        return Dictionary(pairs, uniquingKeysWith: { $1 })
    }

    func failure(_ text: String) throws -> JSONLine.Failure {
        let (r, _) = parse(text)
        guard case .failure(let f) = r else { throw InputError(reason: "expected \(text) to fail") }
        return f
    }

    @Test func simpleObject() throws {
        let (r, _) = parse(#"{"user_id": "u1", "text": "你好", "n": 12.5e3, "ok": true, "none": null}"#)
        let f = try r.get()
        #expect(f.map(\.0) == ["user_id", "text", "n", "ok", "none"])
        #expect(f[0].1 == .string("u1"))
        #expect(f[1].1 == .string("你好"))
        #expect(f[2].1 == .literal("12.5e3"))
        #expect(f[3].1 == .literal("true"))
        #expect(f[4].1 == .literal("null"))
    }

    @Test func emptyObject() throws {
        #expect(try fields("{}").isEmpty)
        #expect(try fields("  { }  ").isEmpty)
    }

    @Test func escapes() throws {
        let f = try fields(#"{"t": "a\"b\\c\/d\ne\tf\rg\bh\fi\u00e9\u4F60"}"#)
        #expect(f["t"] == .string("a\"b\\c/d\ne\tf\rg\u{08}h\u{0C}ié你"))
    }

    @Test func surrogatePairDecodes() {
        let (r, replaced) = parse(#"{"t": "x\ud83d\ude00y"}"#)
        #expect((try? r.get())?.first?.1 == .string("x😀y"))
        #expect(replaced == 0)
    }

    @Test(arguments: [
        (#"{"t": "\ud83dx"}"#, "\u{FFFD}x", 1),              // high surrogate, then plain text
        (#"{"t": "\ud83d"}"#, "\u{FFFD}", 1),                // high surrogate at the end of the string
        (#"{"t": "\ud83d\u0041"}"#, "\u{FFFD}A", 1),         // high surrogate, then a non-surrogate escape
        (#"{"t": "\ude00z"}"#, "\u{FFFD}z", 1),              // lone low surrogate
        (#"{"t": "\ude00\ud83d"}"#, "\u{FFFD}\u{FFFD}", 2),  // reversed pair
        (#"{"t": "\ud83d\ud83d\ude00"}"#, "\u{FFFD}😀", 1),  // high, then a valid pair
    ])
    func unpairedSurrogatesAreReplacedAndCounted(line: String, expected: String, count: Int) {
        let (r, replaced) = parse(line)
        #expect((try? r.get())?.first?.1 == .string(expected))
        #expect(replaced == count)
    }

    @Test func surrogatesInKeysAreCountedToo() {
        let (r, replaced) = parse(#"{"k\udc00": 1}"#)
        #expect((try? r.get())?.first?.0 == "k\u{FFFD}")
        #expect(replaced == 1)
    }

    @Test func nestedValuesAreSkipped() throws {
        let f = try fields(#"{"a": {"b": [1, 2, {"c": "}]"}], "d": {}}, "user_id": "u", "list": [[], [[]]], "text": "t"}"#)
        #expect(f["a"] == .nested)
        #expect(f["list"] == .nested)
        #expect(f["user_id"] == .string("u"))
        #expect(f["text"] == .string("t"))
    }

    @Test func byteOrderMarkAtStartIsTolerated() throws {
        let (r, _) = parse(bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"a": "b"}"#.utf8))
        #expect((try? r.get())?.first?.1 == .string("b"))
    }

    @Test(arguments: [
        (#"{"a": 1} x"#, "trailing characters after the object", 10),
        (#"{"a": 1}{}"#, "trailing characters after the object", 9),
        (#"{"a" 1}"#, "expected ':' after key \"a\"", 6),
        (#"{"user_id": tru}"#, "invalid value 'tru'", 13),
        (#"{"a": 1"#, "unterminated object", 8),
        (#"{"a": 1 "b": 2}"#, "expected ',' or '}'", 9),
        (#"{a: 1}"#, "expected a quoted key", 2),
        (#"[1, 2]"#, "expected '{' at the start of a JSON object", 1),
        (#"{"a": "abc"#, "unterminated string", 11),
        (#"{"a": "\x"}"#, "invalid escape '\\x'", 8),
        (#"{"a": "\u12"#, "truncated \\u escape", 10),
        (#"{"a": "\u12"}"#, "invalid \\u escape", 12),
        (#"{"a": "\u12zz"}"#, "invalid \\u escape", 12),
        (#"{"a": }"#, "invalid value ''", 7),
        (#"{"a": [1, 2"#, "unterminated nested value", 12),
        ("", "empty line", 1),
    ])
    func invalidJSONReportsReasonAndColumn(line: String, reason: String, column: Int) throws {
        let f = try failure(line)
        #expect(f.reason == reason)
        #expect(f.column == column)
    }

    @Test
    func mismatchedBracketsAreRejected() {
        let (r, _) = parse(#"{"a": [1}, "user_id": "u", "text": "x"}"#)
        guard case .failure = r else {
            Issue.record("mismatched brackets were accepted")
            return
        }
    }

    /// `quickPost` takes only lines the full parser reads the same way, and finds the same
    /// `user_id` and `text`; everything else is left to the full parser.
    @Test(arguments: [
        (#"{"user_id": "u1", "text": "你好 world"}"#, true),
        (#"  {"text":"t","user_id":"u1"}  "#, true),
        (#"{"user_id": "u1", "post_id": 7, "text": "x", "ok": true, "n": null, "f": -1.5e3}"#, true),
        (#"{"user_id": "u1", "text": "a", "text": "b"}"#, true),
        (#"{"user_id": "u1", "text": ""}"#, true),
        (#"{"user_id": "u1", "text": "line\nbreak"}"#, false),
        (#"{"user_id": "u\u0031", "text": "x"}"#, false),
        (#"{"user_id": "u1", "text": "x", "tags": ["a"]}"#, false),
        (#"{"user_id": "u1", "text": "x", "meta": {"a": 1}}"#, false),
        (#"{"user_id": 42, "text": "numeric id"}"#, false),
        (#"{"user_id": "", "text": "empty id"}"#, false),
        (#"{"user_id": "u1"}"#, false),
        (#"{"text": "no user"}"#, false),
        (#"{"user_id": "u1", "text": 5}"#, false),
        (#"{"user_id": "u1", "text": "x"} trailing"#, false),
        (#"{"user_id": "u1", "text": "x",}"#, false),
        (#"{"user_id": "u1", "text": "x", "bad": tru}"#, false),
        (#"{"user_id": "u1", "text": "x""#, false),
        (#"{}"#, false),
        (#"[1]"#, false),
        ("", false),
    ])
    func quickPostAgreesWithTheFullParser(line: String, quick: Bool) throws {
        let bytes = Array(line.utf8)
        let found = bytes.withUnsafeBufferPointer { b in
            JSONLine.quickPost(b).map { (String(decoding: b[$0.userID], as: UTF8.self), String(decoding: b[$0.text], as: UTF8.self)) }
        }
        #expect((found != nil) == quick)
        if let found {
            let f = try fields(line)  // the last of repeated keys, as the posts reader takes it
            #expect(f["user_id"] == .string(found.0))
            #expect(f["text"] == .string(found.1))
        }
    }

    @Test func quickPostLeavesControlCharactersAndByteOrderMarksToTheFullParser() {
        let lines: [[UInt8]] = [
            Array(#"{"user_id": "u1", "text": "a"#.utf8) + [0x01] + Array(#""}"#.utf8),
            [0xEF, 0xBB, 0xBF] + Array(#"{"user_id": "u1", "text": "a"}"#.utf8),
        ]
        for line in lines { #expect(line.withUnsafeBufferPointer { JSONLine.quickPost($0) } == nil) }
    }

    @Test func controlCharacterInStringIsRejected() throws {
        let f = try failure("{\"a\": \"x\u{01}y\"}")
        #expect(f.reason == "control character in string")
        #expect(f.column == 9)
    }
}

// MARK: - UTF-8 decoding

@Suite struct UTF8DecodingTests {
    func decode(_ bytes: [UInt8]) -> ([UInt32], Int) {
        var out = ContiguousArray<UInt32>()
        let n = bytes.withUnsafeBufferPointer { UTF8Decoding.decode($0, into: &out) }
        let counted = bytes.withUnsafeBufferPointer { UTF8Decoding.invalidCount($0) }
        #expect(counted == n, "invalidCount disagrees with decode for \(bytes)")
        return (Array(out), n)
    }

    @Test(arguments: [
        ([0xC0, 0x80], [0xFFFD, 0xFFFD], 2),                     // overlong NUL
        ([0xC1, 0xBF], [0xFFFD, 0xFFFD], 2),                     // overlong
        ([0xE0, 0x80, 0x80], [0xFFFD, 0xFFFD, 0xFFFD], 3),       // overlong 3-byte
        ([0xED, 0xA0, 0x80], [0xFFFD, 0xFFFD, 0xFFFD], 3),       // UTF-16 surrogate D800
        ([0xF5, 0x80, 0x80, 0x80], [0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD], 4),
        ([0xF4, 0x90, 0x80, 0x80], [0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD], 4), // > U+10FFFF
        ([0xFF], [0xFFFD], 1),
        ([0x80], [0xFFFD], 1),                                   // lone continuation byte
        ([0x61, 0xE4, 0xB8], [0x61, 0xFFFD], 1),                 // truncated at the end: one maximal subpart
        ([0xE4, 0xB8, 0x41], [0xFFFD, 0x41], 1),                 // truncated before ASCII
        ([0xF0, 0x9F, 0x98], [0xFFFD], 1),                       // truncated 4-byte
        ([0xF0, 0x9F, 0x98, 0x80], [0x1F600], 0),                // 😀
        ([0xE4, 0xBD, 0xA0, 0x61], [0x4F60, 0x61], 0),           // 你a
        ([0xC3, 0xA9], [0xE9], 0),                               // é
        ([0xEF, 0xBF, 0xBF], [0xFFFF], 0),                       // noncharacter is still valid UTF-8
        ([0xF4, 0x8F, 0xBF, 0xBF], [0x10FFFF], 0),
    ] as [([UInt8], [UInt32], Int)])
    func sequences(bytes: [UInt8], expected: [UInt32], invalid: Int) {
        let (out, n) = decode(bytes)
        #expect(out == expected)
        #expect(n == invalid)
    }

    @Test func agreesWithStandardLibraryOnValidText() {
        let text = "Hello, 世界! 👨‍👩‍👧 Привет ǅ 🇨🇳 \u{10FFFF}"
        let (out, n) = decode(Array(text.utf8))
        #expect(n == 0)
        #expect(out == text.unicodeScalars.map(\.value))
        #expect(UTF8Decoding.string(out) == text)
    }

    @Test func replacementCountMatchesStandardLibrary() {
        // The standard library also follows the maximal-subpart practice.
        let bytes: [UInt8] = [0x61, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0xF5, 0x80, 0xE4, 0xB8, 0x62, 0x80, 0xF0, 0x9F, 0x98]
        let (out, n) = decode(bytes)
        let std = String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value)
        #expect(out == std)
        #expect(n == std.filter { $0 == 0xFFFD }.count)
    }

    @Test func encodeReplacesInvalidScalars() {
        let scalars: [UInt32] = [0x41, 0xD800, 0x110000, 0x1F600]
        #expect(UTF8Decoding.string(scalars) == "A\u{FFFD}\u{FFFD}😀")
    }
}

// MARK: - LineReader

@Suite struct LineReaderTests {
    func lines(_ bytes: [UInt8], chunkSize: Int) throws -> [String] {
        let dir = ScratchDirectory("lines")
        let p = dir.write("f.txt", bytes)
        let reader = try LineReader(path: p)
        var out: [String] = []
        var numbers: [Int] = []
        try reader.forEachLine(chunkSize: chunkSize) { n, line in
            numbers.append(n)
            out.append(String(decoding: line, as: UTF8.self))
            return true
        }
        #expect(numbers == Array(1..<(out.count + 1)))
        #expect(reader.fileSize == bytes.count)
        return out
    }

    @Test(arguments: [1, 2, 3, 5, 8, 64, 1 << 22])
    func chunkSizesGiveTheSameLines(chunkSize: Int) throws {
        let text = "first line\nsecond, much longer line than the chunk size\n\nlast without newline"
        #expect(try lines(Array(text.utf8), chunkSize: chunkSize) ==
                ["first line", "second, much longer line than the chunk size", "", "last without newline"])
    }

    @Test(arguments: [1, 3, 7, 1 << 22])
    func crlfIsStrippedAndTrailingNewlineAddsNoLine(chunkSize: Int) throws {
        #expect(try lines(Array("a\r\nbb\r\n\r\nccc\r\n".utf8), chunkSize: chunkSize) == ["a", "bb", "", "ccc"])
    }

    @Test func emptyFileHasNoLines() throws {
        #expect(try lines([], chunkSize: 16).isEmpty)
    }

    @Test func onlyNewlines() throws {
        #expect(try lines(Array("\n\n".utf8), chunkSize: 1) == ["", ""])
    }

    @Test func stopsWhenBodyReturnsFalse() throws {
        let dir = ScratchDirectory("lines")
        let p = dir.write("f.txt", "1\n2\n3\n4\n")
        let reader = try LineReader(path: p)
        var seen: [String] = []
        try reader.forEachLine(chunkSize: 3) { _, line in
            seen.append(String(decoding: line, as: UTF8.self))
            return seen.count < 2
        }
        #expect(seen == ["1", "2"])
    }

    @Test func progressReportsBytesConsumed() throws {
        let dir = ScratchDirectory("lines")
        let p = dir.write("f.txt", "abcdefghij\nk\n")
        let reader = try LineReader(path: p)
        var reports: [Int] = []
        try reader.forEachLine(chunkSize: 4, progress: { reports.append($0) }) { _, _ in true }
        #expect(reports.last == 13)
        #expect(reports == reports.sorted())
    }

    @Test func missingFileThrowsInputError() throws {
        let error = try #require(throws: InputError.self) { _ = try LineReader(path: "/tmp/no-such-lifestyle-file-\(UUID().uuidString)") }
        #expect(error.reason.hasPrefix("cannot open"))
    }
}

// MARK: - PostsReader

@Suite struct PostsReaderTests {
    func read(_ path: String, strict: Bool = false, format: PostsReader.Format? = nil) throws -> ([Post], ReadSummary) {
        var posts: [Post] = []
        let summary = try PostsReader(path: path, format: format, strict: strict).forEach { posts.append($0) }
        return (posts, summary)
    }

    func jsonlWithProblems(_ dir: ScratchDirectory) -> (String, String) {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array(#"{"user_id": "u1", "text": "hello", "post_id": "p1", "created_at": "2025-01-01"}"#.utf8) + [0x0A]   // 1
        bytes += Array(#"{"text": "no user"}"#.utf8) + [0x0A]                                                                  // 2
        bytes += Array(#"{"user_id": "u2", "text": 5}"#.utf8) + [0x0A]                                                         // 3
        bytes += Array(#"{"user_id": "u2", "text":"#.utf8) + [0x0A]                                                            // 4
        bytes += Array("   ".utf8) + [0x0A]                                                                                     // 5 blank
        bytes += Array(#"{"user_id": "u3", "text": "bad "#.utf8) + [0xFF] + Array(#" byte"}"#.utf8) + [0x0A]                  // 6
        bytes += Array(#"{"user_id": "u1", "text": "crlf"}"#.utf8) + [0x0D, 0x0A]                                              // 7
        bytes += Array(#"{"user_id": "", "text": "empty id"}"#.utf8) + [0x0A]                                                  // 8
        bytes += Array(#"{"user_id": 42, "post_id": 7, "text": "numeric id"}"#.utf8) + [0x0A]                                  // 9
        bytes += Array(#"{"user_id": "u4"}"#.utf8) + [0x0A]                                                                    // 10
        bytes += [0x0A]                                                                                                         // 11 blank
        bytes += Array(#"{"user_id": "u5", "text": "last \ud83d"}"#.utf8)                                                      // 12, no newline
        let p = dir.write("posts.jsonl", bytes)
        return (p, String(decoding: bytes, as: UTF8.self))
    }

    /// The byte path (`forEachBytes`, taking plain lines without strings) reads what `forEach`
    /// reads, line for line, with the same summary.
    @Test func bytePathReadsWhatTheStringPathReads() throws {
        let dir = ScratchDirectory("posts-bytes")
        let (p, _) = jsonlWithProblems(dir)
        let (posts, summary) = try read(p)
        var viaBytes: [(String, String, Int)] = []
        let byteSummary = try PostsReader(path: p).forEachBytes {
            viaBytes.append((String(decoding: $0.userID, as: UTF8.self), String(decoding: $0.text, as: UTF8.self), $0.line))
        }
        #expect(viaBytes.map(\.0) == posts.map(\.userID))
        #expect(viaBytes.map(\.1) == posts.map(\.text))
        #expect(viaBytes.map(\.2) == posts.map(\.line))
        #expect(byteSummary.description == summary.description)
        #expect(byteSummary.firstErrors.map(\.description) == summary.firstErrors.map(\.description))
        #expect(throws: InputError.self) { try PostsReader(path: p, strict: true).forEachBytes { _ in } }
    }

    @Test func jsonlBadLinesAreCountedAndReported() throws {
        let dir = ScratchDirectory("posts")
        let (p, _) = jsonlWithProblems(dir)
        let (posts, summary) = try read(p)
        #expect(posts.map(\.userID) == ["u1", "u3", "u1", "42", "u5"])
        #expect(posts.map(\.line) == [1, 6, 7, 9, 12])
        #expect(posts[0] == Post(userID: "u1", text: "hello", postID: "p1", createdAt: "2025-01-01", line: 1))
        #expect(posts[1].text == "bad \u{FFFD} byte")
        #expect(posts[2].text == "crlf")
        #expect(posts[3].postID == "7")
        #expect(posts[4].text == "last \u{FFFD}")
        #expect(summary.kept == 5)
        #expect(summary.linesRead == 10)   // blank lines are not counted
        #expect(summary.skippedTotal == 5)
        #expect(summary.invalidUTF8Replaced == 1)
        #expect(summary.surrogatesReplaced == 1)
        #expect(summary.skipped["user_id: missing"] == 1)
        #expect(summary.skipped["user_id: empty"] == 1)
        #expect(summary.skipped["text: expected a string"] == 1)
        #expect(summary.skipped["text: missing"] == 1)
        #expect(summary.firstErrors.map(\.description) == [
            "\(p):2: user_id: missing",
            "\(p):3: text: expected a string",
            "\(p):4: invalid JSON at column \(#"{"user_id": "u2", "text":"#.utf8.count + 1): missing value",
            "\(p):8: user_id: empty",
            "\(p):10: text: missing",
        ])
        let d = summary.description
        #expect(d.hasPrefix("\(p): 10 lines read, 5 kept, 5 skipped ("))
        #expect(d.contains("1 invalid UTF-8 sequences replaced"))
        #expect(d.contains("1 unpaired surrogate escapes replaced"))
    }

    @Test func strictThrowsTheFirstProblem() throws {
        let dir = ScratchDirectory("posts")
        let (p, _) = jsonlWithProblems(dir)
        let error = try #require(throws: InputError.self) { try read(p, strict: true) }
        #expect(error == InputError(file: p, line: 2, field: "user_id", reason: "missing"))
        #expect(error.description == "\(p):2: user_id: missing")
    }

    @Test func strictRejectsInvalidUTF8() throws {
        let dir = ScratchDirectory("posts")
        let p = dir.write("p.jsonl", Array(#"{"user_id": "a", "text": "ok"}"#.utf8) + [0x0A] + Array(#"{"user_id": "b", "text": ""#.utf8) + [0xC0, 0x80] + Array(#""}"#.utf8) + [0x0A])
        let error = try #require(throws: InputError.self) { try read(p, strict: true) }
        #expect(error.line == 2)
        #expect(error.reason == "invalid UTF-8 (2 sequences)")
        let (posts, summary) = try read(p)
        #expect(posts.count == 2)
        #expect(summary.invalidUTF8Replaced == 2)
    }

    @Test func csvWithQuotedFields() throws {
        let dir = ScratchDirectory("posts")
        let csv = "\u{FEFF}User_ID,text,post_id,created_at\r\n"
            + "u1,\"hello, world\",p1,2025-01-01\r\n"
            + "u2,\"she said \"\"hi\"\"\",p2,\r\n"
            + "u3,\"line one\nline two\n\nline four\",p3,x\n"
            + "u4,plain,p4,y\n"
            + "u5,too,many,fields,here\n"
            + "\n"
            + ",no user,p6,z\n"
            + "u7,\"bad\"x,p7,z\n"
            + "u8,\"\",p8,\n"
        let p = dir.write("posts.csv", csv)
        let (posts, summary) = try read(p)
        #expect(posts.map(\.userID) == ["u1", "u2", "u3", "u4", "u8"])
        #expect(posts.map(\.text) == ["hello, world", "she said \"hi\"", "line one\nline two\n\nline four", "plain", ""])
        #expect(posts.map(\.line) == [2, 3, 4, 8, 13])
        #expect(posts.map(\.postID) == ["p1", "p2", "p3", "p4", "p8"])
        #expect(posts[0].createdAt == "2025-01-01")
        #expect(summary.kept == 5)
        #expect(summary.skippedTotal == 3)
        #expect(summary.firstErrors.map(\.description) == [
            "\(p):9: expected 4 fields, found 5",
            "\(p):11: user_id: empty",
            "\(p):12: column 2: characters after a closing quote",
        ])
    }

    @Test func csvUnterminatedQuoteIsReportedAtItsFirstLine() throws {
        let dir = ScratchDirectory("posts")
        let p = dir.write("posts.csv", "user_id,text\nu1,ok\nu2,\"never closed\nmore\n")
        let (posts, summary) = try read(p)
        #expect(posts.map(\.text) == ["ok"])
        #expect(summary.firstErrors.map(\.description) == ["\(p):3: text: unterminated quoted field"])
        let error = try #require(throws: InputError.self) { try read(p, strict: true) }
        #expect(error.line == 3)
    }

    @Test func csvHeaderMissingTextIsFatalInStrictMode() throws {
        let dir = ScratchDirectory("posts")
        let p = dir.write("posts.csv", "user_id,body\nu1,hello\n")
        let error = try #require(throws: InputError.self) { try read(p, strict: true) }
        #expect(error.line == 1)
        #expect(error.field == "text")
        #expect(error.description == "\(p):1: text: missing from header (found: user_id,body)")
    }

    @Test
    func csvHeaderMissingTextNamesTheField() throws {
        let dir = ScratchDirectory("posts")
        let p = dir.write("posts.csv", "user_id,body\nu1,hello\n")
        let error = try #require(throws: InputError.self) { try read(p) }
        #expect(error.line == 1)
        #expect(error.field == "text")
        #expect(error.description.contains("text: missing from header"))
    }

    @Test func csvHeaderMissingUserID() throws {
        let dir = ScratchDirectory("posts")
        let p = dir.write("posts.csv", "id,text\n")
        let error = try #require(throws: InputError.self) { try read(p, strict: true) }
        #expect(error.field == "user_id")
    }

    @Test func emptyCSVIsAnError() throws {
        let dir = ScratchDirectory("posts")
        let p = dir.write("empty.csv", "")
        let error = try #require(throws: InputError.self) { try read(p) }
        #expect(error.reason.contains("header"))
    }

    @Test func tsvLabelsAndText() throws {
        let dir = ScratchDirectory("posts")
        let p = dir.write("posts.tsv", "sports\t今天 跑步\tten km\nno tab here\n\n\tlabel empty\r\n")
        let (posts, summary) = try read(p)
        #expect(posts.map(\.userID) == ["sports", "2", "4"])
        #expect(posts.map(\.text) == ["今天 跑步\tten km", "no tab here", "label empty"])
        #expect(summary.kept == 3)
        #expect(summary.skippedTotal == 0)
    }

    @Test func formatFromExtensionAndOverride() {
        #expect(PostsReader(path: "a.csv").format == .csv)
        #expect(PostsReader(path: "a.tsv").format == .tsv)
        #expect(PostsReader(path: "a.txt").format == .tsv)
        #expect(PostsReader(path: "a.jsonl").format == .jsonl)
        #expect(PostsReader(path: "a.json").format == .jsonl)
        #expect(PostsReader(path: "a.csv", format: .jsonl).format == .jsonl)
    }

    @Test func emptyJSONLFileReadsNothing() throws {
        let dir = ScratchDirectory("posts")
        let p = dir.write("empty.jsonl", "")
        let (posts, summary) = try read(p)
        #expect(posts.isEmpty)
        #expect(summary.linesRead == 0)
        #expect(summary.kept == 0)
    }

    @Test func fiveMegabyteSinglePostIsReadIntact() throws {
        let dir = ScratchDirectory("posts")
        let unit = "健身房撸铁 gym 😀 "
        var text = ""
        while text.utf8.count < 5 * 1024 * 1024 { text += unit }
        let p = dir.write("big.jsonl", "{\"user_id\": \"big\", \"text\": \"\(text)\"}\n{\"user_id\": \"small\", \"text\": \"x\"}\n")
        let (posts, summary) = try read(p)
        #expect(posts.count == 2)
        #expect(posts.first?.text.utf8.count == text.utf8.count)
        #expect(posts.first?.text == text)
        #expect(posts.last?.line == 2)
        #expect(summary.kept == 2)
    }

    @Test func missingFile() throws {
        let path = "/tmp/lifestyle-no-such-posts-\(UUID().uuidString).jsonl"
        let error = try #require(throws: InputError.self) { try read(path) }
        #expect(error.description.hasPrefix("\(path): cannot open"))
    }
}

// MARK: - DocumentCollection

@Suite struct DocumentCollectionTests {
    func corpus(_ dir: ScratchDirectory) -> String {
        dir.write("posts.jsonl", """
        {"user_id": "b", "post_id": "p1", "text": "first of b"}
        {"user_id": "a", "text": "first of a"}
        {"user_id": "b", "post_id": "p3", "text": "second of b"}
        {"text": "broken"}
        {"user_id": "b", "text": "third of b"}
        """)
    }

    @Test func groupsByUserInOrder() throws {
        let dir = ScratchDirectory("docs")
        let docs = try DocumentCollection.load(corpus(dir), grouping: .user)
        #expect(docs.ids == ["b", "a"])
        #expect(docs.texts == ["first of b\nsecond of b\nthird of b", "first of a"])
        #expect(docs.posts == 4)
        #expect(docs.summary.kept == 4)
        #expect(docs.summary.skippedTotal == 1)
    }

    @Test func groupsByPost() throws {
        let dir = ScratchDirectory("docs")
        let docs = try DocumentCollection.load(corpus(dir), grouping: .post)
        #expect(docs.ids == ["p1", "a#2", "p3", "b#4"])
        #expect(docs.texts == ["first of b", "first of a", "second of b", "third of b"])
    }

    @Test func strictFailsOnTheBrokenLine() throws {
        let dir = ScratchDirectory("docs")
        let error = try #require(throws: InputError.self) { try DocumentCollection.load(corpus(dir), strict: true) }
        #expect(error.line == 4)
    }

    @Test func noValidLinesIsAnInputError() throws {
        let dir = ScratchDirectory("docs")
        let p = dir.write("bad.jsonl", "{\"text\": \"x\"}\nnot json\n")
        let error = try #require(throws: InputError.self) { try DocumentCollection.load(p) }
        #expect(error.file == p)
        #expect(error.reason.hasPrefix("no valid posts"))
        #expect(error.reason.contains("\(p):1: user_id: missing"))
        let empty = dir.write("empty.jsonl", "")
        #expect(throws: InputError.self) { try DocumentCollection.load(empty) }
    }

    @Test func progressIsCalled() throws {
        let dir = ScratchDirectory("docs")
        var last = 0
        _ = try DocumentCollection.load(corpus(dir), progress: { last = $0 })
        #expect(last > 100)
    }
}

// MARK: - Small helpers

@Suite struct CoreMiscTests {
    @Test func inputErrorFormatting() {
        #expect(InputError(file: "f.jsonl", line: 3, field: "text", reason: "missing").description == "f.jsonl:3: text: missing")
        #expect(InputError(file: "f.jsonl", reason: "cannot open").description == "f.jsonl: cannot open")
        #expect(InputError(line: 7, reason: "bad").description == "line 7: bad")
        #expect(InputError(reason: "plain").description == "plain")
        #expect(InputError(field: "x", reason: "r").description == "x: r")
    }

    @Test(arguments: [(0.5, "500 ms"), (0.0004, "0 ms"), (1.25, "1.2 s"), (59.99, "59.9 s"), (75, "1 min 15 s"), (3600, "60 min 0 s")])
    func formattingSeconds(seconds: Double, text: String) {
        #expect(formatSeconds(seconds) == text)
    }

    @Test func csvSplit() throws {
        func split(_ s: String) throws -> [String] {
            try Array(s.utf8).withUnsafeBufferPointer { try CSV.split($0, file: "f", line: 1) }
        }
        #expect(try split("a,b,,c") == ["a", "b", "", "c"])
        #expect(try split("\"a,b\",\"\"\"\",") == ["a,b", "\"", ""])
        #expect(try split("") == [""])
        #expect(CSV.quotesBalanced(Array("\"a\"\"b\"".utf8)))
        #expect(!CSV.quotesBalanced(Array("\"a".utf8)))
    }

    @Test func progressBarIsSilentWhenQuiet() {
        let bar = ProgressBar("x", total: 10, quiet: true)
        bar.update(5)
        bar.finish()
        #expect(monotonicSeconds() > 0)
    }
}

// MARK: - Decoding errors

@Suite struct DecodingErrorMessageTests {
    struct Inner: Decodable { var asOf: String; var users: Int }
    struct Outer: Decodable { var corpus: Inner; var files: [Int] }

    func message(_ json: String) -> InputError {
        do {
            _ = try JSONDecoder().decode(Outer.self, from: Data(json.utf8))
            return InputError(reason: "decoded")
        } catch {
            return InputError(file: "m/manifest.json", decoding: error, context: "invalid manifest")
        }
    }

    @Test func namesTheFieldPathAndWhatWasWrong() {
        #expect(message(#"{"corpus": {"asOf": "x"}, "files": []}"#).description
                == "m/manifest.json: corpus.users: invalid manifest: missing (written by another version of Lifestyle?)")
        #expect(message(#"{"corpus": {"asOf": 3, "users": 1}, "files": []}"#).description
                == "m/manifest.json: corpus.asOf: invalid manifest: expected a string")
        #expect(message(#"{"corpus": {"asOf": "x", "users": 1}, "files": [1, "2"]}"#).description
                == "m/manifest.json: files[1]: invalid manifest: expected an integer")
        #expect(message(#"{"corpus": {"asOf": null, "users": 1}, "files": []}"#).description
                == "m/manifest.json: corpus.asOf: invalid manifest: null where a string is expected")
        #expect(message("{not json").description == "m/manifest.json: invalid manifest: not valid JSON")
    }
}
