/// Keys from raw terminal bytes, for the bytes that arrive in the same read as the end of a
/// bracketed paste. The paste is read from the terminal in large chunks (not through ncurses), so
/// what came right behind it (a scanner's next lead, keys sent by tmux in the same burst, a rep
/// typing on at once) is in our hands, not ncurses': it is decoded here, exactly as `readKey`
/// decodes keys, instead of being dropped. Pure, for tests.
public enum KeyBytes {
    /// What a run of bytes held.
    public struct Decoded: Sendable {
        /// The keys, in order (sequences the console has no use for left out, as `readKey` does).
        public var keys: [Key] = []
        /// What the bytes end in.
        public var rest: Rest = .none
    }

    public enum Rest: Sendable {
        case none
        /// The start of a key whose end has not arrived (an escape sequence, a character's first
        /// bytes, a lone Escape): for the terminal reader to read on from, as if not yet read.
        case partial([UInt8])
        /// A further paste whose end marker has not arrived: read on into this reader.
        case paste(Paste.Reader)
    }

    /// A key from one character that is not Escape, as a terminal in raw mode sends it.
    /// `backspaceIsDelete`: terminfo's Backspace is ^? (xterm, tmux, the Linux console), so ^H is
    /// Ctrl-Backspace; where Backspace is ^H (PuTTY set so, a serial line) it stays Backspace.
    public static func plain(_ scalar: Unicode.Scalar, backspaceIsDelete: Bool = false) -> Key {
        switch scalar.value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x08 where backspaceIsDelete: return .eraseWordBefore
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(scalar.value + 0x60)!))
        default: return .character(Character(scalar))
        }
    }

    public static func decode<C: Collection<UInt8>>(_ bytes: C, backspaceIsDelete: Bool = false) -> Decoded
    where C.Index == Int {
        var decoded = Decoded()
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard let (character, length) = Self.character(in: bytes, at: index) else {
                decoded.rest = .partial(Array(bytes[index...]))
                return decoded
            }
            guard let escape = character, escape.value == 0x1B else {
                if let character { decoded.keys.append(plain(character, backspaceIsDelete: backspaceIsDelete)) }
                index += length
                continue
            }
            // An escape sequence, read whole as `readEscape` reads it.
            let start = index
            index += 1
            var scalars: [Unicode.Scalar] = []
            sequence: while true {
                guard index < bytes.endIndex, let (character, length) = Self.character(in: bytes, at: index) else {
                    // The sequence goes on in the next read (or a lone Escape: its delay decides).
                    decoded.rest = .partial(Array(bytes[start...]))
                    return decoded
                }
                // A byte that is no character ends the sequence, dropped with it.
                guard let next = character else {
                    index += length
                    break sequence
                }
                if next.value == 0x1B {
                    // Escape, then another key's Escape at once: the first was a lone Escape.
                    if case .key(let key) = EscapeSequence.timedOut(scalars) { decoded.keys.append(key) }
                    break sequence
                }
                scalars.append(next)
                index += length
                switch EscapeSequence.step(scalars) {
                case .needMore: continue
                case .key(let key):
                    decoded.keys.append(key)
                    break sequence
                case .ignored: break sequence
                case .pasteStart:
                    var reader = Paste.Reader()
                    guard let used = reader.append(bytes[index...]) else {
                        decoded.rest = .paste(reader)
                        return decoded
                    }
                    decoded.keys.append(reader.key)
                    index += used
                    break sequence
                }
            }
        }
        return decoded
    }

    /// The character at `index` and its length in bytes; nil when its bytes are cut off by the
    /// end. A byte that starts no UTF-8 character is no character, of length 1 (dropped).
    private static func character<C: Collection<UInt8>>(in bytes: C, at index: Int) -> (Unicode.Scalar?, Int)?
    where C.Index == Int {
        let lead = bytes[index]
        let length =
            switch lead {
            case 0..<0x80: 1
            case 0xC2..<0xE0: 2
            case 0xE0..<0xF0: 3
            case 0xF0..<0xF5: 4
            default: 0
            }
        guard length > 0 else { return (nil, 1) }
        guard bytes.endIndex - index >= length else { return nil }
        var iterator = bytes[index..<index + length].makeIterator()
        var utf8 = UTF8()
        guard case .scalarValue(let scalar) = utf8.decode(&iterator) else { return (nil, 1) }
        return (scalar, length)
    }
}
