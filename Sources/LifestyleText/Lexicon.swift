import Foundation

/// An immutable word list with frequencies, looked up by code-point sequence.
///
/// Words are stored as concatenated code points in contiguous storage; an open-addressing hash
/// table (linear probing, power-of-two capacity, load ≤ 0.5) maps every word *and every proper
/// prefix of a word* to a record, like jieba's prefix dictionary, so a left-to-right scan from a
/// position can stop as soon as the text read so far is no prefix of any word. The hash is
/// computed incrementally (one multiply per code point, `Lexicon.hashStep`), so extending a
/// candidate by one character costs one hash step and one probe — no `String` on the hot path.
///
/// Probabilities follow jieba: `P(word) = frequency / totalFrequency`; a word with frequency 0
/// is kept (and exported) but never chosen by the segmenter; a character that is no word gets
/// `unknownFrequency` (jieba uses 1). Construction is O(total code points); a lookup is O(length).
public struct Lexicon: Sendable {
    /// One word with its frequency and optional metadata, as given to or read from a lexicon.
    public struct Entry: Sendable, Hashable {
        /// The word (any Unicode text; the segmenter matches its Unicode scalars).
        public var word: String
        /// Occurrences, or `nil` in a user dictionary when the frequency was omitted (then the
        /// merge computes one that makes the word win). Negative or non-finite counts read as 0.
        public var frequency: Double?
        /// Part-of-speech tag as in jieba's dictionary (`n`, `v`, `nr`, …), if any.
        public var tag: String?
        /// Discovery statistics when the word came from `WordDiscovery`.
        public var discovery: DiscoveredWord?

        public init(word: String, frequency: Double?, tag: String? = nil, discovery: DiscoveredWord? = nil) {
            self.word = word
            self.frequency = frequency
            self.tag = tag
            self.discovery = discovery
        }
    }

    /// A table slot target: one word or word prefix. `word < 0` marks a prefix that is no word.
    struct Record: Sendable {
        var start: Int32
        var length: Int32
        var word: Int32
        var logProbability: Double
    }

    /// The words, in first-insertion order (duplicates keep the first position, last values).
    public let words: ContiguousArray<String>
    /// Frequency of each word (parallel to `words`).
    public let frequencies: ContiguousArray<Double>
    /// Tag of each word (`""` when none), parallel to `words`.
    public let tags: ContiguousArray<String>
    /// Discovery statistics parallel to `words`, or empty when no word carries any.
    public let discoveries: ContiguousArray<DiscoveredWord?>
    /// Sum of all word frequencies (jieba's `total`).
    public let totalFrequency: Double
    /// Frequency used for a character that is not a word (jieba: 1).
    public let unknownFrequency: Double
    /// Longest word, in code points.
    public let maxWordLength: Int

    let codePoints: ContiguousArray<UInt32>
    let wordStarts: ContiguousArray<Int32>
    let records: ContiguousArray<Record>
    let slots: ContiguousArray<UInt64>
    let slotShift: UInt64
    /// Words and prefixes of one to three code points, keyed by their packed code points
    /// (`TokenKey`'s exact packing) with the log-probability inline: the segmenter's probes for
    /// short candidates touch one slot, instead of a slot, a record and the code points (three
    /// dependent cache misses). Open addressing, key 0 marks an empty slot.
    let shortEntries: ContiguousArray<ShortEntry>
    let shortMask: Int

    struct ShortEntry: Sendable {
        var key: UInt64
        var logProbability: Double
    }
    /// `log(unknownFrequency / totalFrequency)`.
    let unknownLogProbability: Double

    /// Number of distinct words.
    public var count: Int { words.count }

    /// Builds a lexicon; a repeated word keeps its first position and takes the later values.
    ///
    /// Empty words are skipped (parsers report them with file:line before they get here).
    /// `unknownFrequency` must be positive; a non-positive value is replaced by 1.
    /// Complexity: O(total code points of all words) expected.
    public init(entries: [Entry], unknownFrequency: Double = 1) {
        var builder = Builder()
        for entry in entries where !entry.word.isEmpty {
            builder.add(entry)
        }
        self.init(builder: builder, unknownFrequency: unknownFrequency)
    }

