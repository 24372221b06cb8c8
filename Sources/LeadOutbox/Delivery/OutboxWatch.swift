import Dispatch
import Foundation
import Glibc

/// Writes to the outbox by any process, heard through inotify on its folder: a lead queued by
/// `submit --no-wait` or an import in another process wakes the deliverer at once, where a poll
/// found it within a second and woke the console's threads every second to look. Only the
/// database's own files count (`leads.sqlite`, its `-wal` and `-journal`); a draft or a lock
/// written beside them does not.
final class OutboxWatch: @unchecked Sendable {
    private let source: any DispatchSourceRead

    /// nil when the folder cannot be watched (no inotify, a file system without it): the
    /// deliverer then looks every second as before.
    init?(database path: String, onChange: @escaping @Sendable () -> Void) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)
        guard inotify_add_watch(descriptor, folder, mask) >= 0 else {
            close(descriptor)
            return nil
        }
        source = DispatchSource.makeReadSource(
            fileDescriptor: descriptor, queue: DispatchQueue(label: "leadconsole.outbox-watch"))
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var changed = false
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                guard count > 0 else { break }
                changed = changed || Self.namesDatabase(buffer[0..<count], name)
            }
            if changed { onChange() }
        }
        source.setCancelHandler { close(descriptor) }
        source.resume()
    }

    /// Whether any event in `events` (struct inotify_event, one after another) is about the
    /// database's own files.
    static func namesDatabase(_ events: ArraySlice<UInt8>, _ name: String) -> Bool {
        var offset = events.startIndex
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= events.endIndex {
            let length = events[(offset + 12)..<(offset + 16)].enumerated().reduce(0) {
                $0 | Int($1.element) << (8 * $1.offset)
            }
            let nameBytes = events[(offset + header)..<min(events.endIndex, offset + header + length)]
            let eventName = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            if eventName == name || eventName.hasPrefix(name + "-") { return true }
            offset += header + length
        }
        return false
    }

    func cancel() { source.cancel() }
}
