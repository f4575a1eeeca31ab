import LifestyleCore
import Dispatch
import LifestyleVectors

/// Runs `body(part)` for `parts` independent work items on up to `threads` workers, handing the
/// items out dynamically (a shared counter). Only for work whose results do not depend on which
/// worker runs an item (disjoint outputs, no cross-item reductions), so any schedule gives the
/// same bits.
func forEachItemDynamically(_ parts: Int, threads: Int, _ body: (_ part: Int) -> Void) {
    forEachChunk(parts, threads: threads) { part, _ in body(part) }
}

/// Row ranges of about equal stored entries (plus a per-row cost), at most `maxRows` rows each:
/// work items for the sparse products, so a few dense rows (frequent features in Aᵀ) do not
/// leave one worker with most of the work.
func balancedRowRanges(_ a: CSRMatrix, parts: Int, maxRows: Int = 1024) -> [Range<Int>] {
    let rows = a.rows
    guard rows > 0 else { return [] }
    let rowCost = 4   // loop and store overhead of a row, in stored entries
    let total = a.nnz + rows * rowCost
    let target = max(1, (total + parts - 1) / parts)
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(parts + rows / maxRows + 1)
    a.rowPointers.withUnsafeBufferPointer { rp in
        var lo = 0
        while lo < rows {
            var hi = lo
            var cost = 0
            while hi < rows && (hi == lo || (cost < target && hi - lo < maxRows)) {
                cost += rp[hi + 1] - rp[hi] + rowCost
                hi += 1
            }
            ranges.append(lo..<hi)
            lo = hi
        }
    }
    return ranges
}

/// The SVD's CSR × dense kernel: out[i, 0..<width] = Σ_p v_p · B[j_p, 0..<width] for the rows in
/// `rows`, with B row-major (row stride `stride`, a multiple of 8) and `out` row-major (row stride
/// `outStride` ≥ paddedWidth(width)). The padding lanes width..<paddedWidth(width) of `out` get the
/// same sums over B's padding lanes: 0 when B's padding is 0, so panels that start with zero
/// padding keep it through every product without a separate zeroing pass.
///
/// Columns go in tiles of 32 floats whose accumulators stay in registers for the whole row; each
/// entry adds v·B[j, tile] in the stored order, so every output element is the same sequence of
/// float multiplies and adds (starting from 0) whatever the tiling or the thread that runs it.
/// The first tile prefetches whole rows of B a few entries ahead; later tiles find them in cache.
///
/// Runs the AVX-512 or AVX2 kernel of `CLifestyleShims` when this process uses one (same bits).
@inline(__always)
func svdGather(
    rows: Range<Int>, rowPointers rp: UnsafePointer<Int>, indices idx: UnsafePointer<Int32>, values val: UnsafePointer<Float>,
    nnz: Int, b: UnsafePointer<Float>, stride: Int, width: Int, out: UnsafeMutablePointer<Float>, outStride: Int,
    portable: Bool = false
) {
    if !portable && !rows.isEmpty,
       simdSparseGather(level: GatherKernel.level, rows: rows, rowPointers: rp, indices: idx, values: val, nnz: nnz,
                        b: b, stride: stride, width: paddedWidth(width), out: out + rows.lowerBound * outStride, outStride: outStride) { return }
    let raw = UnsafeRawPointer(b)
    let rowBytes = width * 4
    let lookahead = 8
    let full = paddedWidth(width)   // lanes stored: the padding too (sums of B's padding lanes)
    for i in rows {
        let row = out + i * outStride
        let start = rp[i], end = rp[i + 1]
        var t0 = 0
        while t0 < width {
            let left = width - t0
            if left >= 32 {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                var p = start
                while p < end {
                    if t0 == 0 && p + lookahead < end {
                        let ahead = raw + Int(idx[p + lookahead]) &* stride &* 4
                        var line = 0
                        while line < rowBytes { lifestylePrefetchRaw(ahead + line); line &+= 64 }
                    }
                    let v = SIMD8<Float>(repeating: val[p])
                    let c = raw + (Int(idx[p]) &* stride &+ t0) &* 4
                    a0 += v * c.loadUnaligned(as: SIMD8<Float>.self)
                    a1 += v * c.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    a2 += v * c.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                    a3 += v * c.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                    p &+= 1
                }
                storeLanes(a0, row, t0, full); storeLanes(a1, row, t0 + 8, full)
                storeLanes(a2, row, t0 + 16, full); storeLanes(a3, row, t0 + 24, full)
                t0 &+= 32
            } else if left > 8 {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
                var p = start
                while p < end {
                    if t0 == 0 && p + lookahead < end {
                        let ahead = raw + Int(idx[p + lookahead]) &* stride &* 4
                        lifestylePrefetchRaw(ahead)
                        if rowBytes > 64 { lifestylePrefetchRaw(ahead + 64) }
                    }
                    let v = SIMD8<Float>(repeating: val[p])
                    let c = raw + (Int(idx[p]) &* stride &+ t0) &* 4
                    a0 += v * c.loadUnaligned(as: SIMD8<Float>.self)
                    a1 += v * c.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    p &+= 1
                }
                storeLanes(a0, row, t0, full); storeLanes(a1, row, t0 + 8, full)
                t0 &+= 16
            } else {
                var a0 = SIMD8<Float>()
                var p = start
                while p < end {
                    if t0 == 0 && p + lookahead < end { lifestylePrefetchRaw(raw + Int(idx[p + lookahead]) &* stride &* 4) }
                    let v = SIMD8<Float>(repeating: val[p])
                    a0 += v * (raw + (Int(idx[p]) &* stride &+ t0) &* 4).loadUnaligned(as: SIMD8<Float>.self)
                    p &+= 1
                }
                storeLanes(a0, row, t0, full)
                t0 &+= 8
            }
        }
    }
    _ = nnz
}