    /// `logWeights` (parallel to the builder's words) replace the log-probabilities: the
    /// segmenter then maximises the sum of these weights (used for autonomy-based discovery).
    init(builder consumed: consuming Builder, unknownFrequency: Double, logWeights: [Double]? = nil,
         unknownLogWeight: Double? = nil) {
        var builder = consumed
        words = builder.words
        frequencies = builder.frequencies
        tags = builder.tags
        discoveries = builder.hasDiscovery ? builder.discoveries : []
        codePoints = builder.codePoints
        wordStarts = builder.wordStarts
        maxWordLength = builder.maxLength
        var total = 0.0
        for f in builder.frequencies { total += f }
        totalFrequency = total
        let unknown = unknownFrequency > 0 && unknownFrequency.isFinite ? unknownFrequency : 1
        self.unknownFrequency = unknown
        let logTotal = total > 0 ? log(total) : 0
        unknownLogProbability = unknownLogWeight ?? (log(unknown) - logTotal)
        var records = builder.records
        builder.records = []  // unique: no copy-on-write copy of the largest array
        for r in records.indices where records[r].word >= 0 {
            let w = Int(records[r].word)
            if let weights = logWeights {
                records[r].logProbability = weights[w]
            } else {
                let f = builder.frequencies[w]
                records[r].logProbability = f > 0 ? log(f) - logTotal : -.infinity
            }
        }
        var shortCount = 0
        for r in records where r.length <= 3 { shortCount += 1 }
        var capacity = 16
        while capacity < shortCount * 2 { capacity <<= 1 }
        var short = ContiguousArray(repeating: ShortEntry(key: 0, logProbability: 0), count: capacity)
        for r in records where r.length <= 3 {
            var key: UInt64 = 0
            for k in 0..<Int(r.length) { key = Lexicon.packStep(key, builder.codePoints[Int(r.start) + k], position: k) }
            var slot = Lexicon.shortSlot(key, mask: capacity - 1)
            while short[slot].key != 0 { slot = (slot + 1) & (capacity - 1) }
            short[slot] = ShortEntry(key: key, logProbability: r.logProbability)
        }
        shortEntries = short
        shortMask = capacity - 1
        self.records = records
        slots = builder.slots
        slotShift = builder.slotShift
    }

    /// The packed key of `text[..<position + 1]` from that of `text[..<position]` (positions 0–2).
    @inline(__always)
    static func packStep(_ key: UInt64, _ cp: UInt32, position: Int) -> UInt64 {
        key | (UInt64(cp) + 1) << UInt64(21 * position)
    }

    @inline(__always)
    static func shortSlot(_ key: UInt64, mask: Int) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }

    /// The log-probability of a word or prefix of one to three code points by its packed key;
    /// nil when it is neither (−infinity for a prefix that is no word).
    @inline(__always)
    static func findShort(_ key: UInt64, entries: UnsafeBufferPointer<ShortEntry>, mask: Int) -> Double? {
        var slot = shortSlot(key, mask: mask)
        while true {
            let e = entries[slot]
            if e.key == key { return e.logProbability }
            if e.key == 0 { return nil }
            slot = (slot &+ 1) & mask
        }
    }

    /// The entry of word number `index` (0 ..< count).
    public func entry(at index: Int) -> Entry {
        Entry(word: words[index], frequency: frequencies[index], tag: tags[index].isEmpty ? nil : tags[index],
              discovery: discoveries.isEmpty ? nil : discoveries[index])
    }

    /// All entries in word order.
    public var entries: [Entry] { (0..<count).map(entry(at:)) }

    /// Index of `word`, or nil when it is no word (a mere prefix is no word).
    public func index(of word: String) -> Int? {
        let cps = ContiguousArray(word.unicodeScalars.map(\.value))
        return cps.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return nil }
            var h = Lexicon.hashSeed
            for cp in buffer { h = Lexicon.hashStep(h, cp) }
            let r = find(hash: h, text: base, length: buffer.count)
            guard r >= 0, records[Int(r)].word >= 0 else { return nil }
            return Int(records[Int(r)].word)
        }
    }

    /// Frequency of `word`, or nil when it is no word.
    public func frequency(of word: String) -> Double? { index(of: word).map { frequencies[$0] } }

    /// Code points of word number `index`.
    public func codePoints(ofWordAt index: Int) -> [UInt32] {
        Array(codePoints[Int(wordStarts[index])..<Int(wordStarts[index + 1])])
    }

    // MARK: Hashing and lookup (shared with the segmenter's hot loop)

    static let hashSeed: UInt64 = 0xCBF2_9CE4_8422_2325

    /// One incremental hash step: the hash of `text[i...j]` from the hash of `text[i..<j]`.
    @inline(__always)
    static func hashStep(_ h: UInt64, _ cp: UInt32) -> UInt64 {
        let x = (h ^ UInt64(cp)) &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }

    @inline(__always)
    static func slotIndex(_ h: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (h &* 0xD6E8_FEB8_6659_FD93) >> shift)
    }

    /// Record index of the word or prefix `text[0..<length]` with hash `hash`, or -1.
    @inline(__always)
    func find(hash: UInt64, text: UnsafePointer<UInt32>, length: Int) -> Int32 {
        slots.withUnsafeBufferPointer { slotBuf in
            records.withUnsafeBufferPointer { recBuf in
                codePoints.withUnsafeBufferPointer { cpBuf in
                    Lexicon.find(hash: hash, text: text, length: length, slots: slotBuf, shift: slotShift,
                                 records: recBuf, codePoints: cpBuf)
                }
            }
        }
    }

    @inline(__always)
    static func find(hash: UInt64, text: UnsafePointer<UInt32>, length: Int, slots: UnsafeBufferPointer<UInt64>,
                     shift: UInt64, records: UnsafeBufferPointer<Record>,
                     codePoints: UnsafeBufferPointer<UInt32>) -> Int32 {
        let mask = slots.count &- 1
        var i = slotIndex(hash, shift: shift)
        let tag = hash >> 32
        while true {
            let s = slots[i]
            if s == 0 { return -1 }
            if s >> 32 == tag {
                let r = Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: s)) &- 1
                let rec = records[r]
                if Int(rec.length) == length {
                    var k = 0
                    let base = Int(rec.start)
                    while k < length && codePoints[base &+ k] == text[k] { k &+= 1 }
                    if k == length { return Int32(truncatingIfNeeded: r) }
                }
            }
            i = (i &+ 1) & mask
        }
    }
}


