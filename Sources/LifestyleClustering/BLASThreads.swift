#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CBLAS

/// OpenBLAS's thread count is one process-wide setting, and some of its routines (LU, QR, the
/// symmetric eigensolver) give different bits with a different count. Two kinds of sections share
/// it here:
/// - **pinned** sections (`withPinnedBLAS`): our own chunks are the parallelism and every BLAS call
///   inside runs on one thread; any number may run at once;
/// - **natural** sections (`withNaturalBLAS`): LAPACK and level-3 calls that use OpenBLAS's own
///   threads at the count it chose at start-up; any number may run at once, but never while a
///   pinned section runs.
/// So a natural section always sees the start-up count whatever else the process is doing (a test
/// runner's parallel suites, a server's concurrent fits), and its results do not depend on it.
/// Sections must not nest across kinds (a natural section inside a pinned one would wait forever).
final class BLASThreadGate: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private var pinned = 0, natural = 0
    /// OpenBLAS's count at start-up (the cores it found, or OPENBLAS_NUM_THREADS).
    let naturalThreads: Int32

    init() {
        mutex = .allocate(capacity: 1)
        changed = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        naturalThreads = openblas_get_num_threads()
    }

    func pinned<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        while natural > 0 { pthread_cond_wait(changed, mutex) }
        pinned += 1
        if pinned == 1 { openblas_set_num_threads(1) }
        pthread_mutex_unlock(mutex)
        defer {
            pthread_mutex_lock(mutex)
            pinned -= 1
            if pinned == 0 {
                openblas_set_num_threads(naturalThreads)
                pthread_cond_broadcast(changed)
            }
            pthread_mutex_unlock(mutex)
        }
        return try body()
    }

    func natural<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        while pinned > 0 { pthread_cond_wait(changed, mutex) }
        natural += 1
        pthread_mutex_unlock(mutex)
        defer {
            pthread_mutex_lock(mutex)
            natural -= 1
            if natural == 0 { pthread_cond_broadcast(changed) }
            pthread_mutex_unlock(mutex)
        }
        return try body()
    }
}

let blasThreads = BLASThreadGate()

/// Runs `body` with OpenBLAS on one thread (our own chunks are the parallelism; nested BLAS
/// threads would oversubscribe the cores). See `BLASThreadGate`.
func withPinnedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    try blasThreads.pinned(body)
}

/// Runs `body` (LAPACK, level-3 BLAS) with OpenBLAS's start-up thread count and no pinned section
/// running anywhere in the process. See `BLASThreadGate`.
func withNaturalBLAS<R>(_ body: () throws -> R) rethrows -> R {
    try blasThreads.natural(body)
}
