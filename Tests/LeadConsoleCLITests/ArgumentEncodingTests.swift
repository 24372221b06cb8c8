import Testing

@testable import leadconsole

/// Arguments checked byte for byte before parsing: a Latin-1 "José" is named, never repaired.
@Suite("argument encoding")
struct ArgumentEncodingTests {
    static func bytes(_ parts: [String], raw: [UInt8]? = nil, at index: Int? = nil) -> [[UInt8]] {
        var all = parts.map { Array($0.utf8) }
        if let raw, let index { all[index] = raw }
        return all
    }

    @Test func validArgumentsPass() {
        #expect(
            ArgumentEncoding.invalidArgument(
                Self.bytes(["leadconsole", "submit", "--first-name", "José", "--notes", "नमस्ते 👋"])) == nil)
    }

    @Test func theOptionBeforeAnInvalidValueIsNamed() {
        let latin1 = Array("Jos".utf8) + [0xE9]
        #expect(
            ArgumentEncoding.invalidArgument(
                Self.bytes(["leadconsole", "submit", "--first-name", "x"], raw: latin1, at: 3)) == "--first-name")
        #expect(
            ArgumentEncoding.invalidArgument(
                Self.bytes(["leadconsole", "submit", "x"], raw: Array("--notes=".utf8) + [0xFF], at: 2)) == "--notes")
        #expect(
            ArgumentEncoding.invalidArgument(Self.bytes(["leadconsole", "import", "x"], raw: [0x66, 0xC3], at: 2))
                == "argument 2")
    }
}