/// Stores the lanes of `a` that fall below `width` at row[t0...].
@inline(__always)
private func storeLanes(_ a: SIMD8<Float>, _ row: UnsafeMutablePointer<Float>, _ t0: Int, _ width: Int) {
    if t0 &+ 8 <= width {
        UnsafeMutableRawPointer(row + t0).storeBytes(of: a, as: SIMD8<Float>.self)
    } else if t0 < width {
        for l in 0..<(width - t0) { row[t0 + l] = a[l] }
    }
}

extension CSRMatrix {
    /// `self · B` for a dense row-major B (columns × width, row stride `stride` ≥ width, a multiple
    /// of 8; its padding lanes only reach the output's padding lanes), written to `out` (rows × width, row stride `outStride`), over
    /// `ranges` (from `balancedRowRanges`) handed out dynamically to `threads` workers.
    /// Each output row is computed by one worker in a fixed order: bit-identical for any thread count.
    func multiplyPadded(
        _ b: UnsafePointer<Float>, stride: Int, width: Int, into out: UnsafeMutablePointer<Float>, outStride: Int,
        ranges: [Range<Int>], threads: Int
    ) {
        precondition(stride % 8 == 0 && stride >= width && outStride >= paddedWidth(width))
        let ctx = UncheckedSendable((b, out))
        withPinnedBLAS {
            rowPointers.withUnsafeBufferPointer { rp in
            columnIndices.withUnsafeBufferPointer { ci in
            values.withUnsafeBufferPointer { vs in
                let p = UncheckedSendable((rp.baseAddress!, ci.baseAddress!, vs.baseAddress!))
                let nnz = ci.count
                forEachItemDynamically(ranges.count, threads: threads) { part in
                    let (b, out) = ctx.value
                    let (rp, ci, vs) = p.value
                    svdGather(rows: ranges[part], rowPointers: rp, indices: ci, values: vs, nnz: nnz,
                              b: b, stride: stride, width: width, out: out, outStride: outStride)
                }
            }}}
        }
    }
}

/// Columns per panel in `multiplyPanels`: one 64-byte cache line per row of B.
let svdPanelWidth = 16

