import Testing

@testable import LeadConsoleUI

/// Raw byte sequences as each terminal sends them (after the ESC), decoded whatever TERM says.
@Suite("keys as every terminal sends them")
struct EscapeSequenceTests {
    /// Feeds the characters one at a time, as the backend does, until the sequence is complete.
    static func decode(_ text: String) -> EscapeSequence.Step {
        var read: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            read.append(scalar)
            let step = EscapeSequence.step(read)
            if step != .needMore { return read.count == text.unicodeScalars.count ? step : .needMore }
        }
        return EscapeSequence.timedOut(read)
    }

    @Test(
        "sequence → key",
        arguments: [
            // xterm and VTE (CSI and SS3), Windows Terminal over SSH
            ("[A", Key.up), ("[B", .down), ("[C", .right), ("[D", .left), ("OA", .up), ("OD", .left),
            ("[H", .home), ("[F", .end), ("OH", .home), ("OF", .end),
            ("OP", .function(1)), ("OQ", .function(2)), ("OR", .function(3)), ("OS", .function(4)),
            ("[15~", .function(5)), ("[17~", .function(6)), ("[21~", .function(10)), ("[23~", .function(11)),
            ("[24~", .function(12)),
            ("[3~", .delete), ("[5~", .pageUp), ("[6~", .pageDown), ("[Z", .backTab),
            // with Shift, Ctrl or Alt held
            ("[1;5H", .home), ("[1;2F", .end), ("[1;5C", .wordRight), ("[3;2~", .delete), ("[5;5~", .pageUp),
            ("[1;2P", .function(1)),
            // tmux, GNU screen, PuTTY and the Linux console
            ("[1~", .home), ("[4~", .end),
            // rxvt, and its shifted and ctrl forms
            ("[7~", .home), ("[8~", .end), ("[7$", .home), ("[8^", .end), ("[11~", .function(1)), ("Oa", .up),
            ("Od", .wordLeft), ("Oc", .wordRight), ("[3^", .eraseWordAfter), ("[3$", .delete),
            // the Linux console's F1-F5
            ("[[A", .function(1)), ("[[E", .function(5)),
            // Alt as an ESC prefix
            ("2", .alt("2")), ("x", .alt("x")),
            // the keypad's Enter
            ("OM", .enter)
        ])
    func decodes(sequence: String, key: Key) {
        #expect(Self.decode(sequence) == .key(key), "ESC \(sequence)")
    }

    /// xterm's modifier forms, N = 2 (Shift) to 8 (Ctrl-Alt-Shift), for every key that has them:
    /// Ctrl on Left, Right and Delete works on words; everything else is the plain key. Each is
    /// one key (never Escape plus letters), whatever TERM says.
    @Test("every modified key under every modifier", arguments: 2...8)
    func modifiedKeys(modifier n: Int) {
        let control = (n - 1) & 4 != 0
        let table: [(String, Key)] = [
            ("[1;\(n)A", .up), ("[1;\(n)B", .down),
            ("[1;\(n)C", control ? .wordRight : .right), ("[1;\(n)D", control ? .wordLeft : .left),
            ("[1;\(n)H", .home), ("[1;\(n)F", .end), ("[5;\(n)~", .pageUp), ("[6;\(n)~", .pageDown),
            ("[3;\(n)~", control ? .eraseWordAfter : .delete), ("[1;\(n)~", .home), ("[4;\(n)~", .end),
            ("O\(n)C", control ? .wordRight : .right), ("O\(n)D", control ? .wordLeft : .left),
            ("[1;\(n)P", .function(1)), ("[1;\(n)Q", .function(2)), ("[1;\(n)R", .function(3)),
            ("[1;\(n)S", .function(4))
        ]
        for (sequence, key) in table { #expect(Self.decode(sequence) == .key(key), "ESC \(sequence)") }
        for (code, number) in [(15, 5), (17, 6), (18, 7), (19, 8), (20, 9), (21, 10), (23, 11), (24, 12)] {
            #expect(Self.decode("[\(code);\(n)~") == .key(.function(number)), "ESC [\(code);\(n)~")
        }
        // Insert, with or without modifiers, has no use here: dropped whole.
        #expect(Self.decode("[2;\(n)~") == .ignored)
    }

    /// The same keys when ncurses decoded them from terminfo (xterm-256color, tmux-256color): by
    /// the names it gives them.
    @Test func keysNcursesNamesAreTheSameKeys() {
        for n in 2...8 {
            let control = (n - 1) & 4 != 0
            let table: [(String, Key)] = [
                ("kLFT\(n)", control ? .wordLeft : .left), ("kRIT\(n)", control ? .wordRight : .right),
                ("kUP\(n)", .up), ("kDN\(n)", .down), ("kHOM\(n)", .home), ("kEND\(n)", .end),
                ("kPRV\(n)", .pageUp), ("kNXT\(n)", .pageDown), ("kDC\(n)", control ? .eraseWordAfter : .delete)
            ]
            for (name, key) in table { #expect(TerminfoKeys.key(named: name) == key, "\(name)") }
            #expect(TerminfoKeys.key(named: "kIC\(n)") == nil)
        }
        for (name, key) in [
            ("KEY_SLEFT", Key.left), ("KEY_SRIGHT", .right), ("KEY_SHOME", .home), ("KEY_SEND", .end),
            ("KEY_SDC", .delete), ("KEY_SPREVIOUS", .pageUp), ("KEY_SNEXT", .pageDown), ("KEY_SR", .up),
            ("KEY_SF", .down), ("kLFT", .left), ("kUP", .up)
        ] {
            #expect(TerminfoKeys.key(named: name) == key, "\(name)")
        }
        #expect(TerminfoKeys.key(named: "KEY_IC") == nil && TerminfoKeys.key(named: "kxOUT") == nil)
        // F13-F63: F1-F12 with modifiers.
        #expect(TerminfoKeys.function(13) == .function(1) && TerminfoKeys.function(24) == .function(12))
        #expect(TerminfoKeys.function(50) == .function(2) && TerminfoKeys.function(64) == nil)
    }

    @Test(
        "unknown sequences are dropped whole, never Escape or text",
        arguments: ["[2~", "[99~", "[?1;2c", "[200;5u", "Ox", "[[Z", "[1;5X"])
    func unknown(sequence: String) {
        #expect(Self.decode(sequence) == .ignored, "ESC \(sequence)")
    }

    @Test func aLoneEscapeAndAltBracketWithinTheDelay() {
        #expect(EscapeSequence.timedOut([]) == .key(.escape))
        #expect(EscapeSequence.timedOut(["["]) == .key(.alt("[")))
        #expect(EscapeSequence.timedOut(["O"]) == .key(.alt("O")))
        // A sequence cut short is dropped, not typed: "[1" must never reach a field.
        #expect(EscapeSequence.timedOut(["[", "1"]) == .ignored)
    }

    @Test func bracketedPasteStarts() {
        #expect(Self.decode("[200~") == .pasteStart)
    }

    @Test func aPasteIsReadToItsEndMarkerWhateverItsLength() throws {
        var reader = Paste.Reader()
        let body = Array(String(repeating: "0123456789", count: 500_000).utf8)  // 5 MB
        var ended: Int?
        // In chunks of 64 KB, as the terminal gives them; the marker straddles two chunks.
        let all = body + Array("\u{1B}[201~tail".utf8)
        var offset = 0
        var chunkStart = 0
        while ended == nil, offset < all.count {
            let next = min(all.count, offset + 65_536 + (offset == 0 ? 3 : 0))
            chunkStart = offset
            ended = reader.append(all[offset..<next])
            offset = next
        }
        // The bytes after the marker were typed after the paste: left to be read as keys.
        let used = try #require(ended)
        #expect(String(decoding: all[(chunkStart + used)...], as: UTF8.self) == "tail")
        #expect(reader.text.utf8.count == Paste.keptBytes)
        #expect(reader.dropped == 5_000_000 - Paste.keptBytes)
        // What reading dropped travels with the text, so the field's message can count it.
        #expect(reader.key == .paste(reader.text, leftOut: 5_000_000 - Paste.keptBytes))
        for split in 1..<6 {
            var short = Paste.Reader()
            let bytes = Array("Asha\nनमस्ते\u{1B}[201~".utf8)
            let cut = bytes.count - split
            let first = short.append(bytes[..<cut])
            let second = short.append(bytes[cut...])
            #expect(first == nil && second == split)
            #expect(short.text == "Asha\nनमस्ते" && short.dropped == 0, "split \(split): \(short.text)")
        }
    }
}
