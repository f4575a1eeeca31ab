import CLifestyleShims

/// Software prefetch of a cache line we will read soon (gathers in the CSR kernels).
@inline(__always)
func lifestylePrefetchRaw(_ p: UnsafeRawPointer) { lifestyle_prefetch(p) }

@inline(__always)
func lifestylePrefetch(_ p: UnsafePointer<Float>) { lifestylePrefetchRaw(UnsafeRawPointer(p)) }

/// Prefetches the first lines (up to 64 entries) of row i's indices and, when given, values.
@inline(__always)
func prefetchRow(_ i: Int, _ rp: UnsafePointer<Int>, _ ci: UnsafePointer<Int32>, _ vs: UnsafePointer<Float>?) {
    let lo = rp[i], hi = min(rp[i &+ 1], lo &+ 64)
    var p = lo
    while p < hi {
        lifestylePrefetchRaw(UnsafeRawPointer(ci + p))
        if let vs { lifestylePrefetchRaw(UnsafeRawPointer(vs + p)) }
        p &+= 16
    }
}
