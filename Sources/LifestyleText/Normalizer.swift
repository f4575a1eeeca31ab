import LifestyleCore

/// What normalisation does to text; each step can be turned off.
public struct NormalizationOptions: Sendable, Equatable, Codable {
    /// NFKC compatibility mapping, which also folds full-width forms to half-width (ＡＢＣ１２３！ → ABC123!).
    public var compatibility = true
    /// Lower-case letters (full Unicode mapping).
    public var lowercase = true
    /// Map traditional characters to simplified ones (Unihan kSimplifiedVariant, 1:1 only).
    public var traditionalToSimplified = false
    /// Cut runs of one repeated character to this many (哈哈哈哈哈 → 哈哈, ！！！！ → ！！); 0 keeps runs.
    /// ASCII letters and digits are never cut (www., 1000000, aaa batteries).
    public var maxRepeat = 2
    /// Drop zero-width and other invisible format characters (ZWJ inside emoji sequences is kept).
    public var dropInvisible = true
    /// Drop control characters (white-space controls such as tab and newline are kept).
    public var dropControl = true

    public init() {}

    /// Nothing changed except invalid UTF-8 (which can never pass through).
    public static let none: NormalizationOptions = {
        var o = NormalizationOptions()
        o.compatibility = false
        o.lowercase = false
        o.maxRepeat = 0
        o.dropInvisible = false
        o.dropControl = false
        return o
    }()
}

/// Counts of every change normalisation made, so they can be reported.
public struct NormalizationCounts: Sendable, Equatable, Codable {
    public var invalidUTF8 = 0
    public var widthFolded = 0
    public var compatibilityMapped = 0
    public var lowercased = 0
    public var traditionalToSimplified = 0
    public var repeatsCollapsed = 0
    public var invisibleDropped = 0
    public var controlDropped = 0

    public init() {}

    public mutating func add(_ o: NormalizationCounts) {
        invalidUTF8 += o.invalidUTF8
        widthFolded += o.widthFolded
        compatibilityMapped += o.compatibilityMapped
        lowercased += o.lowercased
        traditionalToSimplified += o.traditionalToSimplified
        repeatsCollapsed += o.repeatsCollapsed
        invisibleDropped += o.invisibleDropped
        controlDropped += o.controlDropped
    }

    /// Name/count pairs in a stable order, for reports.
    public var entries: [(String, Int)] {
        [("invalid_utf8_replaced", invalidUTF8), ("width_folded", widthFolded),
         ("compatibility_mapped", compatibilityMapped), ("lowercased", lowercased),
         ("traditional_to_simplified", traditionalToSimplified), ("repeats_collapsed", repeatsCollapsed),
         ("invisible_dropped", invisibleDropped), ("control_dropped", controlDropped)]
    }
}

/// Normalises code points: NFKC (per code point), lower case, traditional → simplified, repeat
/// collapsing, invisible/control removal. Keeps, for every output code point, the index of the
/// input code point it came from, so tokens can be mapped back to the original text.
///
/// NFKC is applied code point by code point through a precomputed table: compatibility forms,
/// width variants and ligatures map exactly; canonical composition of a letter with a following
/// combining mark (rare in Chinese microblog text) is not performed.
/// - Complexity: O(n), one table look-up per code point.
public struct Normalizer: Sendable {
    public let options: NormalizationOptions
    let table: FoldTable

    public init(_ options: NormalizationOptions = NormalizationOptions()) {
        self.options = options
        self.table = FoldTable.shared
    }