extension CSRMatrix {
    /// `self · B` like `multiplyPadded`, but B is first copied into column panels of 16 floats
    /// (`panels` × columns × 16, contiguous per panel) and the product runs panel by panel over all
    /// rows, so the gathered rows of one panel (columns × 64 bytes) stay in L2 instead of every
    /// gather fetching a whole row of B from L3. Each output element is still the sum over the
    /// stored entries in order from 0, so the bits equal `multiplyPadded`'s for any thread count.
    /// `scratch` holds at least `panelScratchCount(width:)` floats, 64-byte aligned.
    func multiplyPanels(
        _ b: UnsafePointer<Float>, stride: Int, width: Int, into out: UnsafeMutablePointer<Float>, outStride: Int,
        ranges: [Range<Int>], threads: Int, scratch: UnsafeMutablePointer<Float>
    ) {
        precondition(stride % 8 == 0 && stride >= width && outStride >= paddedWidth(width))
        let w = svdPanelWidth
        let panels = (width + w - 1) / w
        let full = paddedWidth(width)
        let bRows = columns
        let ctx = UncheckedSendable((b, out, scratch))
        withPinnedBLAS {
            // B → panels, in blocks of 512 rows.
            let block = 512
            forEachItemDynamically((bRows + block - 1) / block, threads: threads) { k in
                let (b, _, scratch) = ctx.value
                let r0 = k * block, r1 = min(bRows, r0 + block)
                for q in 0..<panels {
                    let c0 = q * w, count = min(w, width - c0)
                    let dst = scratch + q * bRows * w
                    for r in r0..<r1 {
                        let d = dst + r * w
                        d.update(from: b + r * stride + c0, count: count)
                        if count < w { (d + count).update(repeating: 0, count: w - count) }   // output padding = 0
                    }
                }
            }
            rowPointers.withUnsafeBufferPointer { rp in
            columnIndices.withUnsafeBufferPointer { ci in
            values.withUnsafeBufferPointer { vs in
                let p = UncheckedSendable((rp.baseAddress!, ci.baseAddress!, vs.baseAddress!))
                let parts = ranges.count
                let nnz = ci.count
                forEachItemDynamically(panels * parts, threads: threads) { item in
                    let (_, out, scratch) = ctx.value
                    let (rp, idx, val) = p.value
                    let q = item / parts
                    let c0 = q * w
                    let panel = UnsafeRawPointer(scratch + q * bRows * w)
                    let lookahead = 8
                    let range = ranges[item % parts]
                    if !range.isEmpty,
                       simdSparseGather(level: GatherKernel.level, rows: range, rowPointers: rp, indices: idx, values: val, nnz: nnz,
                                        b: scratch + q * bRows * w, stride: w, width: min(w, full - c0),
                                        out: out + range.lowerBound * outStride + c0, outStride: outStride) { return }
                    for i in range {
                        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
                        let start = rp[i], end = rp[i + 1]
                        var e = start
                        while e < end {
                            if e &+ lookahead < end { lifestylePrefetchRaw(panel + Int(idx[e &+ lookahead]) &* 64) }
                            let v = SIMD8<Float>(repeating: val[e])
                            let c = panel + Int(idx[e]) &* 64
                            a0 += v * c.load(as: SIMD8<Float>.self)
                            a1 += v * c.load(fromByteOffset: 32, as: SIMD8<Float>.self)
                            e &+= 1
                        }
                        let row = out + i * outStride
                        storeLanes(a0, row, c0, full); storeLanes(a1, row, c0 + 8, full)
                    }
                }
            }}}
        }
    }

    /// Floats of scratch `multiplyPanels` needs for a B of `columns` rows and `width` columns.
    func panelScratchCount(width: Int) -> Int { ((width + svdPanelWidth - 1) / svdPanelWidth) * columns * svdPanelWidth }
}

/// dst (column-major m × c, leading dimension m) = src (row-major m × c, row stride `stride`),
/// in blocks of 64 rows (a 64-row slab of src stays in L2 while its columns are written out).
func transposeToColumnMajor(_ src: UnsafePointer<Float>, rows m: Int, columns c: Int, stride: Int,
                            into dst: UnsafeMutablePointer<Float>, threads: Int) {
    let block = 64
    let ctx = UncheckedSendable((src, dst))
    forEachItemDynamically((m + block - 1) / block, threads: threads) { k in
        let (src, dst) = ctx.value
        let i0 = k * block, i1 = min(m, i0 + block)
        for j in 0..<c {
            let out = dst + j * m
            for i in i0..<i1 { out[i] = src[i * stride + j] }
        }
    }
}

/// dst (row-major m × c, row stride `stride`; padding untouched) = src (column-major m × c,
/// leading dimension m), in blocks of 64 rows.
func transposeToRowMajor(_ src: UnsafePointer<Float>, rows m: Int, columns c: Int,
                         into dst: UnsafeMutablePointer<Float>, stride: Int, threads: Int) {
    let block = 64
    let ctx = UncheckedSendable((src, dst))
    forEachItemDynamically((m + block - 1) / block, threads: threads) { k in
        let (src, dst) = ctx.value
        let i0 = k * block, i1 = min(m, i0 + block)
        for j in 0..<c {
            let col = src + j * m
            for i in i0..<i1 { dst[i * stride + j] = col[i] }
        }
    }
}
