import LeadConsoleUI
import Testing

/// The bytes that come in the same read as a paste's end marker are keys typed after it.
@Suite("keys behind a paste")
struct KeyBytesTests {
    private static func decode(_ text: String) -> KeyBytes.Decoded { KeyBytes.decode(Array(text.utf8)) }

    @Test func charactersControlsAndSequencesInOrder() {
        let decoded = Self.decode("Zé\t\r\u{7F}\u{13}\u{1B}[Z\u{1B}[1~\u{1B}OP\u{1B}[4~x")
        #expect(
            decoded.keys == [
                .character("Z"), .character("é"), .tab, .enter, .backspace, .control("s"), .backTab, .home,
                .function(1), .end, .character("x")
            ])
        guard case .none = decoded.rest else {
            Issue.record("rest: \(decoded.rest)")
            return
        }
    }

    /// Cut by the read: the start of a key goes back to be read on (never dropped, never text).
    @Test func aKeyCutByTheEndOfTheReadIsLeftWhole() {
        for (text, rest) in [("a\u{1B}[1", "\u{1B}[1"), ("a\u{1B}", "\u{1B}"), ("aन", "")] {
            var bytes = Array(text.utf8)
            var expected = Array(rest.utf8)
            if rest.isEmpty {  // न cut after its first byte
                bytes.removeLast(2)
                expected = [bytes.last!]
            }
            let decoded = KeyBytes.decode(bytes)
            #expect(decoded.keys == [.character("a")], "\(text)")
            guard case .partial(let left) = decoded.rest else {
                Issue.record("\(text): \(decoded.rest)")
                continue
            }
            #expect(left == expected, "\(text)")
        }
    }

    @Test func aLoneEscapeBeforeAnotherSequenceAndUnknownSequencesAsReadKeyReadsThem() {
        // Esc then F3 (tmux sends both in one burst); Insert (ESC[2~) has no use and is dropped
        // whole; a byte that is no UTF-8 is dropped.
        let decoded = KeyBytes.decode(Array("\u{1B}\u{1B}OR\u{1B}[2~".utf8) + [0xFF] + Array("q".utf8))
        #expect(decoded.keys == [.escape, .function(3), .character("q")])
    }

    @Test func anotherPasteBehindIsAPasteWholeOrReadOn() {
        let whole = Self.decode("a\u{1B}[200~two\nlines\u{1B}[201~b")
        #expect(whole.keys == [.character("a"), .paste("two\nlines"), .character("b")])
        let open = Self.decode("a\u{1B}[200~still coming")
        #expect(open.keys == [.character("a")])
        guard case .paste(var reader) = open.rest else {
            Issue.record("rest: \(open.rest)")
            return
        }
        #expect(reader.append(Array(" in\u{1B}[201~".utf8)) == 9)
        #expect(reader.key == .paste("still coming in"))
    }
}
