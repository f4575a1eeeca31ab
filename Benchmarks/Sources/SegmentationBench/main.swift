// Segmentation quality (PKU 1998-01 gold) and speed benchmark for LifestyleText's Lexicon,
// WordDiscovery and Segmenter. Driven by Benchmarks/segmentation/eval.sh and speed.sh, which
// also run the Python peers (jieba, rjieba) and score every system with the same scorer.
//
//   SegmentationBench eval  --gold 199801.txt --jieba-dict dict.txt --out DIR [--rounds N] …
//   SegmentationBench speed --dict dict.txt --corpus reviews.tsv|pos.txt,neg.txt --threads N
import Dispatch
import Foundation
import LifestyleText

// MARK: Pre-tokenisation shared by eval and speed

/// Private-use symbols standing for a digit sequence (with decimal point and trailing %) and a
/// Latin-letter run inside a segmentable run, so that words like `1998年` can be learnt.
let numberSymbol: UInt32 = 0xE000
let latinSymbol: UInt32 = 0xE001

@inline(__always) func fold(_ c: UInt32) -> UInt32 {
    if c >= 0xFF01 && c <= 0xFF5E { return c - 0xFEE0 }  // full-width ASCII → ASCII
    if c == 0x3000 { return 0x20 }
    return c
}
@inline(__always) func isHan(_ c: UInt32) -> Bool {
    (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == 0x3007
        || (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0xF900 && c <= 0xFAFF)
}
@inline(__always) func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isLatin(_ c: UInt32) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }

/// Splits folded text into segmentable runs (Han + class symbols) and single tokens (everything
/// else: punctuation, spaces). `spans[k]` is how many text code points symbol k stands for.
struct PreTokenizer {
    var classes: Bool
    var symbols: [UInt32] = []
    var spans: [Int32] = []

    /// Calls `run(symbols, spans, start)` for each run and `token(start, length)` for the rest.
    mutating func split(_ text: UnsafeBufferPointer<UInt32>, run: (inout [UInt32], inout [Int32], Int) -> Void,
                        token: (Int, Int) -> Void) {
        symbols.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        var runStart = 0
        var i = 0
        let n = text.count
        func flush(_ at: Int) {
            if !symbols.isEmpty { run(&symbols, &spans, runStart) }
            symbols.removeAll(keepingCapacity: true)
            spans.removeAll(keepingCapacity: true)
            runStart = at
        }
        while i < n {
            let c = text[i]
            if isHan(c) {
                if symbols.isEmpty { runStart = i }
                symbols.append(c); spans.append(1); i += 1
            } else if isDigit(c) || isLatin(c) {
                var j = i + 1
                if isDigit(c) {
                    while j < n && (isDigit(text[j])
                        || ((text[j] == 0x2E || text[j] == 0xB7) && j + 1 < n && isDigit(text[j + 1]))) { j += 1 }
                    if j < n && text[j] == 0x25 { j += 1 }
                } else {
                    while j < n && isLatin(text[j]) { j += 1 }
                }
                if classes {
                    if symbols.isEmpty { runStart = i }
                    symbols.append(isDigit(c) ? numberSymbol : latinSymbol); spans.append(Int32(j - i))
                } else {
                    flush(i); token(i, j - i)
                }
                i = j
            } else {
                // A run of one repeated punctuation mark (——, ……) is one token; spaces split.
                var j = i + 1
                if c != 0x20 { while j < n && text[j] == c { j += 1 } }
                flush(i); token(i, j - i); i = j
            }
        }
        flush(n)
    }
}

/// Segments one folded text with the pre-tokenizer and a segmenter; appends token end offsets.
struct Pipeline {
    var pre: PreTokenizer
    var ends: [Int32] = []
    var workspace = Segmenter.Workspace()

