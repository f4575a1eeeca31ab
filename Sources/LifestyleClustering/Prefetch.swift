import CLifestyleShims

/// Software prefetch of a cache line we will read soon (gathers in the CSR kernels).
@inline(__always)
func lifestylePrefetchRaw(_ p: UnsafeRawPointer) { lifestyle_prefetch(p) }

@inline(__always)
func lifestylePrefetch(_ p: UnsafePointer<Float>) { lifestylePrefetchRaw(UnsafeRawPointer(p)) }
