import Foundation
import Testing
@testable import LifestyleCore

/// One model trained on the demo data with the command that made `models/demo`, shared by the tests.
enum DemoModel {
    static let data = "\(CLI.repoRoot)/corpora/demo"
    static let epoch = "1767225600"   // 2026-01-01T00:00:00Z, as in README's command for models/demo
    /// Relative to the repository root (the executable runs there), exactly as README's command.
    static func trainArguments(out: String, threads: Int) -> [String] {
        ["train", "--posts", "corpora/demo/posts.jsonl", "--purchases", "corpora/demo/purchases.csv", "--accounts", "corpora/demo/accounts.csv",
         "--out", out, "--seed", "1", "--word-max-length", "3", "--threads", String(threads)]
    }

    static let root = "/tmp/lifestyle-tests-model-\(getpid())"
    static let path = "\(root)/demo"
    /// Trained once per test process.
    static let trained: CLI.Result? = try? CLI.run(trainArguments(out: path, threads: 2), environment: ["SOURCE_DATE_EPOCH": epoch])

    static func files(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
    }
}

@Suite(.serialized) struct LoopCLITests {
    func trained() throws -> CLI.Result {
        let r = try #require(DemoModel.trained, "training did not run")
        try #require(r.status == 0, "train failed: \(r.stderr)")
        return r
    }

    @Test func trainReportsTheFunnelAndWritesTheModel() throws {
        let r = try trained()
        #expect(r.stdout.contains("quality customers: 406 purchase lines → 143 customers"))
        #expect(r.stdout.contains("lifestyle clusters: k = "))
        #expect(r.stdout.contains("timings: read"))
        let manifest = try JSONSerialization.jsonObject(with: Data(try AtomicFile.read("\(DemoModel.path)/manifest.json"))) as! [String: Any]
        let listed = (manifest["files"] as! [String: String]).keys.sorted()
        #expect(listed == (try DemoModel.files(DemoModel.path)).filter { $0 != "manifest.json" })
        #expect(manifest["formatVersion"] as? Int == 1)
        #expect(manifest["createdAt"] as? String == "2026-01-01T00:00:00Z")
        #expect((manifest["parameters"] as? [String: Any])?["seed"] as? Int == 1)
    }

    /// `models/demo` is reproducible: the documented command gives the same bytes (and the
    /// thread count does not matter).
    @Test func committedDemoModelIsReproducible() throws {
        _ = try trained()
        let committed = "\(CLI.repoRoot)/models/demo"
        let names = try DemoModel.files(committed)
        #expect(names == (try DemoModel.files(DemoModel.path)))
        for name in names {
            #expect(try AtomicFile.read("\(committed)/\(name)") == AtomicFile.read("\(DemoModel.path)/\(name)"), "\(name) differs")
        }
        let one = "\(DemoModel.root)/one-thread"
        let r = try CLI.run(DemoModel.trainArguments(out: one, threads: 1), environment: ["SOURCE_DATE_EPOCH": DemoModel.epoch])
        #expect(r.status == 0, "\(r.stderr)")
        for name in names {
            #expect(try AtomicFile.read("\(one)/\(name)") == AtomicFile.read("\(DemoModel.path)/\(name)"), "\(name) differs with 1 thread")
        }
    }

