/// A key press, as the key map sees it (the backend turns ncurses codes into these).
public enum Key: Sendable, Equatable {
    case character(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)
    /// Ctrl-Left and Ctrl-Right: a word back, a word on. Ctrl-Delete erases the word after the
    /// caret, Ctrl-Backspace (where the terminal tells it from Backspace) the word before.
    case wordLeft, wordRight, eraseWordAfter, eraseWordBefore
    /// Ctrl plus a letter, lower-case (Ctrl-S is `.control("s")`).
    case control(Character)
    /// Alt (Meta) plus a key: Esc then the key within the escape delay (Alt-2 is `.alt("2")`).
    case alt(Character)
    /// Text pasted in one go (bracketed paste), cleaned by the key map.
    /// Pasted text; `leftOut`: characters of a paste too long to keep (past `Paste.keptBytes`),
    /// read and dropped before the text reached a field, so its message counts them too.
    case paste(String, leftOut: Int = 0)
    /// What a badge scanner typed (a vCard, a MECARD, a number and Enter…), read whole by
    /// `ScanReader`; `keys`: the keys it was read from, typed as they came where it is no scan.
    case scan(String, keys: [Key])
    case resize
    /// The terminal is gone (the window closed, the SSH link dropped, tmux killed): the console
    /// ends as if the rep quit (every lead is on disk already) instead of polling a dead tty.
    case hangup
    /// A click, double-click or wheel turn at a cell (when the mouse is on).
    case mouse(MouseEvent)
}

/// The mouse, as htop and mc use it: what happened, and at which cell.
public struct MouseEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case click, doubleClick, wheelUp, wheelDown }
    public var kind: Kind
    public var column: Int
    public var row: Int

    public init(_ kind: Kind, column: Int, row: Int) {
        self.kind = kind
        self.column = column
        self.row = row
    }
}

extension Key {
    /// The key without its Ctrl: what a word key does where there are no words (a list, a
    /// choice): Left, Right, Delete, Backspace.
    public var plain: Key {
        switch self {
        case .wordLeft: return .left
        case .wordRight: return .right
        case .eraseWordAfter: return .delete
        case .eraseWordBefore: return .backspace
        default: return self
        }
    }
}
