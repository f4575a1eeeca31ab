#if canImport(Glibc)
import Glibc
#endif

/// Float storage for the large tables the CSR kernels gather from (feature-major centroids,
/// SVD panels). Buffers of 2 MiB or more are 2 MiB-aligned and advised to use transparent huge
/// pages: a gather touches a random row of a table of tens of MB, and with 4 KiB pages nearly
/// every one also misses the TLB. Release with `freeFloats`.
func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    let bytes = max(1, count) * MemoryLayout<Float>.stride
    let huge = 2 << 20
    var raw: UnsafeMutableRawPointer?
    let status = posix_memalign(&raw, bytes >= huge ? huge : 64, bytes)
    precondition(status == 0 && raw != nil, "posix_memalign of \(bytes) bytes failed (\(status))")
    #if os(Linux)
    if bytes >= huge { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
    #endif
    return raw!.bindMemory(to: Float.self, capacity: max(1, count))
}

func freeFloats(_ p: UnsafeMutablePointer<Float>) { free(p) }