    @Test func describePrintsCardsAndJSON() throws {
        _ = try trained()
        let r = try CLI.run(["describe", DemoModel.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("── cluster"))
        #expect(r.stdout.contains("terms:") && r.stdout.contains("buys:") && r.stdout.contains("value: mean ¥"))
        let j = try CLI.run(["describe", DemoModel.path, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        let clusters = try #require(object?["clusters"] as? [[String: Any]])
        #expect(!clusters.isEmpty)
        #expect((clusters[0]["examples"] as? [String])?.isEmpty == false)
    }

    @Test func scoreWritesTheRankedPoolWithoutKnownBuyers() throws {
        _ = try trained()
        let dir = CLIScratch()
        let out = "\(dir.path)/scores.csv"
        let r = try CLI.run(["score", "--model", DemoModel.path, "--posts", "\(DemoModel.data)/posts.jsonl", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("not grouped by user"))
        let lines = String(decoding: try AtomicFile.read(out), as: UTF8.self).split(separator: "\n")
        #expect(lines[0] == "user_id,score,percentile,cluster,similarity,terms,skus")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let scores = rows.map { Double($0[1])! }
        #expect(scores == scores.sorted(by: >))
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(rows.first?[2] == "100.00")
        // Every linked user is a known buyer: none of them is in the pool.
        let accounts = String(decoding: try AtomicFile.read("\(DemoModel.data)/accounts.csv"), as: UTF8.self)
        let known = Set(accounts.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) })
        let scored = Set(rows.map { String($0[0]) })
        #expect(known.isDisjoint(with: scored))
        #expect(scored.count == rows.count)
        #expect(rows.count == 1200 - 130)   // 1,200 users, 130 of them linked with posts
    }

    @Test func scoreStreamsStandardInputToStandardOutput() throws {
        _ = try trained()
        // Group the demo posts by user, as a batch engine would, and pipe them through.
        let text = String(decoding: try AtomicFile.read("\(DemoModel.data)/posts.jsonl"), as: UTF8.self)
        let lines = text.split(separator: "\n")
        func user(_ l: Substring) -> Substring { l.split(separator: "\"")[3] }
        let grouped = lines.enumerated().sorted { user($0.element) != user($1.element) ? user($0.element) < user($1.element) : $0.offset < $1.offset }
            .map(\.element).joined(separator: "\n") + "\n"
        let r = try CLI.run(["score", "--model", DemoModel.path, "--posts", "-", "--top", "5", "--format", "jsonl"], stdin: grouped)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("not grouped"))
        let out = r.stdout.split(separator: "\n")
        #expect(out.count == 5)
        for line in out {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(o?["user_id"] is String && o?["terms"] is [String] && o?["skus"] is [String])
        }
        // Same ranking as from the file.
        let file = try CLI.run(["score", "--model", DemoModel.path, "--posts", "\(DemoModel.data)/posts.jsonl", "--top", "5", "--format", "jsonl"])
        #expect(file.stdout == r.stdout)
    }

    @Test func prospectListNamingUnknownUsers() throws {
        _ = try trained()
        let dir = CLIScratch()
        let prospects = dir.write("prospects.txt", "u0001\nu0002\nnobody-1\nu0002\n")
        let r = try CLI.run(["score", "--model", DemoModel.path, "--posts", "\(DemoModel.data)/posts.jsonl", "--prospects", prospects])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("1 of 3 listed prospects have no posts"))
        #expect(r.stdout.split(separator: "\n").count == 3)
        let strict = try CLI.run(["score", "--model", DemoModel.path, "--posts", "\(DemoModel.data)/posts.jsonl", "--prospects", prospects, "--strict"])
        #expect(strict.status == 2)
    }

