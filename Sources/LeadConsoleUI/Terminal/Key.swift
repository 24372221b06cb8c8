/// A key press, as the key map sees it (the backend turns ncurses codes into these).
public enum Key: Sendable, Equatable {
    case character(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)
    /// Ctrl plus a letter, lower-case (Ctrl-S is `.control("s")`).
    case control(Character)
    /// Alt (Meta) plus a key: Esc then the key within the escape delay (Alt-2 is `.alt("2")`).
    case alt(Character)
    /// Text pasted in one go (bracketed paste), cleaned by the key map.
    case paste(String)
    case resize
}
