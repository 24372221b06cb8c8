/// What stops an import or export before it starts, with the fix in the message.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    case badMapping(String)
    case unreadable(String)
    case noHeader(String)

    public var description: String {
        switch self {
        case .badMapping(let message), .unreadable(let message), .noHeader(let message): return message
        }
    }
}