    @Test func scoringAFileWithoutValidPostsExitsTwoAndWritesNothing() throws {
        _ = try trained()
        let dir = CLIScratch()
        let posts = dir.write("bad.jsonl", "not json\n{\"user_id\": 3}\n")
        let r = try CLI.run(["score", "--model", DemoModel.path, "--posts", posts, "--out", "\(dir.path)/scores.csv"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no valid posts"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["bad.jsonl"])
        let strict = try CLI.run(["score", "--model", DemoModel.path, "--posts", "\(DemoModel.data)/posts.jsonl", "--out", "\(dir.path)/s.csv",
                                  "--prospects", dir.write("p.txt", "u0001\nnobody\n"), "--strict"])
        #expect(strict.status == 2 && strict.stderr.contains("1 of 2 listed prospects have no posts"), "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/s.csv"))
    }

    @Test func trainRefusesToOverwriteAFolderThatIsNotAModel() throws {
        let dir = CLIScratch()
        try FileManager.default.createDirectory(atPath: "\(dir.path)/folder", withIntermediateDirectories: true)
        _ = dir.write("folder/keep.txt", "mine")
        let r = try CLI.run(["train", "--posts", "corpora/demo/posts.jsonl", "--purchases", "corpora/demo/purchases.csv",
                             "--accounts", "corpora/demo/accounts.csv", "--out", "\(dir.path)/folder",
                             "--topics", "3", "--em-iterations", "1", "--k", "2", "--no-words", "--restarts", "1"])
        #expect(r.status == 2 && r.stderr.contains("refusing to replace"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(dir.path)/folder/keep.txt"))
    }

    @Test func evalPrintsMetricsAndWritesTheGainsChart() throws {
        _ = try trained()
        let dir = CLIScratch()
        let r = try CLI.run(["eval", "--model", DemoModel.path, "--posts", "\(DemoModel.data)/posts.jsonl",
                             "--labels", "\(DemoModel.data)/truth.csv", "--gains", "\(dir.path)/gains.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        for s in ["ROC AUC", "average precision", "lift in the top 10%", "precision at", "reliability"] { #expect(r.stdout.contains(s)) }
        let csv = String(decoding: try AtomicFile.read("\(dir.path)/gains.csv"), as: UTF8.self)
        #expect(csv.split(separator: "\n").count == 102)
        #expect(String(decoding: try AtomicFile.read("\(dir.path)/gains.svg"), as: UTF8.self).hasPrefix("<svg"))
    }

    @Test func aModelWithAFlippedByteIsRefused() throws {
        _ = try trained()
        let dir = CLIScratch()
        let copy = "\(dir.path)/model"
        try FileManager.default.copyItem(atPath: DemoModel.path, toPath: copy)
        var bytes = try AtomicFile.read("\(copy)/centroids.f32")
        bytes[bytes.count / 2] ^= 0x10
        try AtomicFile.write(bytes, to: "\(copy)/centroids.f32")
        for args in [["describe", copy], ["score", "--model", copy, "--posts", "\(DemoModel.data)/posts.jsonl"]] {
            let r = try CLI.run(args)
            #expect(r.status == 2)
            #expect(r.stderr.contains("centroids.f32: checksum mismatch"), "\(r.stderr)")
        }
        let missing = try CLI.run(["describe", "\(dir.path)/nothing"])
        #expect(missing.status == 2 && missing.stderr.contains("not found"))
    }

    @Test func badCRMInputIsReportedAndNothingIsHalfWritten() throws {
        let dir = CLIScratch()
        let demo = DemoModel.data
        var purchases = String(decoding: try AtomicFile.read("\(demo)/purchases.csv"), as: UTF8.self)
        purchases += "c0001,oX1,SKU-NAI-01,12x,2026-01-02\n"            // not a number
        purchases += "c0001,oX2,SKU-NAI-01,10.00,2026-02-30\n"          // impossible date
        purchases += "c0999,o000001,SKU-NAI-01,10.00,2026-01-03\n"      // order id of another customer
        let bad = dir.write("purchases.csv", purchases)
        let out = "\(dir.path)/model"
        func train(_ purchases: String, _ accounts: String = "\(demo)/accounts.csv", _ posts: String = "\(demo)/posts.jsonl", extra: [String] = []) throws -> CLI.Result {
            try CLI.run(["train", "--posts", posts, "--purchases", purchases, "--accounts", accounts, "--out", out,
                         "--topics", "4", "--em-iterations", "3", "--k", "2", "--no-words", "--restarts", "1"] + extra)
        }
        let strict = try train(bad, extra: ["--strict"])
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("purchases.csv:408: amount: not a decimal number"), "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let lenient = try train(bad)
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stdout.contains("406 kept, 3 skipped"), "\(lenient.stdout)")
        #expect(lenient.stderr.contains("purchases.csv:409: purchased_at"), "\(lenient.stderr)")
        #expect(lenient.stderr.contains("purchases.csv:410: order_id"), "\(lenient.stderr)")

        let missing = try train("\(dir.path)/none.csv")
        #expect(missing.status == 2 && missing.stderr.contains("none.csv"))
        let header = dir.write("accounts.csv", "customer,user\nc0001,u0001\n")
        let wrongHeader = try train("\(demo)/purchases.csv", header)
        #expect(wrongHeader.status == 2 && wrongHeader.stderr.contains("accounts.csv:1"), "\(wrongHeader.stderr)")
        let empty = dir.write("posts.jsonl", "not json\n{\"user_id\": 3}\n")
        let noPosts = try train("\(demo)/purchases.csv", "\(demo)/accounts.csv", empty)
        #expect(noPosts.status == 2 && noPosts.stderr.contains("no valid posts"), "\(noPosts.stderr)")
    }
}
