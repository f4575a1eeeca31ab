import Foundation
import Testing
@testable import LifestyleCore

/// Runs the built `lifestyle` executable.
enum CLI {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static var demoPosts: String { "\(repoRoot)/corpora/demo/posts.jsonl" }

    /// `lifestyle` next to the test bundle (walking up from it), else `<repo>/.build/debug/lifestyle`.
    static let executable: String? = {
        let fm = FileManager.default
        var starts = [CommandLine.arguments.first, Bundle.main.executablePath, ProcessInfo.processInfo.arguments.first].compactMap { $0 }
        starts = starts.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        for start in starts {
            var dir = URL(fileURLWithPath: start).deletingLastPathComponent()
            for _ in 0..<6 {
                for candidate in [dir.appendingPathComponent("lifestyle").path, dir.appendingPathComponent("debug/lifestyle").path] {
                    var isDir: ObjCBool = false
                    if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) {
                        return candidate
                    }
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        let fallback = "\(repoRoot)/.build/debug/lifestyle"
        return fm.isExecutableFile(atPath: fallback) ? fallback : nil
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let exe = try #require(executable, "the lifestyle executable was not found; build it first")
        let scratch = "/tmp/lifestyle-cli-io-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = "\(scratch)/out", errPath = "\(scratch)/err", inPath = "\(scratch)/in"
        try! Data().write(to: URL(fileURLWithPath: outPath))
        try! Data().write(to: URL(fileURLWithPath: errPath))
        try! Data((stdin ?? "").utf8).write(to: URL(fileURLWithPath: inPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        var env = ProcessInfo.processInfo.environment
        env["LIFESTYLE_NO_PROGRESS"] = "1"
        env.removeValue(forKey: "LIFESTYLE_TRACE")
        for (key, value) in environment { env[key] = value }
        p.environment = env
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let inHandle = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        p.standardOutput = outHandle
        p.standardError = errHandle
        p.standardInput = inHandle
        try p.run()
        p.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        try inHandle.close()
        return Result(status: p.terminationStatus,
                      stdout: String(decoding: try AtomicFile.read(outPath), as: UTF8.self),
                      stderr: String(decoding: try AtomicFile.read(errPath), as: UTF8.self))
    }
}

/// A fresh directory under /tmp, removed when the test ends.
final class CLIScratch {
    let path: String
    init() {
        path = "/tmp/lifestyle-tests-cli-\(getpid())-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func write(_ name: String, _ text: String) -> String {
        let p = "\(path)/\(name)"
        try! Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
}

@Suite struct CLITests {
    @Test func executableIsFound() {
        #expect(CLI.executable != nil)
    }

    @Test func segmentTextWithKinds() throws {
        let r = try CLI.run(["segment", "--text", "#健身# 今天😀 @bob https://t.cn/x", "--kinds", "--stop-words", "none"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "#健身#/hashtag 健/chinese 身/chinese 健身/chinese 今/chinese 天/chinese 今天/chinese 😀/emoji @bob/mention\n")
    }

    @Test func segmentOptions() throws {
        let r = try CLI.run(["segment", "--text", "ＡＢＣ 這個 3.14 https://t.cn/x", "--keep", "latin,number,url,chinese",
                             "--ngram", "2", "--trad-to-simp", "--stop-words", "none"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "abc 这个 3.14 https://t.cn/x\n")
    }

    @Test func segmentReadsStandardInput() throws {
        let r = try CLI.run(["segment", "--stop-words", "none"], stdin: "Hello World\n你好\n\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "hello world\n你 好 你好\n\n")
    }

    @Test func segmentJSON() throws {
        let r = try CLI.run(["segment", "--json", "--stop-words", "none", "--text", "ＡＢ哈哈哈哈"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["tokens"] as? [String] == ["ab", "哈", "哈", "哈哈"])
        let counts = obj["normalization"] as? [String: Int]
        #expect(counts?["width_folded"] == 2)
        #expect(counts?["repeats_collapsed"] == 2)
    }

    @Test func segmentRejectsUnknownKind() throws {
        let r = try CLI.run(["segment", "--text", "x", "--keep", "latin,bogus"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bogus"))
    }

    @Test func vectorizeDemoAndSave() throws {
        let dir = CLIScratch()
        let model = "\(dir.path)/model"
        let r = try CLI.run(["vectorize", "--posts", CLI.demoPosts, "--save", model, "--threads", "2", "--top", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("matrix: "))
        #expect(r.stdout.contains("top features"))
        for f in ["vectorizer.json", "vocabulary.tsv", "idf.f32"] {
            #expect(FileManager.default.fileExists(atPath: "\(model)/\(f)"), "\(f) missing")
        }
    }

    @Test func vectorizeHashing() throws {
        let dir = CLIScratch()
        let posts = dir.write("posts.jsonl", Self.postsWithBadLines)
        let r = try CLI.run(["vectorize", "--posts", posts, "--hashing-bits", "10", "--threads", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("matrix: 3 × 1024"))
    }

    @Test func noTermsRemainExitsTwo() throws {
        let dir = CLIScratch()
        let posts = dir.write("posts.jsonl", Self.postsWithBadLines)
        let r = try CLI.run(["vectorize", "--posts", posts, "--min-df", "3", "--max-df", "0.5"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: "))
    }

    @Test func stopWordsFile() throws {
        let dir = CLIScratch()
        let stop = dir.write("stop.txt", "# comment\nGYM\n\n健\n")
        let r = try CLI.run(["segment", "--stop-words", stop, "--text", "gym 健身"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "身 健身\n")
    }

    @Test(arguments: [["--ngram", "0"], ["--ngram", "3-1"], ["--ngram", "1-2-3"], ["--mode", "sideways"]])
    func badSegmentOptionsExitTwo(extra: [String]) throws {
        let r = try CLI.run(["segment", "--text", "x"] + extra)
        #expect(r.status == 2, "\(extra): \(r.stderr)")
    }

    @Test func missingPostsFile() throws {
        let missing = "/tmp/lifestyle-no-such-file-\(UUID().uuidString).jsonl"
        let r = try CLI.run(["vectorize", "--posts", missing])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(missing): cannot open"))
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: [["--min-df", "foo"], ["--max-df", "x%"], ["--min-df", "0"], ["--hashing-bits", "2"], ["--ngram", "a-b"], ["--threads", "zero"]])
    func badVectorizeOptionsExitTwo(extra: [String]) throws {
        let r = try CLI.run(["vectorize", "--posts", CLI.demoPosts] + extra)
        #expect(r.status == 2, "\(extra): \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    @Test func badMinDFMessage() throws {
        let r = try CLI.run(["vectorize", "--posts", CLI.demoPosts, "--min-df", "foo"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--min-df foo"))
    }

    @Test(arguments: [[], ["segment"], ["vectorize"], ["discover"], ["demo"]])
    func helpExitsZero(command: [String]) throws {
        let r = try CLI.run(command + ["--help"])
        #expect(r.status == 0, "\(command): \(r.stderr)")
        #expect(r.stdout.contains("USAGE") || r.stdout.contains("Usage") || r.stdout.contains("usage"))
    }

    @Test func versionExitsZero() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("0.1.0"))
    }

    @Test func unknownSubcommandExitsTwo() throws {
        let r = try CLI.run(["frobnicate"])
        #expect(r.status == 2)
    }

    static let postsWithBadLines = """
    {"user_id": "u1", "text": "健身 gym 打卡"}
    {"text": "no user here"}
    {"user_id": "u2", "text": "健身 跑步 gym"}
    not json at all
    {"user_id": "u3", "text": "gym 打卡 跑步"}
    """

    @Test func badLinesAreSkippedAndSummarised() throws {
        let dir = CLIScratch()
        let posts = dir.write("posts.jsonl", Self.postsWithBadLines)
        let r = try CLI.run(["vectorize", "--posts", posts, "--min-df", "1", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(posts): 5 lines read, 3 kept, 2 skipped"))
        #expect(r.stdout.contains("user_id: missing: 1"))
        #expect(r.stdout.contains("documents: 3"))
        // Every skipped line is named, with its line number and field.
        #expect(r.stderr.contains("\(posts):2: user_id: missing"))
        #expect(r.stderr.contains("\(posts):4: invalid JSON at column 1"))
    }

    @Test func strictStopsAtTheFirstBadLine() throws {
        let dir = CLIScratch()
        let posts = dir.write("posts.jsonl", Self.postsWithBadLines)
        let r = try CLI.run(["vectorize", "--posts", posts, "--min-df", "1", "--strict"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(posts):2: user_id: missing"))
    }

    @Test func noValidPostsExitsTwo() throws {
        let dir = CLIScratch()
        let posts = dir.write("posts.jsonl", "{\"text\": \"x\"}\n")
        let r = try CLI.run(["vectorize", "--posts", posts])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no valid posts"))
    }

    @Test func demoRunsEndToEnd() throws {
        let dir = CLIScratch()
        let out = "\(dir.path)/demo"
        let r = try CLI.run(["demo", "--out", out, "--threads", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        for step in ["1. train", "2. describe", "3. score", "4. eval"] { #expect(r.stdout.contains("== \(step)"), "\(step) missing") }
        #expect(r.stdout.contains("scores: \(out)/scores.csv"))
        for file in ["model/manifest.json", "model/clusters.json", "scores.csv", "gains.csv", "gains.svg"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) missing")
        }
        // The simulated buyers are found well above chance.
        let auc = r.stdout.split(separator: "\n").first { $0.hasPrefix("ROC AUC") }.flatMap { line in
            line.split(separator: ",")[0].split(separator: " ").last.flatMap { Double($0) }
        }
        #expect((auc ?? 0) > 0.75, "\(r.stdout)")
    }

    @Test func clusterFindsTheDemoLifestyles() throws {
        let r = try CLI.run(["cluster", "--posts", CLI.demoPosts, "--k", "9", "--seed", "1", "--threads", "2",
                             "--truth", CLI.demoPosts.replacingOccurrences(of: "posts.jsonl", with: "users.csv")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.components(separatedBy: "\ncluster ").count == 10, "nine cluster lines")
        // The demo corpus has nine planted lifestyles; spherical k-means recovers most of them.
        let nmi = r.stdout.split(separator: "\n").first { $0.contains("NMI") }.flatMap { line in
            line.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }.last
        }
        #expect((nmi ?? 0) > 0.7, "NMI line: \(r.stdout)")
    }

    @Test func clusterRejectsTooManyClusters() throws {
        let dir = CLIScratch()
        let posts = "\(dir.path)/three.jsonl"
        let lines = [#"{"user_id":"a","text":"健身"}"#, #"{"user_id":"b","text":"美妆"}"#, #"{"user_id":"c","text":"旅行"}"#]
        try! Data((lines.joined(separator: "\n") + "\n").utf8)
            .write(to: URL(fileURLWithPath: posts))
        let r = try CLI.run(["cluster", "--posts", posts, "--k", "50", "--min-df", "1"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("k=50"))
    }

    @Test func demoWithMissingPostsExitsTwo() throws {
        let dir = CLIScratch()
        let r = try CLI.run(["demo", "--out", "\(dir.path)/demo", "--data", "/tmp/lifestyle-none-\(UUID().uuidString)"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not found"))
    }
}
