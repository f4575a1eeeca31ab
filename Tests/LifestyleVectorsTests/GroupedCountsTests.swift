import Testing
@testable import LifestyleText
@testable import LifestyleVectors

/// `rawCounts` (one pass, buffered keys, radix-sorted columns) gives exactly the rows of the
/// counting twin's `transform` and of summing each group's rows.
@Suite struct GroupedCountsTests {
    static let documents = [
        "今天去健身房撸铁，练完喝蛋白粉", "宝宝的奶粉喝完了 #育儿# @妈妈", "健身房里喝蛋白粉", "",
        "宝宝去健身房 http://t.cn/abc 哈哈哈哈", "猫粮和猫砂都买了 cat food", "😀 emoji only", "奶粉奶粉奶粉",
    ]
    static let groups = [0, 2, 3, 3, 6, 8]  // includes an empty group and an empty document

    /// Han runs with long lexicon words, stop words, a supplementary-plane character, hashtags
    /// whose content is a stop word, traditional characters and repeats.
    static let hanDocuments = [
        "我们今天去健身房撸铁，这个蛋白粉的味道还不错", "宝宝的奶粉喝完了我们再买 #我们# #宝宝奶粉#",
        "健身房健身房健身房", "𠀀𠀁健身房里的人", "猫粮猫砂猫爬架，还有猫罐头", "這個寶寶很可愛", "我", "的的的的",
        "自由泳蛙泳仰泳都会", "Gym打卡 #健身# 练腿日",
    ]
    static let hanGroups = [0, 3, 3, 7, 10]

    static let hanLexicon = Lexicon(entries: [
        .init(word: "健身房", frequency: 50), .init(word: "蛋白粉", frequency: 30), .init(word: "宝宝", frequency: 60),
        .init(word: "奶粉", frequency: 50), .init(word: "猫爬架", frequency: 20), .init(word: "猫罐头", frequency: 0),
        .init(word: "自由泳蛙", frequency: 5), .init(word: "撸铁", frequency: 40), .init(word: "我们", frequency: 80),
        .init(word: "味道", frequency: 30), .init(word: "健身", frequency: 70),
    ])

    /// Counting Han runs whole (`ChineseRunShortcut`) gives the rows of counting their tokens,
    /// for every n-gram range and Chinese mode (the shortcut applies to `.both` with 1...1 and
    /// 1...2 only; the others take the token path and must agree too).
    @Test(arguments: [(ChineseMode.both, 1, 2), (.both, 1, 1), (.both, 2, 2), (.both, 1, 3), (.words, 1, 2), (.ngram, 1, 2)])
    func hanRunShortcutCountsWhatTheTokensCount(mode: ChineseMode, ngramMin: Int, ngramMax: Int) throws {
        var tc = TokenizerConfiguration()
        tc.chinese = mode
        tc.ngramMin = ngramMin
        tc.ngramMax = ngramMax
        tc.stopWords = ["我", "的", "我们", "这个", "还", "很", "都会"]
        let model = try counter({ $0.minDF = .count(1) }, analyzer: .microblog(tc), lexicon: Self.hanLexicon, documents: Self.hanDocuments)
        if case .microblog(let t) = model.analyzer {
            #expect((t.chineseRunShortcut != nil) == (mode == .both && ngramMin == 1 && ngramMax <= 2))
        }
        let perDocument = model.transform(Self.hanDocuments)
        let counts = model.rawCounts(Self.hanDocuments, groupStart: Self.hanGroups)
        #expect(counts.documents == perDocument)
        #expect(counts.groups == summed(perDocument, groups: Self.hanGroups))
    }

    /// Sums rows per group through a dense array (the straightforward reference).
    func summed(_ x: CSRMatrix, groups: [Int]) -> CSRMatrix {
        var pointers = ContiguousArray<Int>([0]), indices = ContiguousArray<Int32>(), values = ContiguousArray<Float>()
        for g in 0..<(groups.count - 1) {
            var dense = [Float](repeating: 0, count: x.columns)
            for r in groups[g] ..< groups[g + 1] {
                for p in x.rowPointers[r] ..< x.rowPointers[r + 1] { dense[Int(x.columnIndices[p])] += x.values[p] }
            }
            for (j, v) in dense.enumerated() where v != 0 { indices.append(Int32(j)); values.append(v) }
            pointers.append(indices.count)
        }
        return CSRMatrix(rows: groups.count - 1, columns: x.columns, rowPointers: pointers, columnIndices: indices, values: values)
    }

    func counter(_ configure: (inout VectorizerConfiguration) -> Void, analyzer: AnalyzerSpec, lexicon: Lexicon? = nil,
                 documents: [String] = GroupedCountsTests.documents) throws -> TFIDFModel {
        var c = VectorizerConfiguration()
        configure(&c)
        return try TFIDFVectorizer(c, analyzer: analyzer, lexicon: lexicon).fit(documents).countingTwin()
    }

    @Test(arguments: [false, true])
    func matchesTransformAndGroupSums(hashing: Bool) throws {
        var tc = TokenizerConfiguration()
        tc.chinese = .both
        let lexicon = Lexicon(entries: [.init(word: "健身房", frequency: 50), .init(word: "蛋白粉", frequency: 30),
                                        .init(word: "宝宝", frequency: 60), .init(word: "奶粉", frequency: 50)])
        let model = try counter({ if hashing { $0.hashingBits = 10 } }, analyzer: .microblog(tc), lexicon: lexicon)
        #expect((model.vocabulary == nil) == hashing)
        let perDocument = model.transform(Self.documents)
        let counts = model.rawCounts(Self.documents, groupStart: Self.groups)
        #expect(counts.documents == perDocument)
        #expect(counts.groups == summed(perDocument, groups: Self.groups))
    }

    @Test func characterAnalyzerAndInvalidUTF8() throws {
        let model = try counter({ _ in }, analyzer: .characters(try CharNGramAnalyzer(ngramMin: 1, ngramMax: 2)))
        #expect(model.rawCounts(Self.documents, groupStart: Self.groups).documents == model.transform(Self.documents))
        // Bytes that are not UTF-8 read as U+FFFD, as String(decoding:as:) reads them.
        let bytes: [UInt8] = Array("奶粉".utf8) + [0xFF, 0xC3] + Array("宝宝".utf8)
        let counts = bytes.withUnsafeBufferPointer { model.rawCounts(utf8: $0, documents: [0 ..< bytes.count], groupStart: [0, 1]) }
        #expect(counts.documents == model.transform([String(decoding: bytes, as: UTF8.self)]))
    }
}
