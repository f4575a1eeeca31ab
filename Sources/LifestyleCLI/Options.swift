import ArgumentParser
import LifestyleCore
import LifestyleText
import LifestyleVectors

extension ConfigurationError: ConfigurationErrorLike {}

/// Options shared by every command that reads input or does long work.
struct CommonOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress bars or summaries on standard error.")
    var quiet = false

    @Flag(help: "Treat the first malformed input line as a fatal error instead of skipping it.")
    var strict = false

    /// Names the skipped lines (`file:line: field: reason`, the first ten) on standard error.
    func reportSkipped(_ summary: ReadSummary) {
        guard !quiet, summary.skippedTotal > 0 else { return }
        for e in summary.firstErrors { writeStandardError("warning: skipped \(e)\n") }
        let more = summary.skippedTotal - summary.firstErrors.count
        if more > 0 { writeStandardError("warning: … and \(more) more skipped lines (see the summary; --strict stops at the first)\n") }
    }
}

/// How text becomes tokens.
struct TokenizerOptions: ParsableArguments {
    @Option(help: "Chinese tokens: ngram (character n-grams), words (segmented), both.")
    var mode: ChineseMode = .ngram

    @Option(help: "Character n-gram sizes, e.g. 1-2 or 1-3.")
    var ngram: String = "1-2"

    @Option(help: "Lexicon TSV from `lifestyle discover` for words/both mode.")
    var lexicon: String?

    @Option(name: .customLong("dict"), help: "Main dictionary in jieba's `word freq [tag]` format (e.g. jieba's dict.txt), instead of --lexicon.")
    var dictionary: String?

    @Option(name: .customLong("user-dict"), help: "User dictionary in jieba's `word [freq] [tag]` format, merged into the lexicon; its words win.")
    var userDictionary: String?

    @Flag(name: .customLong("trad-to-simp"), help: "Map traditional characters to simplified.")
    var traditionalToSimplified = false

    @Option(help: "Entity kinds to keep, comma-separated (chinese,latin,number,url,mention,hashtag,emoticon,emoji,repost). Default: all but url, number, repost.")
    var keep: String?

    @Option(help: "Reposted text after //@user: keep or drop.")
    var reposts: RepostMode = .keep

    @Option(name: .customLong("stop-words"), help: "File of stop words, one a line, replacing the default list ('none' for no stop words).")
    var stopWords: String?

    @Flag(name: .customLong("no-collapse"), help: "Keep runs of repeated characters (哈哈哈哈).")
    var noCollapse = false

    func configuration() throws -> TokenizerConfiguration {
        var c = TokenizerConfiguration()
        c.chinese = mode
        let parts = ngram.split(separator: "-").compactMap { Int($0) }
        guard (1...2).contains(parts.count), ngram.split(separator: "-").count == parts.count else {
            throw ValidationError("--ngram \(ngram): expected N or MIN-MAX, e.g. 1-2")
        }
        c.ngramMin = parts[0]
        c.ngramMax = parts.last!
        c.normalization.traditionalToSimplified = traditionalToSimplified
        if noCollapse { c.normalization.maxRepeat = 0 }
        c.reposts = reposts
        if let keep {
            var kinds = Set<TokenKind>()
            for name in keep.split(separator: ",") {
                guard let k = TokenKind.allCases.first(where: { $0.description == name.trimmingCharacters(in: .whitespaces) }) else {
                    throw ValidationError("--keep: unknown kind '\(name)' (known: \(TokenKind.allCases.map(\.description).joined(separator: ",")))")
                }
                kinds.insert(k)
            }
            c.keep = kinds
        }
        if let stopWords {
            if stopWords == "none" {
                c.stopWords = []
            } else {
                let text = String(decoding: try AtomicFile.read(stopWords), as: UTF8.self)
                c.stopWords = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
            }
        }
        try c.validate()
        return c
    }

    /// The lexicon for words/both mode: a discovered lexicon and/or a user dictionary merged in.
    func loadLexicon() throws -> Lexicon? {
        var base: Lexicon?
        if lexicon != nil && dictionary != nil {
            throw ValidationError("--lexicon and --dict both give the main word list; pick one (add words with --user-dict)")
        }
        if let dictionary {
            base = try Lexicon.jieba(contentsOfFile: dictionary)
        }
        if let lexicon {
            let text = String(decoding: try AtomicFile.read(lexicon), as: UTF8.self)
            base = try Lexicon(tsv: text, file: lexicon)
        }
        if let userDictionary {
            let entries = try Lexicon.jiebaEntries(contentsOfFile: userDictionary)
            base = (base ?? Lexicon(entries: [])).merging(user: entries)
        }
        if base == nil && mode != .ngram {
            writeStandardError("warning: --mode \(mode.rawValue) without --lexicon, --dict or --user-dict: Chinese falls back to single characters\n")
        }
        return base
    }

    func tokenizer() throws -> Tokenizer {
        try Tokenizer(configuration(), lexicon: loadLexicon())
    }
}

/// Which posts, grouped how, tokenized how, pruned how: the options every vectorising command shares.
struct CorpusOptions: ParsableArguments {
    @Option(help: "Posts file (JSON Lines, CSV with user_id,text, or TSV).")
    var posts: String

    @Option(help: "One document per user (all posts) or per post.")
    var by: DocumentCollection.Grouping = .user

    @OptionGroup var tokens: TokenizerOptions

    @Option(name: .customLong("min-df"), help: "Minimum document frequency: a count (2) or a fraction (0.001).")
    var minDF: String = "2"

    @Option(name: .customLong("max-df"), help: "Maximum document frequency: a count or a fraction (default 1.0 for vectorize, 0.5 for clustering).")
    var maxDF: String?

    /// Reads the posts and fits TF-IDF on them, with progress bars.
    func vectorize(defaultMaxDF: String, threads: Int, common: CommonOptions,
                   configure: (inout VectorizerConfiguration) -> Void = { _ in }) throws -> (DocumentCollection, TFIDFModel, CSRMatrix) {
        let maxDF = self.maxDF ?? defaultMaxDF
        var config = VectorizerConfiguration()
        guard let lo = DocumentFrequency(parsing: minDF) else { throw ValidationError("--min-df \(minDF): expected a count or a fraction") }
        guard let hi = DocumentFrequency(parsing: maxDF) else { throw ValidationError("--max-df \(maxDF): expected a count or a fraction") }
        config.minDF = lo
        config.maxDF = hi
        config.threads = threads
        configure(&config)
        let progress = ProgressBar("reading", total: fileSize(posts), unit: "bytes", quiet: common.quiet)
        let docs = try DocumentCollection.load(posts, grouping: by, strict: common.strict, progress: progress.update)
        progress.finish()
        common.reportSkipped(docs.summary)
        let vectorizer = try TFIDFVectorizer(config, analyzer: .microblog(try tokens.configuration()), lexicon: try tokens.loadLexicon())
        let bar = ProgressBar("vectorizing", total: docs.texts.count, quiet: common.quiet)
        let (model, x) = try vectorizer.fitTransform(docs.texts, progress: bar.update)
        bar.finish()
        return (docs, model, x)
    }
}

extension ChineseMode: ExpressibleByArgument {}
extension RepostMode: ExpressibleByArgument {}
extension DocumentCollection.Grouping: ExpressibleByArgument {}

import Foundation
