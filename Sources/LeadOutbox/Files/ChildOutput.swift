import Foundation

/// What a child program prints on a pipe, read with a deadline: for the API key helper (read to
/// its end) and the demo's sandbox (read to its first lines). poll(2) with at most a second's wait,
/// EINTR retried; stops at the end of output, at `limit` bytes, when `enough` says so, or at the
/// deadline.
public enum ChildOutput {
    public static func read(
        _ descriptor: Int32, deadline: ContinuousClock.Instant, limit: Int = 64 * 1024,
        enough: ([UInt8]) -> Bool = { _ in false }
    ) -> (bytes: [UInt8], timedOut: Bool) {
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while output.count < limit, !enough(output) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return (output, true) }
            let ready = poll(&waiting, 1, Int32(min(left.components.seconds * 1000 + 1, 1000)))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        return (output, false)
    }
}