    mutating func tokenEnds(_ text: UnsafeBufferPointer<UInt32>, segmenter: Segmenter, into out: inout [Int32]) {
        var ends = self.ends
        var workspace = self.workspace
        pre.split(text, run: { symbols, spans, start in
            ends.removeAll(keepingCapacity: true)
            symbols.withUnsafeBufferPointer { segmenter.segment($0, into: &ends, workspace: &workspace) }
            var offset = start, k = 0
            for e in ends {
                while k < Int(e) { offset += Int(spans[k]); k += 1 }
                out.append(Int32(offset))
            }
        }, token: { start, length in out.append(Int32(start + length)) })
        self.ends = ends
        self.workspace = workspace
    }
}

// MARK: Arguments and helpers

var options: [String: String] = [:]
let arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first ?? "help"
var argIndex = 1
while argIndex < arguments.count {
    let key = arguments[argIndex]
    if key.hasPrefix("--"), argIndex + 1 < arguments.count {
        options[String(key.dropFirst(2))] = arguments[argIndex + 1]
        argIndex += 2
    } else {
        argIndex += 1
    }
}
@MainActor func option(_ name: String, _ fallback: String) -> String { options[name] ?? fallback }
@MainActor func need(_ name: String) -> String {
    guard let v = options[name] else {
        FileHandle.standardError.write(Data("missing --\(name)\n".utf8))
        exit(2)
    }
    return v
}
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func readText(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    return String(decoding: data, as: UTF8.self)
}
func foldedScalars(_ s: Substring) -> [UInt32] { s.unicodeScalars.map { fold($0.value) } }

// MARK: eval

/// Gold line: its text (original code points) and its gold token end offsets.
struct GoldLine { var text: [UInt32]; var original: String; var ends: [Int32] }

func loadGold(_ path: String) -> [GoldLine] {
    var lines: [GoldLine] = []
    for raw in readText(path).split(separator: "\n") {
        var text: [UInt32] = [], ends: [Int32] = [], original = ""
        for tok in raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
            let word = tok.lastIndex(of: "/").map { tok[..<$0] } ?? tok
            if word.isEmpty { continue }
            original += word
            text.append(contentsOf: foldedScalars(word))
            ends.append(Int32(text.count))
        }
        if !ends.isEmpty { lines.append(GoldLine(text: text, original: original, ends: ends)) }
    }
    return lines
}

/// Span-based counts: (matched words, predicted words, gold words).
func score(_ gold: [Int32], _ pred: [Int32]) -> (Int, Int, Int) {
    var i = 0, j = 0, gs: Int32 = 0, ps: Int32 = 0, match = 0
    while i < gold.count && j < pred.count {
        if gold[i] == pred[j] {
            if gs == ps { match += 1 }
            gs = gold[i]; ps = pred[j]; i += 1; j += 1
        } else if gold[i] < pred[j] { gs = gold[i]; i += 1 } else { ps = pred[j]; j += 1 }
    }
    return (match, pred.count, gold.count)
}

func evaluate(_ name: String, test: ArraySlice<GoldLine>, segmenter: Segmenter, classes: Bool, outDir: String) {
    var pipeline = Pipeline(pre: PreTokenizer(classes: classes))
    var m = 0, p = 0, g = 0
    var output = ""
    var ends: [Int32] = []
    for line in test {
        ends.removeAll(keepingCapacity: true)
        line.text.withUnsafeBufferPointer { pipeline.tokenEnds($0, segmenter: segmenter, into: &ends) }
        let (a, b, c) = score(line.ends, ends)
        m += a; p += b; g += c
        let scalars = Array(line.original.unicodeScalars)
        var start = 0
        var tokens: [String] = []
        for e in ends {
            var v = String.UnicodeScalarView(); v.append(contentsOf: scalars[start..<Int(e)])
            tokens.append(String(v)); start = Int(e)
        }
        output += tokens.joined(separator: " ") + "\n"
    }
    let precision = Double(m) / Double(max(p, 1)), recall = Double(m) / Double(max(g, 1))
    let f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    print(String(format: "%@\tP=%.4f\tR=%.4f\tF1=%.4f", name, precision, recall, f1))
    try? output.write(toFile: "\(outDir)/\(name).txt", atomically: true, encoding: .utf8)
}

