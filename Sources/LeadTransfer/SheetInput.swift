import Foundation

/// The file an import names, made readable as often as the import needs: a regular file as it
/// is; a pipe (a FIFO, `<(gunzip -c sheet.csv.gz)`, a socket) read once, to its end, into a
/// private scratch file, since a sheet is read more than once (its kind, its text, the rows the
/// CRM rejected) and a pipe gives its bytes only once; a device or a folder refused (66).
public final class SheetInput {
    /// What to read: the file itself, or the scratch copy of a pipe.
    public let url: URL
    /// True when `url` is a copy of a pipe.
    public let isPipe: Bool
    /// False for a pipe with no folder of its own (`<(…)` is /dev/fd/63): the files written
    /// beside a sheet (its rejected rows) go to the current folder instead. A named FIFO has one.
    public var hasFolder: Bool { !(isPipe && (path.hasPrefix("/dev/") || path.hasPrefix("/proc/"))) }
    private let path: String
    private let spool: PrivateTemporaryFile?

    /// The most a pipe may pour in (a sheet of a million rows is under 200 MB).
    static let pipeBytes = 2 * 1024 * 1024 * 1024

    public init(path: String, stop: () -> Bool = { false }) throws(ImportError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable("cannot read \(path): no such file, or no permission")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            url = URL(fileURLWithPath: path)
            isPipe = false
            spool = nil
        case S_IFIFO, S_IFSOCK:
            let copy = try Self.drain(path, stop: stop)
            url = copy.url
            isPipe = true
            spool = copy
        case S_IFDIR:
            throw .unreadable("\(path) is a folder: name a sheet file (CSV, .xlsx, vCard) in it")
        default:
            throw .unreadable(
                "\(path) is a device, not a file or a pipe: import reads files and pipes (save the sheet to a file and import that)"
            )
        }
    }

    /// Reads a pipe to its end into a scratch file, waiting at most 200 ms at a time so that
    /// `stop` (Ctrl-C) is heard even while no writer has come yet.
    private static func drain(_ path: String, stop: () -> Bool) throws(ImportError) -> PrivateTemporaryFile {
        // Non-blocking: opening a FIFO nobody writes to would otherwise wait in open(), deaf to Ctrl-C.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let copy = try PrivateTemporaryFile(suffix: ".sheet")
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            if stop() { throw LeadSheets.stopped(path) }
            poll.revents = 0
            let ready = Glibc.poll(&poll, 1, 200)
            if ready < 0 && errno != EINTR {
                throw .unreadable("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            // A FIFO no writer has opened yet reports nothing: wait on.
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return copy }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw .unreadable("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            total += count
            guard total <= pipeBytes else {
                throw .tooLarge("\(path): a pipe of more than 2 GB; save the sheet to a file and import that")
            }
            do { try copy.handle.write(contentsOf: buffer[0..<count]) } catch {
                throw .unreadable("cannot copy \(path) for reading: \(error)")
            }
        }
    }
}
