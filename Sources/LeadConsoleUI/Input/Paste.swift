/// Bracketed paste, read to its end marker whatever its length. Pure, for tests.
public enum Paste {
    /// Bytes kept from one paste: far more than any field holds (the field's own limit cuts it
    /// again, and says so); the rest is read and counted so nothing is left to run as keys.
    public static let keptBytes = 4 << 20
    static let endMarker: [UInt8] = Array("\u{1B}[201~".utf8)

    /// The paste's bytes up to `ESC[201~`, fed as they come (in chunks of any size: the marker may
    /// straddle two reads).
    public struct Reader: Sendable {
        private var bytes: [UInt8] = []
        /// The last bytes read, to find a marker that straddles two chunks.
        private var tail: [UInt8] = []
        /// Characters read past `keptBytes` (UTF-8 lead bytes counted).
        public private(set) var dropped = 0

        public init() {}

        /// Adds what was read. Once the end marker has been read: how many of this chunk's bytes
        /// the paste took, marker included; the bytes after them were typed after the paste (a
        /// scanner, tmux's send-keys, a fast rep) and are keys, to be read as such. nil: more
        /// of the paste is to come.
        public mutating func append<C: Collection<UInt8>>(_ chunk: C) -> Int? {
            let window = tail + chunk
            if let end = Self.find(Paste.endMarker, in: window) {
                // Only the part of this chunk before the marker is text.
                let before = max(0, end - tail.count)
                keep(chunk.prefix(before))
                if end < tail.count { bytes.removeLast(min(bytes.count, tail.count - end)) }
                return end + Paste.endMarker.count - tail.count
            }
            keep(chunk)
            tail = Array(window.suffix(Paste.endMarker.count - 1))
            return nil
        }

        private mutating func keep<C: Collection<UInt8>>(_ chunk: C) {
            let room = max(0, Paste.keptBytes - bytes.count)
            bytes.append(contentsOf: chunk.prefix(room))
            if chunk.count > room { dropped += chunk.dropFirst(room).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
        }

        private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            var index = 0
            while index <= haystack.count - needle.count {
                guard let start = haystack[index...].firstIndex(of: needle[0]), start <= haystack.count - needle.count
                else { return nil }
                if Array(haystack[start..<start + needle.count]) == needle { return start }
                index = start + 1
            }
            return nil
        }

        /// The text (invalid UTF-8 repaired; a character cut at the cap dropped).
        public var text: String { String(decoding: bytes, as: UTF8.self) }
        public var key: Key { .paste(text, leftOut: dropped) }
    }
}
