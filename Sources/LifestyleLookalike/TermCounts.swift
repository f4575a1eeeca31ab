import Foundation
import LifestyleVectors

/// Raw term counts as the common currency: posts are tokenized once; a user's counts are the sum
/// of their posts' (n-grams never cross posts), and TF-IDF rows follow from counts and idf.
enum TermCounts {
    /// Sums the rows of each group (group g = rows start[g] ..< start[g + 1]); columns stay sorted.
    static func sumRows(_ x: CSRMatrix, groups start: [Int]) -> CSRMatrix {
        var pointers = ContiguousArray<Int>([0])
        pointers.reserveCapacity(start.count)
        var indices = ContiguousArray<Int32>(), values = ContiguousArray<Float>()
        indices.reserveCapacity(x.nnz)
        values.reserveCapacity(x.nnz)
        var dense = [Float](repeating: 0, count: x.columns)
        var touched: [Int32] = []
        x.rowPointers.withUnsafeBufferPointer { rp in
            x.columnIndices.withUnsafeBufferPointer { ci in
                x.values.withUnsafeBufferPointer { v in
                    dense.withUnsafeMutableBufferPointer { d in
                        for g in 0..<(start.count - 1) {
                            let lo = start[g], hi = start[g + 1]
                            if hi - lo == 1 {
                                for p in rp[lo] ..< rp[lo + 1] {
                                    indices.append(ci[p])
                                    values.append(v[p])
                                }
                            } else if hi > lo {
                                touched.removeAll(keepingCapacity: true)
                                for r in lo..<hi {
                                    for p in rp[r] ..< rp[r + 1] {
                                        let j = Int(ci[p])
                                        if d[j] == 0 { touched.append(ci[p]) }
                                        d[j] += v[p]
                                    }
                                }
                                touched.sort()
                                for j in touched {
                                    indices.append(j)
                                    values.append(d[Int(j)])
                                    d[Int(j)] = 0
                                }
                            }
                            pointers.append(indices.count)
                        }
                    }
                }
            }
        }
        return CSRMatrix(rows: start.count - 1, columns: x.columns, rowPointers: pointers, columnIndices: indices, values: values)
    }

    /// TF-IDF rows from raw counts, weighted and normalised as `tfidf` would.
    static func weighted(_ counts: CSRMatrix, like tfidf: TFIDFModel) -> CSRMatrix {
        let config = tfidf.configuration
        var values = ContiguousArray<Float>(repeating: 0, count: counts.nnz)
        let idf = tfidf.idf
        idf.withUnsafeBufferPointer { idf in
        counts.rowPointers.withUnsafeBufferPointer { rowPointers in
        counts.columnIndices.withUnsafeBufferPointer { columnIndices in
        counts.values.withUnsafeBufferPointer { countValues in
        values.withUnsafeMutableBufferPointer { values in
        for r in 0..<counts.rows {
            let lo = rowPointers[r], hi = rowPointers[r + 1]
            var norm = 0.0
            for p in lo..<hi {
                let c = Double(countValues[p])
                var w = config.sublinearTF ? TFIDFModel.sublinearTF(c) : c
                if config.useIDF { w *= Double(idf[Int(columnIndices[p])]) }
                values[p] = Float(w)
                switch config.norm {
                case .l2: norm += w * w
                case .l1: norm += abs(w)
                case .none: break
                }
            }
            let scale: Double
            switch config.norm {
            case .l2: scale = norm > 0 ? 1 / norm.squareRoot() : 0
            case .l1: scale = norm > 0 ? 1 / norm : 0
            case .none: scale = 1
            }
            for p in lo..<hi { values[p] = Float(Double(values[p]) * scale) }
        }
        }
        }
        }
        }
        }
        return CSRMatrix(rows: counts.rows, columns: counts.columns, rowPointers: counts.rowPointers,
                         columnIndices: counts.columnIndices, values: values)
    }
}

/// Which terms describe a lifestyle to a person: words the segmentation knows (discovered or
/// from a dictionary), Latin words, hashtags and the like — not arbitrary character pairs such
/// as 量不 that merely straddle two words. Cards and match terms prefer these.
enum DescriptiveTerms {
    /// Terms never shown on a card or as a match reason: @mentions and URLs name people and
    /// places on the web, not lifestyles.
    static func hidden(_ tfidf: TFIDFModel) -> [Bool] {
        (0..<tfidf.featureCount).map { j in
            let term = tfidf.featureName(j)
            return term.hasPrefix("@") || term.hasPrefix("http") || containsSchemeSeparator(term)
        }
    }

    /// "://" anywhere in `term`, on its bytes (`String.contains(String)` goes through NSString,
    /// a hundred times slower over a vocabulary at every model load).
    static func containsSchemeSeparator(_ term: String) -> Bool { term.utf8.firstRange(of: "://".utf8) != nil }

    static func flags(_ tfidf: TFIDFModel) -> [Bool] {
        let lexicon = tfidf.lexicon
        return (0..<tfidf.featureCount).map { j in
            let term = tfidf.featureName(j)
            let scalars = Array(term.unicodeScalars)
            guard scalars.count >= 2 else { return false }
            let allHan = scalars.allSatisfy { (0x3400...0x9FFF).contains($0.value) || (0x20000...0x2FFFF).contains($0.value) }
            guard allHan else { return true }
            if let lexicon { return lexicon.index(of: term) != nil }
            return true
        }
    }
}