extension Lexicon {
    /// Accumulates words, deduplicating through the same hash table the lexicon will use.
    struct Builder {
        var words = ContiguousArray<String>()
        var frequencies = ContiguousArray<Double>()
        var tags = ContiguousArray<String>()
        var discoveries = ContiguousArray<DiscoveredWord?>()
        var hasDiscovery = false
        var codePoints = ContiguousArray<UInt32>()
        var wordStarts: ContiguousArray<Int32> = [0]
        var records = ContiguousArray<Record>()
        var slots = ContiguousArray<UInt64>(repeating: 0, count: 1024)
        var slotShift: UInt64 = 64 - 10
        var maxLength = 0

        init() {}

        /// Presizes storage for about `words` words (avoids growth copies while loading).
        mutating func reserve(words n: Int) {
            words.reserveCapacity(n); frequencies.reserveCapacity(n); tags.reserveCapacity(n)
            discoveries.reserveCapacity(n); wordStarts.reserveCapacity(n + 1)
            codePoints.reserveCapacity(n * 3); records.reserveCapacity(n * 2)
            var size = 1024, bits: UInt64 = 10
            while size < n * 4 { size *= 2; bits += 1 }
            if size > slots.count && records.isEmpty {
                slots = ContiguousArray(repeating: 0, count: size)
                slotShift = 64 - bits
            }
        }

        /// Continues from an existing lexicon (copy-on-write: O(1) until the first change).
        init(_ lexicon: Lexicon) {
            words = lexicon.words
            frequencies = lexicon.frequencies
            tags = lexicon.tags
            hasDiscovery = !lexicon.discoveries.isEmpty
            discoveries = hasDiscovery ? lexicon.discoveries
                : ContiguousArray(repeating: nil, count: lexicon.words.count)
            codePoints = lexicon.codePoints
            wordStarts = lexicon.wordStarts
            records = lexicon.records
            slots = lexicon.slots
            slotShift = lexicon.slotShift
            maxLength = lexicon.maxWordLength
        }

        mutating func add(_ entry: Entry) {
            let f = entry.frequency ?? 0
            add(word: entry.word, scalars: entry.word.unicodeScalars.map(\.value),
                frequency: f.isFinite && f > 0 ? f : 0, tag: entry.tag ?? "", discovery: entry.discovery)
        }

        /// Adds or updates a word; returns its word index. Expected O(length).
        @discardableResult
        mutating func add(word: String, scalars: [UInt32], frequency: Double, tag: String,
                          discovery: DiscoveredWord?) -> Int {
            precondition(!scalars.isEmpty)
            var h = Lexicon.hashSeed
            for cp in scalars { h = Lexicon.hashStep(h, cp) }
            let wordIndex: Int
            if let r = existing(hash: h, scalars: scalars), records[r].word >= 0 {
                wordIndex = Int(records[r].word)
            } else {
                let start = Int32(codePoints.count)
                codePoints.append(contentsOf: scalars)
                h = Lexicon.hashSeed
                var last = 0
                for (k, cp) in scalars.enumerated() {
                    h = Lexicon.hashStep(h, cp)
                    last = findOrInsert(hash: h, start: start, length: Int32(k + 1))
                }
                wordIndex = words.count
                records[last].word = Int32(wordIndex)
                records[last].start = start
                words.append(word)
                frequencies.append(0)
                tags.append("")
                discoveries.append(nil)
                wordStarts.append(start + Int32(scalars.count))
            }
            frequencies[wordIndex] = frequency
            tags[wordIndex] = tag
            if let discovery { discoveries[wordIndex] = discovery; hasDiscovery = true }
            maxLength = max(maxLength, scalars.count)
            return wordIndex
        }

