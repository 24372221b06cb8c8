/// Whether this process may start the full-screen console, decided before ncurses is touched:
/// `initscr` exits from inside the library on an unknown TERM, draws garbage on TERM=dumb,
/// busy-loops when stdin is not a terminal, and garbles text outside a UTF-8 locale
/// (docs/terminal-notes.md). Pure: the facts come in, a refusal message comes out.
public enum TerminalPreflight {
    public struct Facts: Sendable, Equatable {
        public var stdinIsTerminal: Bool
        public var stdoutIsTerminal: Bool
        public var term: String?
        public var termIsKnown: Bool
        public var termCanAddressCursor: Bool
        public var localeIsUTF8: Bool

        public init(
            stdinIsTerminal: Bool, stdoutIsTerminal: Bool, term: String?, termIsKnown: Bool,
            termCanAddressCursor: Bool, localeIsUTF8: Bool
        ) {
            self.stdinIsTerminal = stdinIsTerminal
            self.stdoutIsTerminal = stdoutIsTerminal
            self.term = term
            self.termIsKnown = termIsKnown
            self.termCanAddressCursor = termCanAddressCursor
            self.localeIsUTF8 = localeIsUTF8
        }
    }

    /// nil when the console may start; otherwise one line saying why not and what to do.
    public static func refusal(_ facts: Facts) -> String? {
        if !facts.stdinIsTerminal || !facts.stdoutIsTerminal {
            return
                "leadconsole: the console needs a terminal (stdin and stdout); for scripts use submit, history, retry"
        }
        guard let term = facts.term, !term.isEmpty else {
            return "leadconsole: TERM is not set; set it to your terminal's type (e.g. TERM=xterm-256color)"
        }
        if !facts.termIsKnown {
            return "leadconsole: the terminal type \"\(term)\" is unknown here; try TERM=xterm-256color"
        }
        if !facts.termCanAddressCursor {
            return
                "leadconsole: the terminal type \"\(term)\" cannot move the cursor; use a full terminal (TERM=xterm-256color)"
        }
        if !facts.localeIsUTF8 {
            return "leadconsole: the locale is not UTF-8; start it with LANG=C.UTF-8 (or your language's .UTF-8 locale)"
        }
        return nil
    }
}
