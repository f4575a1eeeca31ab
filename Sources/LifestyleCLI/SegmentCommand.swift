import ArgumentParser
import Foundation
import LifestyleCore
import LifestyleText

/// `lifestyle segment`: text in, tokens out, for inspecting what the tokenizer does.
struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Tokenize text from --text or standard input (one document a line) and print the tokens.")

    @Option(help: "Text to tokenize (otherwise standard input, a line at a time).")
    var text: String?

    @OptionGroup var tokens: TokenizerOptions

    @Flag(help: "Show each token's kind (chinese, emoji, hashtag…).")
    var kinds = false

    @Flag(help: "Print one JSON object a line: tokens, kinds and normalisation counts.")
    var json = false

    @Flag(help: "Print normalisation counts to standard error at the end.")
    var stats = false

    func run() throws {
        let tokenizer = try tokens.tokenizer()
        var ws = TokenizerWorkspace()
        var out = OutputBuffer()
        func handle(_ bytes: UnsafeBufferPointer<UInt8>) {
            var sink = CollectingSink()
            let before = ws.counts
            tokenizer.tokenize(utf8: bytes, workspace: &ws, into: &sink)
            if json {
                var counts = ws.counts
                counts.subtract(before)
                let obj: [String: Any] = [
                    "tokens": sink.tokens.map(\.text), "kinds": sink.tokens.map { $0.kind.description },
                    "normalization": Dictionary(uniqueKeysWithValues: counts.entries.filter { $0.1 > 0 }),
                ]
                let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
                out.write(String(decoding: data, as: UTF8.self) + "\n")
            } else if kinds {
                out.write(sink.tokens.map { "\($0.text)/\($0.kind)" }.joined(separator: " ") + "\n")
            } else {
                out.write(sink.tokens.map(\.text).joined(separator: " ") + "\n")
            }
        }
        if let text {
            var t = text
            t.withUTF8 { handle($0) }
        } else {
            let reader = try LineReader(path: "-")
            try reader.forEachLine { _, line in
                handle(line)
                return true
            }
        }
        out.flush()
        if stats {
            writeStandardError("normalisation: " + ws.counts.entries.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                + " repost_markers=\(ws.repostMarkers) documents=\(ws.documents)\n")
        }
    }
}

extension NormalizationCounts {
    mutating func subtract(_ o: NormalizationCounts) {
        invalidUTF8 -= o.invalidUTF8
        widthFolded -= o.widthFolded
        compatibilityMapped -= o.compatibilityMapped
        lowercased -= o.lowercased
        traditionalToSimplified -= o.traditionalToSimplified
        repeatsCollapsed -= o.repeatsCollapsed
        invisibleDropped -= o.invisibleDropped
        controlDropped -= o.controlDropped
    }
}

/// Buffered standard output (print() per line is slow for large outputs).
struct OutputBuffer {
    private var buffer: [UInt8] = []
    mutating func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 16 { flush() }
    }
    mutating func flush() {
        buffer.withUnsafeBytes { b in
            var off = 0
            while off < b.count {
                let n = Glibc.write(1, b.baseAddress! + off, b.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