        private func existing(hash: UInt64, scalars: [UInt32]) -> Int? {
            let mask = slots.count - 1
            var i = Lexicon.slotIndex(hash, shift: slotShift)
            while true {
                let s = slots[i]
                if s == 0 { return nil }
                let r = Int(UInt32(truncatingIfNeeded: s)) - 1
                let rec = records[r]
                if s >> 32 == hash >> 32 && Int(rec.length) == scalars.count
                    && codePoints[Int(rec.start)..<Int(rec.start) + scalars.count].elementsEqual(scalars) {
                    return r
                }
                i = (i + 1) & mask
            }
        }

        private mutating func findOrInsert(hash: UInt64, start: Int32, length: Int32) -> Int {
            if (records.count + 1) * 2 > slots.count { grow() }
            let mask = slots.count - 1
            var i = Lexicon.slotIndex(hash, shift: slotShift)
            let tag = hash >> 32
            while true {
                let s = slots[i]
                if s == 0 {
                    records.append(Record(start: start, length: length, word: -1, logProbability: -.infinity))
                    slots[i] = tag << 32 | UInt64(records.count)
                    return records.count - 1
                }
                if s >> 32 == tag {
                    let r = Int(UInt32(truncatingIfNeeded: s)) - 1
                    let rec = records[r]
                    if rec.length == length {
                        var k = 0
                        while k < Int(length) && codePoints[Int(rec.start) + k] == codePoints[Int(start) + k] { k += 1 }
                        if k == Int(length) { return r }
                    }
                }
                i = (i + 1) & mask
            }
        }

        private mutating func grow() {
            let newCount = slots.count * 2
            slotShift -= 1
            var newSlots = ContiguousArray<UInt64>(repeating: 0, count: newCount)
            let mask = newCount - 1
            for (r, rec) in records.enumerated() {
                var h = Lexicon.hashSeed
                for k in Int(rec.start)..<Int(rec.start + rec.length) { h = Lexicon.hashStep(h, codePoints[k]) }
                var i = Lexicon.slotIndex(h, shift: slotShift)
                while newSlots[i] != 0 { i = (i + 1) & mask }
                newSlots[i] = (h >> 32) << 32 | UInt64(r + 1)
            }
            slots = newSlots
        }
    }
}

extension Lexicon {
    /// A mixture of two unigram models: `P(w) = (1 − weight)·P_self(w) + weight·P_other(w)`.
    ///
    /// Frequencies are expressed on this lexicon's scale (total stays `totalFrequency`); tags and
    /// discovery statistics come from whichever lexicon has them (this one first). Typical use:
    /// a general dictionary (jieba's) mixed with words discovered in the corpus at hand, so
    /// domain words and `<number>年`-style words are known without a hand-made user dictionary.
    /// O(words of both).
    public func mixing(_ other: Lexicon, weight: Double) -> Lexicon {
        let w = min(max(weight.isFinite ? weight : 0, 0), 1)
        let total = totalFrequency > 0 ? totalFrequency : 1
        let scaleSelf = 1 - w
        let scaleOther = other.totalFrequency > 0 ? w * total / other.totalFrequency : 0
        var builder = Builder()
        for i in 0..<count {
            builder.add(word: words[i], scalars: codePoints(ofWordAt: i), frequency: frequencies[i] * scaleSelf,
                        tag: tags[i], discovery: discoveries.isEmpty ? nil : discoveries[i])
        }
        for i in 0..<other.count {
            let scalars = other.codePoints(ofWordAt: i)
            let mine = index(of: other.words[i])
            let f = (mine.map { frequencies[$0] * scaleSelf } ?? 0) + other.frequencies[i] * scaleOther
            let tag = mine.map { tags[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? other.tags[i]
            let discovery = (mine.flatMap { discoveries.isEmpty ? nil : discoveries[$0] })
                ?? (other.discoveries.isEmpty ? nil : other.discoveries[i])
            builder.add(word: other.words[i], scalars: scalars, frequency: f, tag: tag, discovery: discovery)
        }
        return Lexicon(builder: builder, unknownFrequency: unknownFrequency)
    }
}
