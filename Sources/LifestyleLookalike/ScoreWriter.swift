import Foundation
import LifestyleCore
#if canImport(Glibc)
import Glibc
#endif

/// One prospect's result, as written to the scores file.
public struct ScoredProspect: Sendable, Equatable {
    public var userID: String
    /// Purchase likelihood in [0, 1].
    public var score: Double
    /// Nearest lifestyle cluster and the cosine similarity to it.
    public var cluster: Int
    public var similarity: Double
    /// Terms that drove the match (largest contributions to the similarity).
    public var terms: [String]
    /// Recommended SKUs (the nearest cluster's product affinity).
    public var skus: [String]
    /// What the pool is ranked by: the uncalibrated P(known buyer | text), which calibration
    /// (clipped at 1) could tie at the top. Defaults to `score`.
    public var rankKey: Double

    public init(userID: String, score: Double, cluster: Int, similarity: Double, terms: [String], skus: [String],
                rankKey: Double? = nil) {
        self.userID = userID
        self.score = score
        self.rankKey = rankKey ?? score
        self.cluster = cluster
        self.similarity = similarity
        self.terms = terms
        self.skus = skus
    }
}

public enum ScoreFormat: String, Sendable, CaseIterable, Codable {
    case csv, jsonl
}

/// Writes scored prospects sorted by score (best first, ties by user id) with their percentile
/// in the pool, in memory bounded by `runSize` rows whatever the pool's size: rows are sorted in
/// runs, spilled to temporary files, and merged at the end (an external merge sort). Without
/// sorting, rows go out as they come and the percentile comes from the model's reference
/// distribution instead.
///
/// A file output is written to a temporary file next to it and renamed into place by `finish`,
/// so a failed run leaves no half-written scores; `-` writes to standard output.
public final class ScoreWriter {
    public enum Selection: Sendable, Equatable {
        case all
        case top(Int)
        /// A share of the pool in (0, 1] (lookalike audience size, e.g. 0.05).
        case audience(Double)
    }

    public let output: String
    public let format: ScoreFormat
    public let sorted: Bool
    public let selection: Selection
    public let runSize: Int
    /// Maps a score to a percentile when rows are not sorted (the model's reference distribution).
    let referencePercentile: (Double) -> Double

    private var run: [Record] = []
    private var runFiles: [String] = []
    private var mergedRuns = 0
    private let spillDirectory: String
    private var out: AtomicFile.Stream?
    public private(set) var received = 0
    public private(set) var written = 0

    struct Record {
        var score: Double
        var userID: String
        var prefix: String   // everything before the percentile
        var suffix: String   // everything after it
    }