@MainActor func runEval() throws {
    let gold = loadGold(need("gold"))
    let outDir = option("out", ".")
    try? FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    let testStart = gold.count - gold.count / 10
    // `--split dev` scores the first 10% of lines instead (for tuning without touching the test set).
    let test = option("split", "test") == "dev" ? gold[0..<(gold.count / 10)] : gold[testStart...]
    // Test text for the peers: the same folded text everybody segments.
    var testText = "", testOriginal = ""
    for line in test {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: line.text.compactMap(Unicode.Scalar.init))
        testText += String(v) + "\n"
        testOriginal += line.original + "\n"
    }
    try testText.write(toFile: "\(outDir)/test-folded.txt", atomically: true, encoding: .utf8)
    try testOriginal.write(toFile: "\(outDir)/test-raw.txt", atomically: true, encoding: .utf8)
    var goldOut = ""
    for line in test {
        let scalars = Array(line.original.unicodeScalars)
        var start = 0, tokens: [String] = []
        for e in line.ends {
            var v = String.UnicodeScalarView(); v.append(contentsOf: scalars[start..<Int(e)])
            tokens.append(String(v)); start = Int(e)
        }
        goldOut += tokens.joined(separator: " ") + "\n"
    }
    try goldOut.write(toFile: "\(outDir)/gold.txt", atomically: true, encoding: .utf8)
    print("lines \(gold.count), test \(test.count) (from line \(testStart + 1) of the non-empty lines)")

    // (a) dictionary-free: discovery on the raw text of every line (no gold boundaries).
    var runs: [[UInt32]] = []
    var pre = PreTokenizer(classes: true)
    for line in gold {
        line.text.withUnsafeBufferPointer { buf in
            pre.split(buf, run: { symbols, _, _ in runs.append(symbols) }, token: { _, _ in })
        }
    }
    let t0 = now()
    let method = option("method", "autonomy")
    let configuration = try WordDiscovery.Configuration(
        minLength: 2, maxLength: Int(option("max-length", "4"))!, minCount: Int(option("min-count", "2"))!,
        minCohesion: Double(option("min-cohesion", method == "threshold" ? "3" : "-inf"))!,
        minFreedom: Double(option("min-freedom", method == "threshold" ? "1.5" : "0"))!,
        frequencyWeight: Double(option("frequency-weight", "0.5"))!,
        refinementRounds: Int(option("refinement-rounds", "1"))!,
        singleCharacterPenalty: Double(option("single-penalty", "1"))!,
        lengthPriorWeight: Double(option("length-prior", "1.5"))!,
        leadingOnly: options["no-leading"] == nil ? [numberSymbol, latinSymbol] : [])
    let discovery = WordDiscovery(configuration: configuration)
    var lexicon: Lexicon
    if method == "threshold" {
        // Baseline: thresholded candidates, raw counts, then Viterbi re-estimation rounds.
        let discovered = discovery.discover(runs: runs)
        lexicon = Lexicon(discovered: discovered, characterCounts: WordDiscovery.characterCounts(runs: runs))
        lexicon = WordDiscovery.reestimate(lexicon, runs: runs, rounds: Int(option("rounds", "3"))!,
                                           minFrequency: 2)
    } else {
        lexicon = discovery.lexicon(runs: runs)
    }
    print(String(format: "discovery (%@): %d runs, %.2f s, lexicon %d words", method, runs.count, now() - t0,
                 lexicon.count))
    try lexicon.writeTSV(toFile: "\(outDir)/lexicon-a.tsv")
    evaluate("ours-a", test: test, segmenter: Segmenter(lexicon: lexicon), classes: true, outDir: outDir)

    // (b) jieba's dictionary.
    let t3 = now()
    let jieba = try Lexicon.jieba(contentsOfFile: need("jieba-dict"))
    print(String(format: "jieba dict: %d words loaded in %.3f s", jieba.count, now() - t3))
    if options["skip-b"] != nil { return }
    evaluate("ours-b-dict", test: test, segmenter: Segmenter(lexicon: jieba), classes: false, outDir: outDir)
    // (b+) jieba's dictionary mixed with the corpus lexicon of (a) (unigram mixture).
    let mix = Double(option("mix", "0.7"))!
    evaluate("ours-b-mix", test: test, segmenter: Segmenter(lexicon: jieba.mixing(lexicon, weight: mix)),
             classes: true, outDir: outDir)
}

