import Foundation
import LifestyleCore
import Testing
@testable import LifestyleLookalike

@Suite struct ScoreWriterTests {
    let dir: String = {
        let d = "\(NSTemporaryDirectory())/lifestyle-scorewriter-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? AtomicFile.createDirectories(d)
        return d
    }()

    func prospects(_ n: Int) -> [ScoredProspect] {
        var g = UInt64(12345)
        return (0..<n).map { i in
            g = g &* 6364136223846793005 &+ 1442695040888963407
            let score = Double(g >> 40 % 1000) / 1000   // ties happen
            return ScoredProspect(userID: String(format: "u%04d", i), score: score, cluster: i % 3, similarity: 0.5,
                                  terms: ["宝宝", "a,b"], skus: ["SKU-1"])
        }
    }

    func write(_ rows: [ScoredProspect], runSize: Int, selection: ScoreWriter.Selection = .all, format: ScoreFormat = .csv) throws -> String {
        let path = "\(dir)/scores-\(runSize)-\(UInt32.random(in: 0...UInt32.max)).\(format.rawValue)"
        let w = try ScoreWriter(output: path, format: format, selection: selection, runSize: runSize, referencePercentile: { $0 * 100 })
        for r in rows { try w.add(r) }
        try w.finish()
        return String(decoding: try AtomicFile.read(path), as: UTF8.self)
    }

    @Test func spilledRunsMergeToTheSameFileAsInMemorySorting() throws {
        let rows = prospects(500)
        let inMemory = try write(rows, runSize: 10_000)
        let spilled = try write(rows, runSize: 7)
        #expect(inMemory == spilled)
        let lines = inMemory.split(separator: "\n")
        #expect(lines.count == 501)
        #expect(lines[0] == "user_id,score,percentile,cluster,similarity,terms,skus")
        // Best first; the best row is the 100th percentile; ties by user id.
        let scores = lines.dropFirst().map { Double($0.split(separator: ",")[1])! }
        #expect(scores == scores.sorted(by: >))
        #expect(lines[1].split(separator: ",")[2] == "100.00")
        #expect(lines[1].contains("\"宝宝 a,b\""))
    }

    @Test func topAndAudienceKeepTheBest() throws {
        let rows = prospects(200)
        let all = try write(rows, runSize: 9).split(separator: "\n")
        let top = try write(rows, runSize: 9, selection: .top(15)).split(separator: "\n")
        #expect(Array(top) == Array(all.prefix(16)))
        let audience = try write(rows, runSize: 1000, selection: .audience(0.05)).split(separator: "\n")
        #expect(audience.count == 11)
    }

    @Test func jsonLinesAreValidJSON() throws {
        let text = try write(prospects(20), runSize: 4, format: .jsonl)
        for line in text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["user_id"] is String)
            #expect((object?["terms"] as? [String])?.count == 2)
            #expect(object?["percentile"] is NSNumber)
        }
    }

    @Test func badSelectionsAreRefusedAndNothingIsLeftBehind() throws {
        #expect(throws: InputError.self) { try ScoreWriter(output: "\(dir)/x.csv", selection: .top(0), referencePercentile: { $0 }) }
        #expect(throws: InputError.self) { try ScoreWriter(output: "\(dir)/x.csv", selection: .audience(1.5), referencePercentile: { $0 }) }
        #expect(throws: InputError.self) { try ScoreWriter(output: "\(dir)/x.csv", sorted: false, selection: .top(3), referencePercentile: { $0 }) }
        // A writer dropped before finish leaves neither the output nor temporary files.
        do {
            let w = try ScoreWriter(output: "\(dir)/abandoned.csv", runSize: 2, referencePercentile: { $0 })
            for r in prospects(10) { try w.add(r) }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("abandoned") || $0.hasPrefix(".lifestyle-scores") }
        #expect(left.isEmpty)
    }
}

/// The streaming reader groups users as strings do: an id with invalid UTF-8 is one user however
/// its lines are parsed, and canonically equivalent ids (é precomposed or decomposed) are one.
@Suite struct UserStreamGroupingTests {
    @Test func idsCompareAsStrings() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lifestyle-stream-\(UInt32.random(in: 0...UInt32.max))").path
        try AtomicFile.createDirectories(dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes: [UInt8] = []
        bytes += Array(#"{"user_id":"a"#.utf8) + [0xFF] + Array(#"","text":"x"}"#.utf8) + [0x0A]        // quick path
        bytes += Array(#"{"user_id":"a"#.utf8) + [0xFF] + Array(#"","text":"y\"z"}"#.utf8) + [0x0A]     // escape: full parser
        bytes += Array(#"{"user_id":"a"#.utf8) + [0xFF] + Array(#"","text":"w"}"#.utf8) + [0x0A]
        bytes += Array("{\"user_id\":\"\u{E9}\",\"text\":\"1\"}\n".utf8)
        bytes += Array("{\"user_id\":\"e\u{301}\",\"text\":\"2\"}\n".utf8)
        let path = "\(dir)/posts.jsonl"
        try AtomicFile.write(bytes, to: path)
        var batches: [PostBatch] = []
        let outcome = try UserStream(path: path, stopOnRegroup: true).forEachBatch { batches.append($0) }
        let batch = try #require(batches.first)
        #expect(batches.count == 1)
        #expect(batch.ids == ["a\u{FFFD}", "\u{E9}"])
        #expect(batch.userStart == [0, 3, 5])
        #expect(String(decoding: batch.bytes[batch.text(1)], as: UTF8.self) == "y\"z")
        #expect(outcome.regrouped == 0 && outcome.users == 2)

        // A user who comes back is recognised whichever parser read either of their lines.
        var back: [UInt8] = []
        back += Array(#"{"user_id":"a"#.utf8) + [0xFF] + Array(#"","text":"x"}"#.utf8) + [0x0A]
        back += Array(#"{"user_id":"b","text":"y"}"#.utf8) + [0x0A]
        back += Array(#"{"user_id":"a"#.utf8) + [0xFF] + Array(#"","text":"y\"z"}"#.utf8) + [0x0A]
        try AtomicFile.write(back, to: path)
        #expect(throws: UserStream.RegroupDetected.self) { try UserStream(path: path, stopOnRegroup: true).forEachBatch { _ in } }
    }
}

@Suite struct CSVFieldTests {
    @Test func quotesWhatCSVNeedsQuoted() {
        #expect(csvField("u1") == "u1")
        #expect(csvField("a,b") == "\"a,b\"")
        #expect(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(csvField("line\nbreak") == "\"line\nbreak\"")
        #expect(csvField("crlf\r\nend") == "\"crlf\r\nend\"")  // one Character, still quoted
        #expect(csvField("健身房") == "健身房")
    }
}
