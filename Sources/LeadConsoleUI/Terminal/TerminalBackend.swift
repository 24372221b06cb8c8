/// What the console loop needs from a terminal: its size, drawing a frame, reading a key. The
/// ncurses backend is the real one; `MemoryTerminal` runs the same loop in tests.
public protocol TerminalBackend: AnyObject, Sendable {
    var size: (columns: Int, rows: Int) { get }
    func draw(_ buffer: ScreenBuffer)
    /// Waits up to `timeout` milliseconds for a key; nil when none came.
    func readKey(timeout: Int32) -> Key?
    /// Sleeps until a key may be there, `wake` is signalled, or `timeout` passes (nil: no limit),
    /// without holding a thread of Swift's cooperative pool.
    func waitForInput(timeout: Duration?, wake: InputWake) async
    /// Gives the terminal back and stops the process (job control); returns once it continues,
    /// with the screen to be drawn again in full.
    func suspend()
}
