import Foundation

/// A terminal in memory: keys are queued by the test, frames are kept. The console loop runs on
/// it exactly as on ncurses (same views, same key map, same store), so program tests press keys
/// and read the screen without a terminal.
public final class MemoryTerminal: TerminalBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [Key] = []
    private var columns: Int
    private var rows: Int
    private var frame: ScreenBuffer?
    private var frames = 0

    public init(columns: Int = 100, rows: Int = 30) {
        self.columns = columns
        self.rows = rows
    }

    public var size: (columns: Int, rows: Int) { lock.withLock { (columns, rows) } }

    public func draw(_ buffer: ScreenBuffer) {
        lock.withLock {
            frame = buffer
            frames += 1
        }
    }

    /// Returns when a key is queued, at the wake, or after a short nap (tests only).
    public func waitForInput(timeout: Duration?, wake: InputWake) async {
        if !keysRead { return }
        try? await Task.sleep(for: min(timeout ?? .milliseconds(5), .milliseconds(5)))
    }

    public func readKey(timeout: Int32) -> Key? {
        lock.withLock { keys.isEmpty ? nil : keys.removeFirst() }
    }

    /// Queues keys as if typed; text becomes one key per character.
    public func press(_ pressed: Key...) { lock.withLock { keys.append(contentsOf: pressed) } }
    public func type(_ text: String) { lock.withLock { keys.append(contentsOf: text.map(Key.character)) } }

    /// A resize, delivered like ncurses does: the size changes and a resize key arrives.
    public func resize(columns: Int, rows: Int) {
        lock.withLock {
            self.columns = columns
            self.rows = rows
            keys.append(.resize)
        }
    }

    /// How often the program asked to be suspended (Ctrl-Z).
    public private(set) var suspensions = 0
    public func suspend() { lock.withLock { suspensions += 1 } }

    /// Whether every queued key has been read.
    public var keysRead: Bool { lock.withLock { keys.isEmpty } }
    /// The last frame drawn, as text.
    public var screen: String { lock.withLock { frame?.lines.joined(separator: "\n") ?? "" } }
    public var lastFrame: ScreenBuffer? { lock.withLock { frame } }
}
