/// Bracketed paste, read to its end marker whatever its length. Pure, for tests.
public enum Paste {
    /// Characters kept from one paste: far more than any field holds (the field's own limit cuts
    /// it again, and says so); the rest is read and counted so nothing is left to run as keys.
    public static let keptScalars = 1 << 20
    static let endMarker: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]

    public struct Reader {
        private var scalars: [Unicode.Scalar] = []
        /// The last characters read (and whether each was kept), to find the end marker without
        /// keeping everything.
        private var tail: [(scalar: Unicode.Scalar, kept: Bool)] = []
        public private(set) var dropped = 0

        public init() {}

        /// Adds one character; true once the end marker has been read.
        public mutating func append(_ scalar: Unicode.Scalar) -> Bool {
            let kept = scalars.count < Paste.keptScalars
            if kept { scalars.append(scalar) } else { dropped += 1 }
            tail.append((scalar, kept))
            if tail.count > Paste.endMarker.count { tail.removeFirst() }
            guard tail.map(\.scalar) == Paste.endMarker else { return false }
            // The marker's own characters are not text.
            for character in tail { if character.kept { scalars.removeLast() } else { dropped -= 1 } }
            return true
        }

        public var text: String { String(String.UnicodeScalarView(scalars)) }

        public var key: Key { .paste(text) }
    }
}
