#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CBLAS

/// OpenBLAS's thread count is one process-wide setting, and some of its routines (LU, QR, the
/// symmetric eigensolver) give different bits with a different count. The gate owns that setting
/// (a caller's own `openblas_set_num_threads` is overwritten) and runs three kinds of sections:
/// - **pinned** sections (`withPinnedBLAS`): our own chunks are the parallelism and every BLAS call
///   inside runs on one thread; any number may run at once, and a thread already inside one may
///   open another;
/// - **natural** sections (`withNaturalBLAS`): LAPACK and level-3 calls that use OpenBLAS's own
///   threads at the count it chose at start-up; any number may run at once, never while a pinned
///   section runs, and a waiting natural section holds back new pinned sections (so a stream of
///   overlapping k-means fits cannot keep an SVD waiting);
/// - **exclusive** sections (`withBLASThreads`): one at a time, alone, at a given count (benchmarks).
/// So a natural section always sees the start-up count whatever else the process is doing (a test
/// runner's parallel suites, a server's concurrent fits), and its results do not depend on it.
/// A natural or exclusive section opened inside a pinned one on the same thread would wait forever:
/// that is a precondition failure. (A pinned section opened by another thread that the pinned one
/// waits for would also wait forever; nothing in the library does that.)
final class BLASThreadGate: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private var pinned = 0, natural = 0, waiting = 0, exclusive = false
    /// Per thread: how many pinned sections it is inside.
    private var depthKey = pthread_key_t()
    /// OpenBLAS's count at start-up (the cores it found, or OPENBLAS_NUM_THREADS).
    let naturalThreads: Int32

    init() {
        mutex = .allocate(capacity: 1)
        changed = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        pthread_key_create(&depthKey, nil)
        naturalThreads = openblas_get_num_threads()
    }

    private var depth: Int {
        get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    func pinned<R>(_ body: () throws -> R) rethrows -> R {
        let outer = depth
        pthread_mutex_lock(mutex)
        if outer == 0 { while natural > 0 || waiting > 0 || exclusive { pthread_cond_wait(changed, mutex) } }
        pinned += 1
        if pinned == 1 { openblas_set_num_threads(1) }
        pthread_mutex_unlock(mutex)
        depth = outer + 1
        defer {
            depth = outer
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
        precondition(depth == 0, "withNaturalBLAS inside withPinnedBLAS on the same thread would wait forever")
        pthread_mutex_lock(mutex)
        waiting += 1
        while pinned > 0 || exclusive { pthread_cond_wait(changed, mutex) }
        waiting -= 1
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

    func exclusive<R>(threads: Int32, _ body: () throws -> R) rethrows -> R {
        precondition(depth == 0, "withBLASThreads inside withPinnedBLAS on the same thread would wait forever")
        pthread_mutex_lock(mutex)
        waiting += 1
        while pinned > 0 || natural > 0 || exclusive { pthread_cond_wait(changed, mutex) }
        waiting -= 1
        exclusive = true
        openblas_set_num_threads(max(1, threads))
        pthread_mutex_unlock(mutex)
        defer {
            pthread_mutex_lock(mutex)
            openblas_set_num_threads(naturalThreads)
            exclusive = false
            pthread_cond_broadcast(changed)
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

/// Runs `body` alone in the process with OpenBLAS on `threads` threads (benchmarks). See `BLASThreadGate`.
func withBLASThreads<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
    try blasThreads.exclusive(threads: Int32(threads), body)
}
