import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Standard input a line at a time and standard output as it is written: plain mode's terminal.
/// The terminal stays in its own line mode (the kernel echoes and lets the line be edited with
/// Backspace and Ctrl-U), so nothing here moves the cursor or draws. Lines are read on a thread
/// of their own: a blocking read must not hold one of the few threads tasks run on.
public final class StandardLines: PlainLines {
    private struct Queue {
        var lines: [String] = []
        var ended = false
        var waiter: CheckedContinuation<String?, Never>?
    }
    private let queue = Mutex(Queue())

    public init() {
        let thread = Thread { [self] in
            while let line = readLine(strippingNewline: true) { push(line) }
            end()
        }
        thread.name = "plain-input"
        thread.start()
    }

    private func push(_ line: String) {
        let waiter = queue.withLock { queue -> CheckedContinuation<String?, Never>? in
            if let waiter = queue.waiter {
                queue.waiter = nil
                return waiter
            }
            queue.lines.append(line)
            return nil
        }
        waiter?.resume(returning: line)
    }

    private func end() {
        let waiter = queue.withLock { queue -> CheckedContinuation<String?, Never>? in
            queue.ended = true
            defer { queue.waiter = nil }
            return queue.waiter
        }
        waiter?.resume(returning: nil)
    }

    public func next() async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let ready: String?? = queue.withLock { queue in
                if !queue.lines.isEmpty { return .some(queue.lines.removeFirst()) }
                if queue.ended { return .some(nil) }
                queue.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Straight to file descriptor 1 with write(2), to its end: FileHandle wanted the text as
    /// Data, whose first making from a String cost a dynamic cast and its conformance lookups
    /// before prompt's first question (perf). A closed or failing output ends nothing here:
    /// the lines read go on being handled, and their leads are on disk as always.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var rest = UnsafeRawBufferPointer(bytes)
            while !rest.isEmpty {
                let written = Glibc.write(STDOUT_FILENO, rest.baseAddress, rest.count)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                rest = UnsafeRawBufferPointer(rebasing: rest[written...])
            }
        }
    }
}
