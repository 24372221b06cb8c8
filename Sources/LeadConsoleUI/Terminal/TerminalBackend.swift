/// What the console loop needs from a terminal: its size, drawing a frame, reading a key. The
/// ncurses backend is the real one; `MemoryTerminal` runs the same loop in tests.
public protocol TerminalBackend: AnyObject, Sendable {
    var size: (columns: Int, rows: Int) { get }
    func draw(_ buffer: ScreenBuffer)
    /// Waits up to `timeout` milliseconds for a key; nil when none came.
    func readKey(timeout: Int32) -> Key?
}

extension CursesTerminal: TerminalBackend {}
