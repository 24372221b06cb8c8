import CNcurses
import CTerminalSignals
import Foundation
import LeadConsoleUI
import Synchronization

/// The ncurses backend: the only code that touches curses. It draws a `ScreenBuffer` by writing
/// the cells that changed since the last frame and calling `doupdate` once; it never clears
/// (no flicker) except when the size changes. ncurses is not thread-safe: calls must never
/// overlap. The console loop is the only user while it runs and `close` comes after it ends,
/// which is what the unchecked Sendable promises.
public final class CursesTerminal: @unchecked Sendable {
    private var screen: OpaquePointer?
    private var previous: ScreenBuffer?
    private let color: Bool
    private let mouseOn: Bool
    /// The last click, to tell a double-click when the terminal reports each click alone.
    private var lastClick: (event: MouseEvent, at: ContinuousClock.Instant)?
    private var pairs: [CellStyle.Color: Int16] = [:]
    /// Signalled by SIGWINCH; the console's wait also polls it.
    public let wake = InputWake()
    /// The blocking wait runs here, never on Swift's cooperative pool.
    private let waiter = DispatchQueue(label: "leadconsole.input")
    /// Set by the waiting thread when the terminal hangs up; read by the console's loop.
    private let hungUp = Flag()
    /// Keys that arrived in the same read as the end of a paste, given out before any other.
    private var queued: [Key] = []
    /// Terminfo's Backspace is ^? (xterm, tmux, the Linux console): ^H is then Ctrl-Backspace.
    private var backspaceIsDelete = false
    /// ncurses may hold bytes it read ahead or that were pushed back to it (after an escape
    /// sequence, after a paste): until it says it has nothing (a read that times out), the
    /// terminal is read only through it, so no byte is read out of order.
    private var ncursesMayHoldBytes = false

