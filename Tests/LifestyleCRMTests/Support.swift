#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LifestyleCore

/// A unique temporary directory (mkdtemp), removed with the files written to it.
final class Scratch {
    let path: String
    private var written: [String] = []

    init() {
        var template = Array("/tmp/lifestyle-crm-tests-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit {
        for p in written { unlink(p) }
        rmdir(path)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` to `name` (through `AtomicFile`) and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let p = file(name)
        try AtomicFile.write(text, to: p)
        written.append(p)
        return p
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let p = file(name)
        try AtomicFile.write(bytes, to: p)
        written.append(p)
        return p
    }
}
