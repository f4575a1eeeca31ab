#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress bar on standard error, drawn only when standard error is a terminal and not quiet.
///
/// Redraws at most 10 times a second, so calling `update` in a hot loop costs one clock read.
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let unit: String
    private let enabled: Bool
    private let start: Double
    private var lastDraw: Double = 0
    private var finished = false
    private let lock = NSLockLite()

    /// - Parameters:
    ///   - total: the amount of work, in `unit`s (0 if unknown).
    ///   - quiet: the caller's `--quiet`.
    public init(_ label: String, total: Int, unit: String = "", quiet: Bool) {
        self.label = label
        self.total = total
        self.unit = unit
        self.enabled = !quiet && isatty(STDERR_FILENO) == 1 && getenv("LIFESTYLE_NO_PROGRESS") == nil
        self.start = monotonicSeconds()
    }

    public func update(_ done: Int) {
        guard enabled else { return }
        let now = monotonicSeconds()
        lock.withLock {
            guard !finished, now - lastDraw >= 0.1 else { return }
            lastDraw = now
            draw(done, now: now, final: false)
        }
    }

    public func finish(_ done: Int? = nil) {
        guard enabled else { return }
        lock.withLock {
            guard !finished else { return }
            finished = true
            draw(done ?? total, now: monotonicSeconds(), final: true)
        }
    }

    private func draw(_ done: Int, now: Double, final: Bool) {
        let elapsed = now - start
        var line = "\r\(label) "
        if total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 28
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
            line += "\(Int(fraction * 100))% "
            if !final && fraction > 0.02 {
                let eta = elapsed / fraction - elapsed
                line += "eta \(formatSeconds(eta)) "
            }
        } else {
            line += "\(done) \(unit) "
        }
        line += formatSeconds(elapsed)
        line += "\u{1B}[K"
        if final { line += "\n" }
        writeStandardError(line)
    }
}

/// Seconds on a monotonic clock, for timings and throttling.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

public func formatSeconds(_ s: Double) -> String {
    if s < 1 { return "\(Int((s * 1000).rounded())) ms" }
    if s < 60 { return String(Int(s * 10) / 10) + "." + String(Int(s * 10) % 10) + " s" }
    return "\(Int(s) / 60) min \(Int(s) % 60) s"
}

/// A pthread mutex, so Core needs no Foundation.
public final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    public init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

/// Writes to file descriptor 2 directly (the C `stderr` global is not concurrency-safe in Swift 6).
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buf in
        var off = 0
        while off < buf.count {
            let n = write(STDERR_FILENO, buf.baseAddress! + off, buf.count - off)
            if n <= 0 { return }
            off += n
        }
    }
}