    /// Normalises `input` into `output` (cleared first); `origins[k]` is the input index of `output[k]`.
    public func normalize(
        _ input: UnsafeBufferPointer<UInt32>,
        into output: inout ContiguousArray<UInt32>,
        origins: inout ContiguousArray<Int32>,
        counts: inout NormalizationCounts
    ) {
        output.removeAll(keepingCapacity: true)
        origins.removeAll(keepingCapacity: true)
        output.reserveCapacity(input.count)
        origins.reserveCapacity(input.count)
        var last: UInt32 = 0
        var run = 0
        let n = input.count
        var i = 0
        @inline(__always) func emit(_ m: UInt32, _ origin: Int, _ counts: inout NormalizationCounts) {
            var m = m
            if options.traditionalToSimplified {
                let t = m < 0x10000 ? table.trad[Int(m)] : (table.tradSupplementary[m] ?? 0)
                if t != 0 { m = t; counts.traditionalToSimplified += 1 }
            }
            if m == last {
                run += 1
                if options.maxRepeat > 0 && run > options.maxRepeat && !CharacterClass.isASCIIDigit(m) && !CharacterClass.isASCIILetter(m)
                    && !CharacterClass.isWhitespace(m) {
                    counts.repeatsCollapsed += 1
                    return
                }
            } else {
                last = m
                run = 1
            }
            output.append(m)
            origins.append(Int32(truncatingIfNeeded: origin))
        }
        @inline(__always) func lowerThenEmit(_ m: UInt32, _ origin: Int, _ counts: inout NormalizationCounts) {
            guard options.lowercase else { emit(m, origin, &counts); return }
            if m < 0x80 {
                if m &- 0x41 < 26 { counts.lowercased += 1; emit(m | 0x20, origin, &counts) } else { emit(m, origin, &counts) }
                return
            }
            if m < 0x10000 {
                let l = table.lower[Int(m)]
                if l == m { emit(m, origin, &counts); return }
                counts.lowercased += 1
                if l != FoldTable.expansionMarker { emit(l, origin, &counts); return }
                for x in table.lowerExpansions[m]! { emit(x, origin, &counts) }
                return
            }
            if let l = table.lowerSupplementary(m) {
                counts.lowercased += 1
                for x in l { emit(x, origin, &counts) }
            } else {
                emit(m, origin, &counts)
            }
        }
        while i < n {
            let c = input[i]
            // Fast path: ASCII letters/digits/punctuation and CJK unified ideographs.
            if c < 0x80 {
                if options.dropControl && CharacterClass.isControl(c) {
                    counts.controlDropped += 1
                } else {
                    lowerThenEmit(c, i, &counts)
                }
                i += 1
                continue
            }
            if c >= 0x4E00 && c <= 0x9FFF {
                emit(c, i, &counts)
                i += 1
                continue
            }
            if options.dropInvisible && CharacterClass.isInvisible(c) {
                if keepsInvisible(c, at: i, in: input, after: output.last) {
                    emit(c, i, &counts)
                } else {
                    counts.invisibleDropped += 1
                }
                i += 1
                continue
            }
            if options.dropControl && CharacterClass.isControl(c) {
                counts.controlDropped += 1
                i += 1
                continue
            }
            if options.compatibility {
                if c < 0x10000 {
                    let m = table.nfkc[Int(c)]
                    if m != c {
                        if table.isWidthFold[Int(c)] { counts.widthFolded += 1 } else { counts.compatibilityMapped += 1 }
                        if m != FoldTable.expansionMarker {
                            lowerThenEmit(m, i, &counts)
                        } else {
                            for x in table.nfkcExpansions[c]! { lowerThenEmit(x, i, &counts) }
                        }
                        i += 1
                        continue
                    }
                } else if let m = table.nfkcSupplementary(c) {
                    counts.compatibilityMapped += 1
                    for x in m { lowerThenEmit(x, i, &counts) }
                    i += 1
                    continue
                }
            }
            lowerThenEmit(c, i, &counts)
            i += 1
        }
    }

    /// Zero-width joiners, variation selectors and tag characters are part of emoji sequences
    /// (👨‍👩‍👧, ❤️, subdivision flags); elsewhere they are invisible noise.
    @inline(__always)
    private func keepsInvisible(_ c: UInt32, at i: Int, in input: UnsafeBufferPointer<UInt32>, after previous: UInt32?) -> Bool {
        guard let previous else { return false }
        let prevIsEmoji = CharacterClass.isEmojiBase(previous) || CharacterClass.isEmojiModifier(previous)
            || previous == 0xFE0F || CharacterClass.isEmojiTag(previous)
        switch c {
        case 0x200D:
            guard i + 1 < input.count else { return false }
            return prevIsEmoji && CharacterClass.isEmojiBase(input[i + 1])
        case 0xFE0F, 0xFE0E:
            return prevIsEmoji || previous == 0x23 || previous == 0x2A || CharacterClass.isASCIIDigit(previous)
        case 0xE0020...0xE007F:
            return previous == 0x1F3F4 || CharacterClass.isEmojiTag(previous)
        default:
            return false
        }
    }

    /// Convenience for tests and the CLI: normalises a `String`.
    public func normalize(_ text: String, counts: inout NormalizationCounts) -> String {
        var scalars = ContiguousArray<UInt32>()
        var bytes = Array(text.utf8)
        counts.invalidUTF8 += bytes.withUnsafeMutableBufferPointer { UTF8Decoding.decode(UnsafeBufferPointer($0), into: &scalars) }
        var out = ContiguousArray<UInt32>()
        var origins = ContiguousArray<Int32>()
        scalars.withUnsafeBufferPointer { normalize($0, into: &out, origins: &origins, counts: &counts) }
        return UTF8Decoding.string(out)
    }

    public func normalize(_ text: String) -> String {
        var counts = NormalizationCounts()
        return normalize(text, counts: &counts)
    }
}
