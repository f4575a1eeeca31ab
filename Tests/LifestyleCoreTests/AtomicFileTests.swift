import Foundation
import Testing
@testable import LifestyleCore

/// A fresh directory under /tmp, removed when the test ends.
final class ScratchDirectory {
    let path: String
    init(_ label: String = "core") {
        path = "/tmp/lifestyle-tests-\(label)-\(getpid())-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { "\(path)/\(name)" }
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = file(name)
        try! Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }
    func listing(_ sub: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sub.isEmpty ? path : "\(path)/\(sub)")) ?? []).sorted()
    }
}

@Suite struct AtomicFileTests {
    @Test func writeReadRoundtrip() throws {
        let dir = ScratchDirectory()
        let bytes: [UInt8] = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let p = dir.file("data.bin")
        try AtomicFile.write(bytes, to: p)
        #expect(try AtomicFile.read(p) == bytes)
        try AtomicFile.write("héllo 你好\n", to: dir.file("t.txt"))
        #expect(try AtomicFile.read(dir.file("t.txt")) == Array("héllo 你好\n".utf8))
    }

    @Test func emptyFileRoundtrip() throws {
        let dir = ScratchDirectory()
        try AtomicFile.write([UInt8](), to: dir.file("empty"))
        #expect(AtomicFile.exists(dir.file("empty")))
        #expect(try AtomicFile.read(dir.file("empty")).isEmpty)
    }

    @Test func largerThanReadChunk() throws {
        let dir = ScratchDirectory()
        let bytes = [UInt8](repeating: 0x5A, count: (1 << 20) * 2 + 17)
        try AtomicFile.write(bytes, to: dir.file("big"))
        let back = try AtomicFile.read(dir.file("big"))
        #expect(back.count == bytes.count)
        #expect(back == bytes)
    }

    @Test func createsParentDirectories() throws {
        let dir = ScratchDirectory()
        let p = dir.file("a/b/c/file.txt")
        #expect(!AtomicFile.exists(dir.file("a")))
        try AtomicFile.write("x", to: p)
        #expect(AtomicFile.isDirectory(dir.file("a/b/c")))
        #expect(try AtomicFile.read(p) == Array("x".utf8))
        #expect(!AtomicFile.isDirectory(p))
    }

    @Test func createDirectoriesIsIdempotent() throws {
        let dir = ScratchDirectory()
        try AtomicFile.createDirectories(dir.file("x/y"))
        try AtomicFile.createDirectories(dir.file("x/y"))
        #expect(AtomicFile.isDirectory(dir.file("x/y")))
    }

    @Test func noTemporaryFilesLeftBehind() throws {
        let dir = ScratchDirectory()
        for i in 0..<5 { try AtomicFile.write("v\(i)", to: dir.file("sub/f.txt")) }
        #expect(dir.listing("sub") == ["f.txt"])
    }

    @Test func overwriteReplacesContents() throws {
        let dir = ScratchDirectory()
        let p = dir.file("f.txt")
        try AtomicFile.write("a much longer first version of the file", to: p)
        try AtomicFile.write("short", to: p)
        #expect(try AtomicFile.read(p) == Array("short".utf8))
        #expect(dir.listing() == ["f.txt"])
    }

    @Test func readingAMissingFileNamesIt() throws {
        let missing = "/tmp/lifestyle-tests-definitely-missing-\(UUID().uuidString)"
        let error = try #require(throws: InputError.self) { try AtomicFile.read(missing) }
        #expect(error.file == missing)
        #expect(error.description.hasPrefix("\(missing): cannot open"))
    }

    @Test func writingIntoAFileAsDirectoryFails() throws {
        let dir = ScratchDirectory()
        try AtomicFile.write("x", to: dir.file("plain"))
        #expect(throws: (any Error).self) { try AtomicFile.write("y", to: dir.file("plain/child")) }
        #expect(try AtomicFile.read(dir.file("plain")) == Array("x".utf8))
    }

    @Test func pathHelpers() {
        #expect(AtomicFile.parentDirectory(of: "a/b/c") == "a/b")
        #expect(AtomicFile.parentDirectory(of: "c") == ".")
        #expect(AtomicFile.parentDirectory(of: "/c") == "/")
        #expect(AtomicFile.baseName(of: "a/b/c.txt") == "c.txt")
        #expect(AtomicFile.baseName(of: "c.txt") == "c.txt")
    }
}
