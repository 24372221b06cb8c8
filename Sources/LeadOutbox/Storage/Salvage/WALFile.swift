import Foundation

/// The frames of an SQLite write-ahead log, each checked on its own (docs/salvage.md, "The
/// WAL"). SQLite stops reading a WAL at the first frame whose checksum fails; a salvage reads
/// on: a frame's checksum is seeded by the one stored in the frame before it, so one damaged
/// frame costs only its own page, and the frames after it are still proven.
struct WALFile {
    struct Frame {
        /// Position in the log, from 0: a later frame holds a newer version of its page.
        let index: Int
        let page: Int
        /// Where the page's bytes start in the file.
        let dataOffset: Int64
        /// Its own checksum holds and its salts are the log's: its bytes are as written.
        let isIntact: Bool
        /// Part of a transaction that committed (an intact commit frame follows it, or is it).
        var isCommitted = false
    }

    let pageSize: Int
    let frames: [Frame]

    static let headerSize = 32
    static let frameHeaderSize = 24

    /// Reads the log at `path`; nil when there is none, or its header is not a WAL header
    /// whose own checksum holds (its salts and page size are then unknown).
    init?(path: String, reader: FileReader? = nil) {
        guard let file = reader ?? FileReader(path: path), file.size >= Int64(Self.headerSize) else { return nil }
        let header = file.read(at: 0, count: Self.headerSize)
        guard header.count == Self.headerSize else { return nil }
        let magic = BTreePage.uint32(header, 0)
        guard magic == 0x377F_0682 || magic == 0x377F_0683 else { return nil }
        let bigEndian = magic == 0x377F_0683
        let size = Int(BTreePage.uint32(header, 8))
        guard size >= 512, size <= 65536, size & (size - 1) == 0 else { return nil }
        let seed = Self.checksum(header[0..<24], 0, 0, bigEndian: bigEndian)
        guard seed.0 == BTreePage.uint32(header, 24), seed.1 == BTreePage.uint32(header, 28) else { return nil }
        let salts = (BTreePage.uint32(header, 16), BTreePage.uint32(header, 20))
        pageSize = size

        var frames: [Frame] = []
        var previous = seed
        var offset = Int64(Self.headerSize)
        let frameSize = Int64(Self.frameHeaderSize + size)
        var lastCommit = -1
        while offset + frameSize <= file.size {
            let bytes = file.read(at: offset, count: Int(frameSize))
            guard bytes.count == Int(frameSize) else { break }
            let page = Int(BTreePage.uint32(bytes, 0))
            let commitSize = BTreePage.uint32(bytes, 4)
            let stored = (BTreePage.uint32(bytes, 16), BTreePage.uint32(bytes, 20))
            let saltsMatch = BTreePage.uint32(bytes, 8) == salts.0 && BTreePage.uint32(bytes, 12) == salts.1
            var sum = Self.checksum(bytes[0..<8], previous.0, previous.1, bigEndian: bigEndian)
            sum = Self.checksum(bytes[Self.frameHeaderSize...], sum.0, sum.1, bigEndian: bigEndian)
            let intact = saltsMatch && page > 0 && sum == stored
            // Frames of an older generation of the log (before a checkpoint restarted it) carry
            // other salts: their pages are in the main file already, and they never count.
            frames.append(
                Frame(
                    index: frames.count, page: page, dataOffset: offset + Int64(Self.frameHeaderSize), isIntact: intact)
            )
            if intact && commitSize > 0 { lastCommit = frames.count - 1 }
            previous = stored
            offset += frameSize
        }
        for i in frames.indices where i <= lastCommit { frames[i].isCommitted = true }
        self.frames = frames
    }

    /// A committed frame comes after one that is not intact: SQLite reads the log only up to
    /// the damage, so what was written after it is invisible to it (but not to a salvage).
    var hasWritesPastDamage: Bool {
        guard let broken = frames.firstIndex(where: { !$0.isIntact }) else { return false }
        return frames[(broken + 1)...].contains { $0.isIntact && $0.isCommitted }
    }

    /// SQLite's WAL checksum: 32-bit words in pairs, each sum feeding the other.
    static func checksum(_ bytes: ArraySlice<UInt8>, _ s0: UInt32, _ s1: UInt32, bigEndian: Bool) -> (UInt32, UInt32) {
        var a = s0
        var b = s1
        var i = bytes.startIndex
        func word(_ at: Int) -> UInt32 {
            let w =
                UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8
                | UInt32(bytes[at + 3])
            return bigEndian ? w : w.byteSwapped
        }
        while i + 8 <= bytes.endIndex {
            a = a &+ word(i) &+ b
            b = b &+ word(i + 4) &+ a
            i += 8
        }
        return (a, b)
    }
}

/// A file read with pread: pages are read one at a time, never the whole file into memory.
final class FileReader {
    private let descriptor: Int32
    let size: Int64

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return nil
        }
        descriptor = fd
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        let wanted = Int(min(Int64(count), size - offset))
        var bytes = [UInt8](repeating: 0, count: wanted)
        var done = 0
        while done < wanted {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, wanted - done, off_t(offset) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return done == wanted ? bytes : Array(bytes[0..<done])
    }
}