// MARK: speed

@MainActor func runSpeed() throws {
    let t0 = now()
    let lexicon = try Lexicon.jieba(contentsOfFile: need("dict"))
    let loadSeconds = now() - t0
    var docs: [[UInt32]] = []
    for path in need("corpus").split(separator: ",") {
        let isTSV = path.hasSuffix(".tsv")
        for line in readText(String(path)).split(separator: "\n") {
            let text = isTSV ? (line.split(separator: "\t", maxSplits: 1).dropFirst().first ?? "") : line
            if !text.isEmpty { docs.append(foldedScalars(text)) }
        }
    }
    let chars = docs.reduce(0) { $0 + $1.count }
    let documents = docs
    let threads = Int(option("threads", "1"))!
    let repeats = Int(option("repeat", "3"))!
    let segmenter = Segmenter(lexicon: lexicon)
    final class Sums: @unchecked Sendable { var tokens: [Int]; var hash: [UInt64]
        init(_ n: Int) { tokens = .init(repeating: 0, count: n); hash = .init(repeating: 0, count: n) } }
    var best = Double.infinity
    var tokens = 0
    var checksum: UInt64 = 0
    for _ in 0..<repeats {
        let sums = Sums(docs.count)
        let start = now()
        let chunks = threads == 1 ? 1 : threads * 16
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var pipeline = Pipeline(pre: PreTokenizer(classes: false))
            var ends: [Int32] = []
            for d in (documents.count * c / chunks)..<(documents.count * (c + 1) / chunks) {
                ends.removeAll(keepingCapacity: true)
                documents[d].withUnsafeBufferPointer { pipeline.tokenEnds($0, segmenter: segmenter, into: &ends) }
                var h: UInt64 = 1469598103934665603
                for e in ends { h = (h ^ UInt64(e)) &* 1099511628211 }
                sums.tokens[d] = ends.count
                sums.hash[d] = h
            }
        }
        best = min(best, now() - start)
        tokens = sums.tokens.reduce(0, +)
        checksum = sums.hash.reduce(0) { ($0 &* 31) &+ $1 }
    }
    print(String(format: "{\"system\": \"ours-%dt\", \"load_s\": %.3f, \"docs\": %d, \"chars\": %d, \"tokens\": %d, \"seconds\": %.4f, \"chars_per_s\": %.0f, \"checksum\": \"%016llx\"}",
                 threads, loadSeconds, docs.count, chars, tokens, best, Double(chars) / best, checksum))
}

/// `user --dict D`: jieba's classic complaint — user words with a low or no frequency must win.
@MainActor func runUser() throws {
    let base = try Lexicon.jieba(contentsOfFile: need("dict"))
    let t0 = now()
    let user = try Lexicon.parseJieba("台中\n云计算 1\n创新办 3 i\n凱特琳 nz\n石墨烯\n", file: "user.txt")
    let merged = base.merging(user: user)
    print(String(format: "merged %d user words into %d in %.3f s", user.count, base.count, now() - t0))
    for text in ["台中正确应该不会被切开", "李小福是创新办主任也是云计算方面的专家", "石墨烯很好", "凱特琳"] {
        print(Segmenter(lexicon: base).segment(text).joined(separator: "/"), "→",
              Segmenter(lexicon: merged).segment(text).joined(separator: "/"))
    }
}

switch command {
case "user": try runUser()
case "eval": try runEval()
case "speed": try runSpeed()
default:
    print("usage: SegmentationBench eval --gold F --jieba-dict D --out DIR | speed --dict D --corpus F[,F] --threads N")
}
