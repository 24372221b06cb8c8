/// Cleaning of text that comes from outside (server answers, pasted input, CSV cells) before it
/// reaches a terminal cell or a one-line field.
///
/// Why by hand: no library on this image strips ANSI/VT sequences; the grammar needed is small
/// (ECMA-48 CSI, OSC/DCS/APC/PM/SOS strings, two-byte escapes) and is the part attackers use.
public enum TerminalText {
    private static let esc: Unicode.Scalar = "\u{1B}"
    private static let bel: Unicode.Scalar = "\u{07}"

    /// Removes whole escape sequences (so `ESC[31m` leaves nothing behind, not `[31m`), then every
    /// remaining control character (C0, DEL, C1). Newlines and tabs survive only when asked for.
    public static func clean(_ text: String, keepNewlines: Bool = false, keepTabs: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let s = scalars.popFirst() {
            if s == esc || s == "\u{9B}" {  // ESC, or the 8-bit CSI
                skipEscapeSequence(introducer: s, in: &scalars)
                continue
            }
            if s == "\r" {
                // CR LF and a lone CR both end a line.
                if scalars.first == "\n" { continue }
                if keepNewlines { out.append("\n") } else { out.append(" ") }
                continue
            }
            if s == "\n" || s == "\u{2028}" || s == "\u{2029}" {
                out.append(keepNewlines ? "\n" : " ")
                continue
            }
            if s == "\t" {
                out.append(keepTabs ? "\t" : " ")
                continue
            }
            if isControl(s) { continue }
            out.append(s)
        }
        return String(out)
    }

    /// A printable record of untrusted bytes: control characters become visible escapes
    /// (`\n`, `\u{1B}`), so a raw server body can be shown or logged without acting on a terminal.
    public static func escapeControls(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\": out += "\\\\"
            default:
                if isControl(s) {
                    out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(s)
                }
            }
        }
        return out
    }

    /// C0 controls, DEL and C1 controls (Unicode general category Cc).
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value <= 0x9F)
    }

    /// True when `text` holds nothing that could act on a terminal.
    public static func isClean(_ text: String, allowNewlines: Bool = false) -> Bool {
        text.unicodeScalars.allSatisfy { s in
            !isControl(s) || (allowNewlines && (s == "\n" || s == "\t"))
        }
    }

    private static func skipEscapeSequence(introducer: Unicode.Scalar, in rest: inout ArraySlice<Unicode.Scalar>) {
        if introducer == "\u{9B}" {
            skipCSIBody(in: &rest)
            return
        }
        guard let next = rest.popFirst() else { return }
        switch next {
        case "[":
            skipCSIBody(in: &rest)
        case "]", "P", "X", "^", "_":
            // OSC, DCS, SOS, PM, APC: a string ended by BEL or ESC \ (ST).
            while let s = rest.popFirst() {
                if s == bel || s == "\u{9C}" { return }
                if s == esc {
                    if rest.first == "\\" { rest.removeFirst() }
                    return
                }
            }
        case " "..."/":
            // nF escapes: intermediates then one final byte.
            while let s = rest.first, s.value >= 0x20 && s.value <= 0x2F { rest.removeFirst() }
            if !rest.isEmpty { rest.removeFirst() }
        default:
            return  // two-byte escape such as ESC c, ESC 7: both bytes dropped
        }
    }

    private static func skipCSIBody(in rest: inout ArraySlice<Unicode.Scalar>) {
        // Parameters and intermediates are 0x20-0x3F; the final byte is 0x40-0x7E.
        while let s = rest.popFirst() {
            if s.value >= 0x40 && s.value <= 0x7E { return }
            if s.value < 0x20 || s.value > 0x7E { return }  // malformed: stop at garbage
        }
    }
}
