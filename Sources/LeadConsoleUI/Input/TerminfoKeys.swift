/// Keys that ncurses decoded from its terminfo entry and gives as codes past the plain ones:
/// Shift-, Alt- and Ctrl- forms of the arrows, Home, End, PgUp, PgDn and Delete (xterm's
/// `kLFT5`, `kHOM2`, `kDC5` …), and F13-F63, which are F1-F12 with modifiers. Under TERMs whose
/// entry lists them (xterm-256color, tmux-256color) they never reach `EscapeSequence`: without
/// this table they were dropped, and "abc", Ctrl-Left, "X" gave "abcX" there but "abXc" under
/// screen-256color. Pure, by name, so every entry is tested without a terminal.
public enum TerminfoKeys {
    /// The key behind ncurses' name for a code (`keyname`): "KEY_SLEFT", "kLFT5", "kDC5".
    /// Ctrl forms of Left, Right and Delete work on words; every other modifier is the plain key.
    public static func key(named name: String) -> Key? {
        switch name {
        case "KEY_SLEFT": return .left
        case "KEY_SRIGHT": return .right
        case "KEY_SHOME": return .home
        case "KEY_SEND": return .end
        case "KEY_SDC": return .delete
        case "KEY_SPREVIOUS": return .pageUp
        case "KEY_SNEXT": return .pageDown
        case "KEY_SR": return .up  // Shift-Up (scroll reverse)
        case "KEY_SF": return .down  // Shift-Down (scroll forward)
        default: break
        }
        // An extended name: the capability, then the xterm modifier (2 Shift, 3 Alt, 5 Ctrl …).
        let base = String(name.prefix { $0.isLetter })
        guard base.hasPrefix("k"), base.count >= 3 else { return nil }
        let suffix = name.dropFirst(base.count)
        guard suffix.isEmpty || suffix.allSatisfy(\.isNumber), let modifier = suffix.isEmpty ? 2 : Int(suffix)
        else { return nil }
        let control = (modifier - 1) & 4 != 0
        switch base {
        case "kLFT": return control ? .wordLeft : .left
        case "kRIT": return control ? .wordRight : .right
        case "kUP": return .up
        case "kDN": return .down
        case "kHOM": return .home
        case "kEND": return .end
        case "kPRV": return .pageUp
        case "kNXT": return .pageDown
        case "kDC": return control ? .eraseWordAfter : .delete
        default: return nil  // Insert (kIC) and the rest: no use here
        }
    }

    /// ncurses' F13-F63 are F1-F12 with Shift, Ctrl, Ctrl-Shift, Alt, Alt-Shift: the plain key.
    public static func function(_ number: Int) -> Key? {
        (1...63).contains(number) ? .function((number - 1) % 12 + 1) : nil
    }
}
