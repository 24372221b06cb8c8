/// What the bytes after an ESC mean, whatever TERM's terminfo says. Pure, so a table of raw
/// sequences from every terminal can test it without a terminal.
///
/// ncurses (keypad mode) decodes the sequences its terminfo entry lists; the rest arrive as ESC
/// and plain characters. tmux, GNU screen and PuTTY send Home as `ESC[1~` and End as `ESC[4~`
/// while TERM says xterm-256color; rxvt sends `ESC[7~`/`ESC[8~`; the Linux console `ESC[[A` for
/// F1. Read as text, such a sequence became Escape plus stray letters ("F" typed into a field, End
/// closing the history screen, the next keys swallowed). Here every sequence is read whole, by the
/// ECMA-48 grammar, and an unknown one is dropped whole: it never becomes Escape or text.
public enum EscapeSequence {
    public enum Step: Equatable, Sendable {
        /// Read another character (the sequence is not complete).
        case needMore
        /// A key.
        case key(Key)
        /// A complete sequence the console has no use for (Insert, an unknown CSI): nothing.
        case ignored
        /// `ESC[200~`: bracketed paste starts; the text up to `ESC[201~` follows.
        case pasteStart
    }

    /// After `ESC` and `scalars` (everything read since), what is known.
    public static func step(_ scalars: [Unicode.Scalar]) -> Step {
        guard let first = scalars.first else { return .needMore }
        switch first {
        case "[":
            return csi(Array(scalars.dropFirst()))
        case "O":
            guard scalars.count >= 2 else { return .needMore }
            // Some terminals put the modifier inside SS3: ESC O 5 D is Ctrl-Left.
            let body = scalars.dropFirst()
            guard let final = body.last else { return .needMore }
            if ("0"..."9").contains(final) { return body.count < 4 ? .needMore : .ignored }
            let modifier = Int(String(String.UnicodeScalarView(body.dropLast()))) ?? 1
            return ss3(final, control: (modifier - 1) & 4 != 0)
        default:
            // Alt plus a key: ESC then one character (Alt-2 is `.alt("2")`).
            if first.value < 0x20 || first.value == 0x7F { return .ignored }
            return .key(.alt(Character(first)))
        }
    }

    /// No further character came in time after `ESC` and `scalars`.
    public static func timedOut(_ scalars: [Unicode.Scalar]) -> Step {
        switch scalars.count {
        case 0: return .key(.escape)
        // A lone ESC [ or ESC O within the delay: Alt-[ or Alt-O typed by a person.
        case 1: return scalars[0] == "[" || scalars[0] == "O" ? .key(.alt(Character(scalars[0]))) : step(scalars)
        default: return .ignored  // a sequence cut short: never text
        }
    }

    /// Longest sequence read before giving up on it (a real one is under 12 characters).
    public static let maxLength = 24

    // MARK: - CSI: ESC [ parameters intermediates final

    private static func csi(_ body: [Unicode.Scalar]) -> Step {
        guard let last = body.last else { return .needMore }
        // An SGR mouse report the terminfo entry did not announce: ESC [ < b ; x ; y M.
        if body.first == "<" {
            switch MouseReport.step(Array(body.dropFirst())) {
            case .needMore: return .needMore
            case .done(let event): return event.map { .key(.mouse($0)) } ?? .ignored
            case .invalid: return .ignored
            }
        }
        // The Linux console's F1-F5: ESC [ [ A … E.
        if body.first == "[" {
            guard body.count >= 2 else { return .needMore }
            guard body.count == 2, let n = "ABCDE".unicodeScalars.firstIndex(of: body[1]) else { return .ignored }
            return .key(.function("ABCDE".unicodeScalars.distance(from: "ABCDE".unicodeScalars.startIndex, to: n) + 1))
        }
        let isFinal = (0x40...0x7E).contains(last.value)
        // rxvt ends shifted and ctrl keys with $ and ^ (ESC[7$ is Shift-Home).
        let isRxvtFinal =
            body.count >= 2 && (last == "$" || last == "^" || last == "@")
            && body.dropLast().allSatisfy(isNumericParameter)
        if !isFinal && !isRxvtFinal {
            let allowed = (0x20...0x3F).contains(last.value)
            if !allowed || body.count >= maxLength { return .ignored }
            return .needMore
        }
        let parameters = String(String.UnicodeScalarView(body.dropLast()))
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let first = numbers.first ?? nil
        // xterm's modifiers: the second parameter is 1 + Shift 1 + Alt 2 + Ctrl 4 (+ Meta 8):
        // ESC[1;5D is Ctrl-Left, ESC[3;5~ Ctrl-Delete. rxvt ends Ctrl forms with ^.
        let control = numbers.count >= 2 ? ((numbers[1] ?? 1) - 1) & 4 != 0 : last == "^"
        switch last {
        case "A": return .key(.up)
        case "B": return .key(.down)
        case "C": return .key(control ? .wordRight : .right)
        case "D": return .key(control ? .wordLeft : .left)
        case "H": return .key(.home)
        case "F": return .key(.end)
        case "Z": return .key(.backTab)
        // xterm's F1-F4 with a modifier: ESC[1;2P is Shift-F1.
        case "P": return .key(.function(1))
        case "Q": return .key(.function(2))
        case "R": return .key(.function(3))
        case "S": return .key(.function(4))
        case "~", "$", "^", "@":
            guard let code = first ?? nil else { return .ignored }
            if code == 200 && last == "~" { return .pasteStart }
            if code == 3, control { return .key(.eraseWordAfter) }
            return tilde(code).map { .key($0) } ?? .ignored
        default:
            return .ignored
        }
    }

    /// `ESC [ n ~` as xterm, VTE, tmux, screen, PuTTY, rxvt and the Linux console number them.
    private static func tilde(_ code: Int) -> Key? {
        switch code {
        case 1, 7: return .home  // 1: tmux, screen, PuTTY, Linux; 7: rxvt
        case 4, 8: return .end  // 4: tmux, screen, PuTTY, Linux; 8: rxvt
        case 3: return .delete
        case 5: return .pageUp
        case 6: return .pageDown
        case 11...15: return .function(code - 10)  // rxvt and PuTTY's F1-F5
        case 17...21: return .function(code - 11)  // F6-F10
        case 23, 24: return .function(code - 12)  // F11, F12
        default: return nil  // 2 (Insert) and the rest: no use here
        }
    }

    // MARK: - SS3: ESC O final

    private static func ss3(_ final: Unicode.Scalar, control: Bool = false) -> Step {
        switch final {
        case "A", "a": return .key(.up)  // a-d: rxvt's Ctrl-arrows
        case "B", "b": return .key(.down)
        case "C": return .key(control ? .wordRight : .right)
        case "D": return .key(control ? .wordLeft : .left)
        case "c": return .key(.wordRight)
        case "d": return .key(.wordLeft)
        case "H": return .key(.home)
        case "F": return .key(.end)
        case "P": return .key(.function(1))
        case "Q": return .key(.function(2))
        case "R": return .key(.function(3))
        case "S": return .key(.function(4))
        case "M": return .key(.enter)  // the keypad's Enter in application mode
        default: return .ignored
        }
    }

    private static func isNumericParameter(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) || s == ";" }
}
