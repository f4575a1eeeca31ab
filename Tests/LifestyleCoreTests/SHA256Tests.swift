import Testing
@testable import LifestyleCore

@Suite struct SHA256Tests {
    /// FIPS 180-4 / NIST CAVS example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func nistVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    /// Lengths around the padding boundaries (55/56 bytes fit one or two final blocks), checked with `sha256sum`.
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func paddingBoundaries(length: Int, digest: String) {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
        #expect(SHA256.hex(bytes) == digest)
        // Byte-at-a-time streaming must agree with the one-shot digest.
        var h = SHA256()
        for b in bytes { h.update([b]) }
        #expect(h.finalizeHex() == digest)
    }

    static let millionA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

    @Test func oneMillionA() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(bytes) == Self.millionA)
    }

    @Test func oneMillionAStreamedInUnevenChunks() {
        var h = SHA256()
        let sizes = [1, 63, 64, 65, 7, 128, 0, 1000, 3, 4096, 55, 56, 9999]
        var fed = 0
        var k = 0
        while fed < 1_000_000 {
            let n = min(sizes[k % sizes.count], 1_000_000 - fed)
            h.update([UInt8](repeating: UInt8(ascii: "a"), count: n))
            fed += n
            k += 1
        }
        #expect(fed == 1_000_000)
        #expect(h.finalizeHex() == Self.millionA)
    }

    @Test func unsafeBufferUpdateMatchesArrayUpdate() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        var h = SHA256()
        bytes.withUnsafeBufferPointer { h.update($0) }
        #expect(h.finalizeHex() == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
        var h2 = SHA256()
        let raw = h2.finalize()
        #expect(raw.count == 32)
        #expect(raw.first == 0xe3 && raw.last == 0x55)
    }

    @Test func differentInputsDiffer() {
        #expect(SHA256.hex(Array("abc".utf8)) != SHA256.hex(Array("abd".utf8)))
    }
}
