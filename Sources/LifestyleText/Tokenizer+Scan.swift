/// The scanner: one left-to-right pass over normalised code points.
extension Tokenizer {
    func scan<S: TokenSink>(_ s: UnsafeBufferPointer<UInt32>, range: Range<Int>, allowHashtags: Bool,
                            workspace ws: inout TokenizerWorkspace, into sink: inout S) {
        var i = range.lowerBound
        let n = range.upperBound
        while i < n {
            let c = s[i]
            if CharacterClass.isHan(c) {
                var j = i + 1
                while j < n && CharacterClass.isHan(s[j]) { j += 1 }
                chinese(s, i..<j, workspace: &ws, into: &sink)
                i = j
                continue
            }
            if c < 0x80 {
                // Keycaps #️⃣ *️⃣ (digits are handled below).
                if (c == 0x23 || c == 0x2A), i + 1 < n, s[i + 1] == 0xFE0F || s[i + 1] == 0x20E3 {
                    let j = emojiEnd(s, from: i, limit: n)
                    emit(s, i..<j, .emoji, into: &sink)
                    i = j
                    continue
                }
                // E-mail addresses are recognised (so `me@example.com` is no mention) and kept or
                // dropped with URLs.
                if CharacterClass.isASCIILetter(c) || CharacterClass.isASCIIDigit(c), let j = emailEnd(s, from: i, limit: n) {
                    emit(s, i..<j, .url, into: &sink)
                    i = j
                    continue
                }
                switch c {
                case 0x23 /* # */ where allowHashtags:
                    if let close = hashtagEnd(s, from: i, limit: n) {
                        emit(s, i..<(close + 1), .hashtag, into: &sink)
                        if configuration.hashtagContent {
                            scan(s, range: (i + 1)..<close, allowHashtags: false, workspace: &ws, into: &sink)
                        }
                        i = close + 1
                        continue
                    }
                case 0x40 /* @ */:
                    let j = mentionEnd(s, from: i + 1, limit: n)
                    if j > i + 1 {
                        let isRepost = i >= 2 && s[i - 1] == 0x2F && s[i - 2] == 0x2F
                        if isRepost {
                            ws.repostMarkers += 1
                            if configuration.reposts == .dropReposted { return }
                            emit(s, (i - 2)..<j, .repost, into: &sink)
                        } else {
                            emit(s, i..<j, .mention, into: &sink)
                        }
                        i = j
                        continue
                    }
                case 0x5B /* [ */:
                    if let close = emoticonEnd(s, from: i, limit: n) {
                        emit(s, i..<(close + 1), .emoticon, into: &sink)
                        i = close + 1
                        continue
                    }
                case 0x68, 0x77 /* h, w */:
                    let j = urlEnd(s, from: i, limit: n)
                    if j > i {
                        emit(s, i..<j, .url, into: &sink)
                        i = j
                        continue
                    }
                default:
                    break
                }
                if CharacterClass.isASCIIDigit(c) {
                    if i + 1 < n, s[i + 1] == 0xFE0F || s[i + 1] == 0x20E3 {
                        let j = emojiEnd(s, from: i, limit: n)
                        emit(s, i..<j, .emoji, into: &sink)
                        i = j
                        continue
                    }
                    let j = numberEnd(s, from: i, limit: n)
                    emit(s, i..<j, .number, into: &sink)
                    i = j
                    continue
                }
                if CharacterClass.isASCIILetter(c) {
                    let j = wordEnd(s, from: i, limit: n)
                    emitFiltered(s, i..<j, .latin, into: &sink)
                    i = j
                    continue
                }
                i += 1
                continue
            }
            if CharacterClass.isEmojiBase(c) || CharacterClass.isRegionalIndicator(c) || CharacterClass.isEmojiModifier(c) {
                let j = emojiEnd(s, from: i, limit: n)
                emit(s, i..<j, .emoji, into: &sink)
                i = j
                continue
            }
            if CharacterClass.isOtherLetter(c) {
                let j = wordEnd(s, from: i, limit: n)
                emitFiltered(s, i..<j, .latin, into: &sink)
                i = j
                continue
            }
            i += 1
        }
    }

    @inline(__always)
    func emit<S: TokenSink>(_ s: UnsafeBufferPointer<UInt32>, _ r: Range<Int>, _ kind: TokenKind, into sink: inout S) {
        guard keeps(kind) else { return }
        let t = UnsafeBufferPointer(rebasing: s[r])
        sink.token(t, kind: kind, key: TokenKey(t))
    }

    @inline(__always)
    func emitFiltered<S: TokenSink>(_ s: UnsafeBufferPointer<UInt32>, _ r: Range<Int>, _ kind: TokenKind, into sink: inout S) {
        guard keeps(kind) else { return }
        let t = UnsafeBufferPointer(rebasing: s[r])
        let key = TokenKey(t)
        if stopKeys.contains(key.raw) { return }
        sink.token(t, kind: kind, key: key)
    }

    /// Character n-grams and/or lexicon words of one Han run.
    func chinese<S: TokenSink>(_ s: UnsafeBufferPointer<UInt32>, _ r: Range<Int>, workspace ws: inout TokenizerWorkspace, into sink: inout S) {
        guard keeps(.chinese) else { return }
        let run = UnsafeBufferPointer(rebasing: s[r])
        if sink.hanRun(run, tokenizer: self) { return }
        let mode = configuration.chinese
        var wordLength = ContiguousArray<UInt8>()
        if mode != .ngram, let segmenter {
            ws.ends.removeAll(keepingCapacity: true)
            segmenter.segment(run, into: &ws.ends, workspace: &ws.segmenter)
            if mode == .both {
                swap(&wordLength, &ws.wordLength)
                wordLength.removeAll(keepingCapacity: true)
                wordLength.append(contentsOf: repeatElement(0, count: run.count))
            }
            var start = 0
            for e in ws.ends {
                let end = Int(e)
                if mode == .both { wordLength[start] = UInt8(truncatingIfNeeded: min(end - start, 255)) }
                let w = UnsafeBufferPointer(rebasing: run[start..<end])
                let key = TokenKey(w)
                if !stopKeys.contains(key.raw) { sink.token(w, kind: .chinese, key: key) }
                start = end
            }
            if mode == .words { return }
        }
        let lo = configuration.ngramMin, hi = configuration.ngramMax
        let base = run.baseAddress!
        for n in lo...hi where n <= run.count {
            for p in 0...(run.count - n) {
                if mode == .both && Int(wordLength[p]) == n { continue }
                let key = TokenKey(base + p, count: n)
                if n <= 2 && stopKeys.contains(key.raw) { continue }
                sink.token(UnsafeBufferPointer(start: base + p, count: n), kind: .chinese, key: key)
            }
        }
        if mode == .both { swap(&wordLength, &ws.wordLength) }
    }
}
