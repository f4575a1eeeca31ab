import Foundation

/// Per-code-point mapping tables for the normaliser, built once per process (a few ms).
///
/// BMP scalars whose NFKC form or lower-case form differs get a table entry (one scalar, or an
/// index into `expansions` when longer); supplementary-plane scalars are looked up on demand (they
/// are mostly emoji, which do not change).
struct FoldTable: Sendable {
    /// NFKC of each BMP scalar: the scalar itself when unchanged, `expansionMarker` when longer than one.
    let nfkc: [UInt32]
    /// 1 when an NFKC change is a width fold (full-width ASCII, half-width forms, ideographic space).
    let isWidthFold: [Bool]
    let nfkcExpansions: [UInt32: [UInt32]]
    let lower: [UInt32]
    let lowerExpansions: [UInt32: [UInt32]]
    /// Traditional → simplified (0 = no mapping), BMP; supplementary pairs in `tradSupplementary`.
    let trad: [UInt32]
    let tradSupplementary: [UInt32: UInt32]
    static let expansionMarker: UInt32 = 0xFFFF_FFFF

    static let shared = FoldTable()

    private init() {
        var nfkc = [UInt32](repeating: 0, count: 0x10000)
        var lower = [UInt32](repeating: 0, count: 0x10000)
        var isWidthFold = [Bool](repeating: false, count: 0x10000)
        var nfkcExpansions: [UInt32: [UInt32]] = [:]
        var lowerExpansions: [UInt32: [UInt32]] = [:]
        for v in 0..<UInt32(0x10000) {
            nfkc[Int(v)] = v
            lower[Int(v)] = v
            // Cherokee capitals case-fold to themselves, so NFKC_CF alone misses their lower case.
            guard let s = Unicode.Scalar(v), s.properties.changesWhenNFKCCaseFolded || s.properties.changesWhenLowercased else { continue }
            let n = FoldTable.nfkc(s)
            if n != [v] {
                if n.count == 1 { nfkc[Int(v)] = n[0] } else { nfkc[Int(v)] = FoldTable.expansionMarker; nfkcExpansions[v] = n }
                isWidthFold[Int(v)] = (0xFF01...0xFF5E).contains(v) || v == 0x3000 || (0xFF61...0xFFEE).contains(v)
            }
            let l = s.properties.lowercaseMapping.unicodeScalars.map(\.value)
            if l != [v] {
                if l.count == 1 { lower[Int(v)] = l[0] } else { lower[Int(v)] = FoldTable.expansionMarker; lowerExpansions[v] = l }
            }
        }
        self.nfkc = nfkc
        self.lower = lower
        self.isWidthFold = isWidthFold
        self.nfkcExpansions = nfkcExpansions
        self.lowerExpansions = lowerExpansions

        var trad = [UInt32](repeating: 0, count: 0x10000)
        var tradSupplementary: [UInt32: UInt32] = [:]
        let pairs = TraditionalChineseTable.pairs.unicodeScalars.filter { $0 != "\n" }.map(\.value)
        var i = 0
        while i + 1 < pairs.count {
            if pairs[i] < 0x10000 { trad[Int(pairs[i])] = pairs[i + 1] } else { tradSupplementary[pairs[i]] = pairs[i + 1] }
            i += 2
        }
        self.trad = trad
        self.tradSupplementary = tradSupplementary
    }

    static func nfkc(_ s: Unicode.Scalar) -> [UInt32] {
        String(Character(s)).precomposedStringWithCompatibilityMapping.unicodeScalars.map(\.value)
    }

    /// NFKC of a supplementary-plane scalar, nil when unchanged (math alphanumerics, enclosed forms,
    /// compatibility ideographs change; emoji do not).
    func nfkcSupplementary(_ v: UInt32) -> [UInt32]? {
        guard let s = Unicode.Scalar(v), s.properties.changesWhenNFKCCaseFolded else { return nil }
        let n = FoldTable.nfkc(s)
        return n == [v] ? nil : n
    }

    func lowerSupplementary(_ v: UInt32) -> [UInt32]? {
        guard let s = Unicode.Scalar(v), s.properties.changesWhenLowercased else { return nil }
        return s.properties.lowercaseMapping.unicodeScalars.map(\.value)
    }
}