    /// A flag set once, from any thread.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .acquiring) }
        func set() { value.store(true, ordering: .releasing) }
    }

    /// Checks the facts first (see `TerminalPreflight`); throws the refusal message.
    /// With `mouse`, clicks and the wheel arrive as `Key.mouse` (Shift-drag still selects text:
    /// terminals keep that for themselves).
    public init(color: Bool, mouse: Bool = true) throws {
        self.mouseOn = mouse
        DisplayWidth.prepare()
        let term = getenv("TERM").map { String(cString: $0) }
        let facts = TerminalPreflight.Facts(
            stdinIsTerminal: isatty(STDIN_FILENO) == 1, stdoutIsTerminal: isatty(STDOUT_FILENO) == 1, term: term,
            termIsKnown: term.map { !$0.isEmpty && lc_has_cursor_addressing($0) >= 0 } ?? false,
            termCanAddressCursor: term.map { lc_has_cursor_addressing($0) == 1 } ?? false,
            localeIsUTF8: lc_use_locale_is_utf8() == 1)
        if let refusal = TerminalPreflight.refusal(facts) { throw TerminalError(message: refusal) }
        guard let screen = lc_newterm() else {
            throw TerminalError(message: "leadconsole: cannot open the terminal \"\(term ?? "")\"")
        }
        self.screen = screen
        raw()  // not cbreak: the tty would eat Ctrl-S and Ctrl-Q
        noecho()
        nonl()
        keypad(lc_stdscr(), true)
        backspaceIsDelete = lc_backspace_is_del() == 1
        set_escdelay(25)
        curs_set(1)
        // A resize wakes the console's wait for input (ncurses' own handler still runs).
        _ = lc_chain_winch(wake.writeEnd)
        // Bracketed paste: the terminal marks pasted text so it arrives as one piece.
        lc_write_raw("\u{1B}[?2004h" + (mouseOn ? Self.mouseReportingOn : ""))
        self.color = color && has_colors()
        if self.color {
            start_color()
            use_default_colors()
            let table: [(CellStyle.Color, Int16)] = [
                (.red, 1), (.green, 2), (.yellow, 3), (.blue, 4), (.cyan, 6), (.gray, 7)
            ]
            for (index, (name, code)) in table.enumerated() {
                init_pair(Int16(index + 1), code, -1)
                pairs[name] = Int16(index + 1)
            }
        }
    }

    /// Restores the terminal; safe to call twice.
    public func close() {
        guard screen != nil else { return }
        // Keys typed but not read (a flood of them, a scanner still sending) are dropped here,
        // on every way out: none of them may reach the shell as a command line.
        tcflush(STDIN_FILENO, TCIFLUSH)
        lc_write_raw("\u{1B}[?2004l" + (mouseOn ? Self.mouseReportingOff : ""))
        endwin()
        delscreen(screen)
        screen = nil
    }

    deinit { close() }

    public var size: (columns: Int, rows: Int) { (Int(lc_cols()), Int(lc_lines())) }

    /// Writes what changed since the last frame, puts the cursor, and shows it all at once.
    public func draw(_ buffer: ScreenBuffer) {
        let cursor = buffer.cursor
        if previous.map({ $0.columns != buffer.columns || $0.rows != buffer.rows }) ?? true {
            erase()
            previous = nil
        }
        var text: [wchar_t] = []
        text.reserveCapacity(8)
        for change in buffer.changes(since: previous) where !change.cell.isContinuation {
            var attributes = lc_a_normal()
            if change.cell.style.bold { attributes |= lc_a_bold() }
            if change.cell.style.reverse { attributes |= lc_a_reverse() }
            if change.cell.style.underline { attributes |= lc_a_underline() }
            let pair = color ? pairs[change.cell.style.foreground] ?? 0 : 0
            // The cell's scalars, NUL-terminated, in one buffer reused for every cell.
            text.removeAll(keepingCapacity: true)
            for scalar in change.cell.character.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
            text.append(0)
            _ = text.withUnsafeBufferPointer {
                lc_put_text(Int32(change.row), Int32(change.column), $0.baseAddress, attributes, pair)
            }
        }
        if let cursor {
            curs_set(1)
            move(Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wnoutrefresh(lc_stdscr())
        doupdate()
        previous = buffer
    }

    /// Ctrl-Z: the terminal as the shell had it (no bracketed paste), the process stopped by
    /// SIGTSTP like any job; on `fg` the program's terminal modes come back and the next frame is
    /// drawn in full. (In raw mode the tty does not turn Ctrl-Z into SIGTSTP itself.)
    public func suspend() {
        lc_write_raw("\u{1B}[?2004l" + (mouseOn ? Self.mouseReportingOff : ""))
        endwin()
        let previousHandler = signal(SIGTSTP, SIG_DFL)
        // This thread (one of Swift's or dispatch's) blocks most signals: unblocked here, the
        // raise stops the process before it returns, and returns only once it is continued.
        var only = sigset_t()
        var saved = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &only, &saved)
        raise(SIGTSTP)
        // Continued (fg).
        pthread_sigmask(SIG_SETMASK, &saved, nil)
        signal(SIGTSTP, previousHandler)
        lc_write_raw("\u{1B}[?2004h" + (mouseOn ? Self.mouseReportingOn : ""))
        previous = nil
        // The shell wrote over the screen: the next frame clears it and repaints every cell
        // (ncurses would otherwise send only what differs from what it last drew).
        clearok(lc_stdscr(), true)
    }

    /// Sleeps in poll(2) on the terminal and the wake pipes: no timer ticks while idle.
    public func waitForInput(timeout: Duration?, wake other: InputWake) async {
        let milliseconds = timeout.map { Int32(clamping: Int64($0.seconds * 1000)) } ?? -1
        let (resize, store) = (wake.readEnd, other.readEnd)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            waiter.async {
                // Both pipes: the store's changes and SIGWINCH.
                var fds = [
                    pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: store, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: resize, events: Int16(POLLIN), revents: 0)
                ]
                _ = poll(&fds, 3, milliseconds)
                // The terminal hung up: poll would answer at once forever after (a 100% CPU spin
                // measured on a console whose tmux was killed). readKey says so once.
                if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { self.hungUp.set() }
                var drain = [UInt8](repeating: 0, count: 64)
                for index in 1...2 where fds[index].revents & Int16(POLLIN) != 0 {
                    while read(fds[index].fd, &drain, drain.count) > 0 {}
                }
                done.resume()
            }
        }
    }

    /// Waits up to `timeout` milliseconds for a key; nil when none came.
    public func readKey(timeout: Int32) -> Key? {
        if !queued.isEmpty { return queued.removeFirst() }
        if hungUp.isSet { return .hangup }
        wtimeout(lc_stdscr(), timeout)
        var code: wint_t = 0
        let kind = wget_wch(lc_stdscr(), &code)
        if kind == lc_err() {
            ncursesMayHoldBytes = false
            return nil
        }
        if kind == lc_key_code_yes() && Int32(code) == lc_key_mouse() { return mouse() }
        if kind == lc_key_code_yes() { return Self.special(Int32(code)) }
        guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
        switch scalar.value {
        case 0x1B:
            // A mouse report decoded from its escape sequence counts only while the mouse is on.
            ncursesMayHoldBytes = true
            let key = readEscape()
            if case .mouse = key, !mouseOn { return nil }
            return key
        default:
            readPlainRun()
            return KeyBytes.plain(scalar, backspaceIsDelete: backspaceIsDelete)
        }
    }

    /// A plain key came, and more bytes wait (a flood: an unbracketed paste, a scanner, a serial
    /// line): ncurses reads one byte per system call, so the bytes waiting are read here, up to
    /// 128 at a time. The characters before the first Escape are keys (queued, in order); from
    /// the Escape on, and a character cut by the read, the bytes go back to ncurses, which
    /// decodes sequences by the terminal's own description (its push-back holds 136 bytes).
    private func readPlainRun() {
        guard !ncursesMayHoldBytes, queued.isEmpty else { return }
        var ready = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, 0) > 0, ready.revents & Int16(POLLIN) != 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 128)
        let count = read(STDIN_FILENO, &chunk, chunk.count)
        guard count > 0 else { return }
        let bytes = chunk[0..<count]
        let plainEnd = bytes.firstIndex(of: 0x1B) ?? count
        let decoded = KeyBytes.decode(bytes[0..<plainEnd], backspaceIsDelete: backspaceIsDelete)
        queued += decoded.keys
        var giveBack = Array(bytes[plainEnd...])
        if case .partial(let cut) = decoded.rest { giveBack = cut + giveBack }
        guard !giveBack.isEmpty else { return }
        ncursesMayHoldBytes = true
        for byte in giveBack.reversed() { ungetch(Int32(byte)) }
    }

    /// After ESC: a key sequence read whole and decoded by `EscapeSequence` (whatever TERM's
    /// terminfo knows), an Alt-key, a bracketed paste, or a lone Escape. nil for a sequence with
    /// no use here (dropped whole, never typed as text). A key that follows a lone Escape at once
    /// (tmux sends Esc and F3 in one burst) is pushed back, not eaten.
    private func readEscape() -> Key? {
        var scalars: [Unicode.Scalar] = []
        while true {
            // ESCDELAY for the first character; the rest of a sequence comes in the same write.
            wtimeout(lc_stdscr(), 25)
            var code: wint_t = 0
            let kind = wget_wch(lc_stdscr(), &code)
            if kind == lc_err() { return Self.resolve(EscapeSequence.timedOut(scalars)) }
            if kind == lc_key_code_yes() {
                ungetch(Int32(code))
                return Self.resolve(EscapeSequence.timedOut(scalars))
            }
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            if scalar.value == 0x1B {
                unget_wch(wchar_t(bitPattern: code))
                return Self.resolve(EscapeSequence.timedOut(scalars))
            }
            scalars.append(scalar)
            switch EscapeSequence.step(scalars) {
            case .needMore: continue
            case .key(let key): return key
            case .ignored: return nil
            case .pasteStart: return readPaste()
            }
        }
    }

    private static func resolve(_ step: EscapeSequence.Step) -> Key? {
        if case .key(let key) = step { return key }
        return nil
    }

    /// Bracketed paste: everything up to `ESC[201~`, whatever its length, so that no part of a
    /// paste is ever read as keys (or left for the shell). ncurses reads input one byte per
    /// system call (a megabyte took seconds), so after the few characters its queue may still
    /// hold, the paste is read from the terminal directly in large chunks, in order. What came
    /// behind the paste in the same read is decoded into keys (`KeyBytes`) and given out next,
    /// in order: those bytes were once dropped, and with them the keys sent right after a paste.
    private func readPaste() -> Key {
        var reader = Paste.Reader()
        wtimeout(lc_stdscr(), 0)
        var code: wint_t = 0
        for _ in 0..<16 {
            let kind = wget_wch(lc_stdscr(), &code)
            if kind == lc_err() { break }
            guard kind != lc_key_code_yes(), let scalar = Unicode.Scalar(UInt32(code)) else { continue }
            if reader.append(Array(String(Character(scalar)).utf8)) != nil { return reader.key }
        }
        var keys: [Key] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        reading: while true {
            // A paste arrives in one burst; a quiet second means the end marker was lost.
            var ready = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 1000) > 0 else { break }
            let count = read(STDIN_FILENO, &chunk, chunk.count)
            if count <= 0 { break }
            guard let used = reader.append(chunk[0..<count]) else { continue }
            keys.append(reader.key)
            let after = KeyBytes.decode(chunk[used..<count], backspaceIsDelete: backspaceIsDelete)
            keys += after.keys
            switch after.rest {
            case .none: return finish(keys)
            case .partial(let bytes):
                // The start of the next key: back to ncurses (its queue gives these bytes first,
                // then reads on from the terminal), a few bytes at most.
                ncursesMayHoldBytes = true
                for byte in bytes.reversed() { ungetch(Int32(byte)) }
                return finish(keys)
            case .paste(let next):
                // Another paste right behind: read on into it.
                reader = next
                continue reading
            }
        }
        keys.append(reader.key)
        return finish(keys)
    }

    /// The first of `keys`; the rest queued for the next reads.
    private func finish(_ keys: [Key]) -> Key {
        queued += keys.dropFirst()
        return keys[0]
    }

    /// Clicks and the wheel reported by the terminal itself, in SGR form (`ESC [ < b ; x ; y M`),
    /// and decoded here (`MouseReport`), not by ncurses: its click resolution reads ahead and
    /// swallowed the key typed after a click. Shift-drag still selects text (terminals keep it).
    static let mouseReportingOn = "\u{1B}[?1000h\u{1B}[?1006h"
    static let mouseReportingOff = "\u{1B}[?1006l\u{1B}[?1000l"

    /// The mouse event behind a KEY_MOUSE; nil for what the console does not use (a release) or
    /// when the mouse is off. ncurses matches the report's `ESC [ <` (terminfo's kmous) but, with
    /// no mousemask, decodes nothing: the rest is read here, whole (see `MouseReport`).
    private func mouse() -> Key? {
        var event: MouseEvent?
        do {
            var scalars: [Unicode.Scalar] = []
            wtimeout(lc_stdscr(), 25)
            reading: while true {
                var code: wint_t = 0
                let read = wget_wch(lc_stdscr(), &code)
                guard read != lc_err(), read != lc_key_code_yes(), let scalar = Unicode.Scalar(UInt32(code)) else {
                    break
                }
                scalars.append(scalar)
                switch MouseReport.step(scalars) {
                case .needMore: continue
                case .done(let report):
                    event = report
                    break reading
                case .invalid: break reading
                }
            }
        }
        guard mouseOn, var event else { return nil }
        // Two clicks on one cell within 300 ms: a double-click (when the terminal's reports come
        // one by one, ncurses cannot pair them).
        if event.kind == .click {
            if let last = lastClick, last.event == event, ContinuousClock.now - last.at < .milliseconds(300) {
                event.kind = .doubleClick
                lastClick = nil
            } else {
                lastClick = (event, .now)
            }
        }
        return .mouse(event)
    }

    static func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_RESIZE: return .resize
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        default:
            for n in 1...63 where code == lc_key_f(Int32(n)) { return TerminfoKeys.function(n) }
            // Modified keys terminfo lists (Ctrl-Left is kLFT5 under xterm): by their names.
            guard let name = lc_key_name(code) else { return nil }
            return TerminfoKeys.key(named: String(cString: name))
        }
    }
}

public struct TerminalError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension CursesTerminal: TerminalBackend {}
