import Foundation

/// Wakes the console's wait for input from elsewhere (the store changed, the window was
/// resized): a pipe the wait polls beside the terminal. Writing to it is async-signal-safe.
public final class InputWake: Sendable {
    public let readEnd: Int32
    public let writeEnd: Int32

    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Wakes the wait (at once, or the next one if none is running).
    public func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }
}
