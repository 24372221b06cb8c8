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
    /// What becomes of the invisible characters that hide or reorder text (bidirectional
    /// controls, zero-width spaces, a stray BOM; see `isHiddenFormat`).
    public enum Invisibles: Sendable {
        /// Dropped: for text on its way in (a paste, a CSV cell, a lead about to be queued).
        case remove
        /// Shown as `\u{202E}`: for stored text shown to a person, so nothing is hidden.
        case show
    }

    public static func clean(
        _ text: String, keepNewlines: Bool = false, keepTabs: Bool = false,
        invisibles: Invisibles = .remove
    ) -> String {
        // Most text (a phone, an ASCII name, a CRM id) has nothing to clean: printable ASCII
        // comes back as it is, without a scalar-by-scalar copy (the delivery path cleans every
        // field of every lead).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let s = scalars.popFirst() {
            if isHiddenFormat(s, before: out.last, after: scalars.first) {
                if invisibles == .show {
                    out.append(contentsOf: "\\u{\(String(s.value, radix: 16, uppercase: true))}".unicodeScalars)
                }
                continue
            }
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
        // A plain answer (printable ASCII, no backslash) needs no escaping.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C }) { return text }
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

    /// Format characters a CRM should never get: they reorder text (U+202A-U+202E, U+2066-U+2069:
    /// "Trojan Source" bidi controls) or hide in it (U+200B zero-width space, U+2060 word joiner,
    /// U+FEFF). A number copied from WhatsApp carries them. U+200C/U+200D (zero-width non-joiner
    /// and joiner) are kept between two letters, marks or symbols, where they shape Indic
    /// conjuncts and join emoji (👩🏽‍💻); anywhere else (around digits, spaces, at an end) they
    /// are junk too.
    public static func isHiddenFormat(_ s: Unicode.Scalar, before: Unicode.Scalar?, after: Unicode.Scalar?) -> Bool {
        switch s.value {
        case 0x200B, 0x2060, 0xFEFF, 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x200C, 0x200D:
            guard let before, let after else { return true }
            return !joins(before) || !joins(after)
        default: return false
        }
    }

    private static func joins(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .otherSymbol, .modifierSymbol:
            return true
        default:
            // Emoji modifiers and the joiner itself chain emoji sequences.
            return s.properties.isEmojiPresentation || s.properties.isEmojiModifier || s.value == 0x200D
                || s.value == 0xFE0F
        }
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