    public init(output: String, format: ScoreFormat = .csv, sorted: Bool = true, selection: Selection = .all,
                runSize: Int = 1 << 16, referencePercentile: @escaping (Double) -> Double) throws {
        if case .top(let n) = selection, n < 1 { throw InputError(field: "--top", reason: "\(n) should be >= 1") }
        if case .audience(let a) = selection, !(a > 0 && a <= 1) { throw InputError(field: "--audience", reason: "\(a * 100)% should be in (0, 100]") }
        if !sorted && selection != .all {
            throw InputError(field: "--unsorted", reason: "cannot be combined with --top or --audience (they need the ranking)")
        }
        self.output = output
        self.format = format
        self.sorted = sorted
        self.selection = selection
        self.runSize = max(1, runSize)
        self.referencePercentile = referencePercentile
        let base = output == "-" ? (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") : AtomicFile.parentDirectory(of: output)
        spillDirectory = "\(base)/.lifestyle-scores-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        out = try AtomicFile.Stream(path: output)
        try out!.write(header())
    }

    deinit {
        try? FileManager.default.removeItem(atPath: spillDirectory)
    }

    private func header() -> String {
        format == .csv ? "user_id,score,percentile,cluster,similarity,terms,skus\n" : ""
    }

    public func add(_ p: ScoredProspect) throws {
        received += 1
        let record = Self.record(p, format: format)
        if !sorted {
            try out!.write(record.prefix + Self.percentileText(referencePercentile(p.rankKey), format: format) + record.suffix)
            written += 1
            return
        }
        run.append(record)
        if run.count >= runSize { try spill() }
    }

    /// Sorts, merges and writes; renames the output into place. Returns rows written.
    @discardableResult
    public func finish() throws -> Int {
        guard let out else { return written }
        if sorted {
            let n = received
            let keep: Int
            switch selection {
            case .all: keep = n
            case .top(let t): keep = min(t, n)
            case .audience(let a): keep = min(n, Int((Double(n) * a).rounded(.up)))
            }
            var rank = 0
            func emit(_ r: Record) throws -> Bool {
                guard rank < keep else { return false }
                rank += 1
                // Share of the pool scoring at or below this row (the best row is 100).
                let percentile = 100 * Double(n - rank + 1) / Double(max(1, n))
                try out.write(r.prefix + Self.percentileText(percentile, format: format) + r.suffix)
                written += 1
                return true
            }
            run.sort(by: Self.before)
            if runFiles.isEmpty {
                for r in run { guard try emit(r) else { break } }
            } else {
                try spill()
                try merge(emit)
            }
            run = []
        }
        try out.commit()
        self.out = nil
        return written
    }

    static func before(_ a: Record, _ b: Record) -> Bool {
        a.score != b.score ? a.score > b.score : a.userID < b.userID
    }

    private func spill() throws {
        guard !run.isEmpty else { return }
        run.sort(by: Self.before)
        try AtomicFile.createDirectories(spillDirectory)
        let path = "\(spillDirectory)/run-\(runFiles.count)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RuntimeFailure("\(path): cannot create a spill file: \(errnoText())") }
        defer { close(fd) }
        // Written through a 1 MiB buffer: the spill costs no second copy of the run.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 20)
        for r in run {
            Self.encode(r, into: &bytes)
            if bytes.count >= 1 << 20 {
                try AtomicFile.writeAll(fd, bytes, path: path)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        try AtomicFile.writeAll(fd, bytes, path: path)
        runFiles.append(path)
        run.removeAll(keepingCapacity: true)
    }

    /// Most runs merged at once: memory and open files stay bounded however long the pool.
    static let fanIn = 32

    /// Merges the spilled runs into `emit`: while there are more than `fanIn` runs, groups of
    /// `fanIn` are merged into new runs first; the last pass feeds `emit`.
    private func merge(_ emit: (Record) throws -> Bool) throws {
        while runFiles.count > Self.fanIn {
            var next: [String] = []
            for start in stride(from: 0, to: runFiles.count, by: Self.fanIn) {
                let group = Array(runFiles[start ..< min(runFiles.count, start + Self.fanIn)])
                let path = "\(spillDirectory)/run-m\(mergedRuns)"
                mergedRuns += 1
                let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw RuntimeFailure("\(path): cannot create a spill file: \(errnoText())") }
                var bytes: [UInt8] = []
                bytes.reserveCapacity(1 << 20)
                do {
                    try mergeRuns(group) { r in
                        Self.encode(r, into: &bytes)
                        if bytes.count >= 1 << 20 {
                            try AtomicFile.writeAll(fd, bytes, path: path)
                            bytes.removeAll(keepingCapacity: true)
                        }
                        return true
                    }
                    try AtomicFile.writeAll(fd, bytes, path: path)
                } catch {
                    close(fd)
                    throw error
                }
                close(fd)
                for f in group { unlink(f) }
                next.append(path)
            }
            runFiles = next
        }
        try mergeRuns(runFiles, emit)
    }

    /// One k-way merge pass with a binary heap of run heads.
    private func mergeRuns(_ files: [String], _ emit: (Record) throws -> Bool) throws {
        var readers = try files.map { try RunReader(path: $0) }
        defer { for i in readers.indices { readers[i].close() } }
        var heap: [(Record, Int)] = []
        func less(_ a: (Record, Int), _ b: (Record, Int)) -> Bool { Self.before(a.0, b.0) }
        func siftUp(_ i: Int) {
            var i = i
            while i > 0 {
                let parent = (i - 1) / 2
                guard less(heap[i], heap[parent]) else { break }
                heap.swapAt(i, parent)
                i = parent
            }
        }
        func siftDown(_ i: Int) {
            var i = i
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                guard m != i else { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in readers.indices {
            if let head = try readers[i].next() {
                heap.append((head, i))
                siftUp(heap.count - 1)
            }
        }
        while let top = heap.first {
            guard try emit(top.0) else { break }
            if let next = try readers[top.1].next() {
                heap[0] = (next, top.1)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
        }
    }

    static func encode(_ r: Record, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: r.score.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        for s in [r.userID, r.prefix, r.suffix] {
            let u = Array(s.utf8)
            withUnsafeBytes(of: UInt32(u.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: u)
        }
    }

    static func record(_ p: ScoredProspect, format: ScoreFormat) -> Record {
        let score = fmt(p.score, 6)
        let similarity = fmt(p.similarity, 4)
        switch format {
        case .csv:
            return Record(score: p.rankKey, userID: p.userID,
                          prefix: "\(csvField(p.userID)),\(score),",
                          suffix: ",\(p.cluster),\(similarity),\(csvField(p.terms.joined(separator: " "))),\(csvField(p.skus.joined(separator: " ")))\n")
        case .jsonl:
            return Record(score: p.rankKey, userID: p.userID,
                          prefix: "{\"user_id\":\(jsonString(p.userID)),\"score\":\(score),\"percentile\":",
                          suffix: ",\"cluster\":\(p.cluster),\"similarity\":\(similarity),\"terms\":[\(p.terms.map(jsonString).joined(separator: ","))],\"skus\":[\(p.skus.map(jsonString).joined(separator: ","))]}\n")
        }
    }

    static func percentileText(_ p: Double, format: ScoreFormat) -> String { fmt(p, 2) }
}

/// Quotes a CSV field when it holds a comma, quote or newline.
func csvField(_ s: String) -> String {
    // On the bytes: cheaper than walking Characters, and a "\r\n" pair (one Character, equal to
    // neither "\r" nor "\n") is caught too.
    guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A JSON string literal.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}

/// Reads records back from a spilled run through a 1 MiB buffer.
struct RunReader {
    let fd: Int32
    let path: String
    var buffer: [UInt8] = []
    var position = 0
    var eof = false

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RuntimeFailure("\(path): cannot reopen a spill file: \(errnoText())") }
    }

    mutating func ensure(_ n: Int) throws -> Bool {
        while buffer.count - position < n {
            if eof { return false }
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: 1 << 18))
            let r = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + old, 1 << 18) }
            buffer.removeLast((1 << 18) - max(0, r))
            if r < 0 {
                if errno == EINTR { continue }
                throw RuntimeFailure("\(path): read failed: \(errnoText())")
            }
            if r == 0 { eof = true; Glibc.close(fd) }
        }
        return true
    }

    mutating func close() {
        if !eof {
            Glibc.close(fd)
            eof = true
        }
    }

    mutating func next() throws -> ScoreWriter.Record? {
        guard try ensure(8) else { return nil }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
        position += 8
        var strings: [String] = []
        for _ in 0..<3 {
            guard try ensure(4) else { throw RuntimeFailure("\(path): truncated spill file") }
            var len = 0
            for i in 0..<4 { len |= Int(buffer[position + i]) << (8 * i) }
            position += 4
            guard try ensure(len) else { throw RuntimeFailure("\(path): truncated spill file") }
            strings.append(String(decoding: buffer[position ..< position + len], as: UTF8.self))
            position += len
        }
        return ScoreWriter.Record(score: Double(bitPattern: bits), userID: strings[0], prefix: strings[1], suffix: strings[2])
    }
}
