import LeadOutbox

/// What stops an import or export, with the fix in the message, and the exit status it ends with.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    /// A --map, --sheet or other choice that does not fit the file (64).
    case badMapping(String)
    /// The file cannot be opened or is of a kind nobody reads here (66).
    case unreadable(String)
    case noHeader(String)
    /// Bytes that are not text in the encoding read: where, and the --encoding hint (66).
    case undecodable(String)
    /// A record past the limits of `SheetLimits`, or a NUL byte (65: the data is wrong).
    case tooLarge(String)
    /// The file stops being valid CSV, XML or vCard part way (65; the rows before it were read).
    case malformed(String)
    /// Ctrl-C while the file was read (130): nothing after that point was read.
    case stopped(String)

    public var description: String {
        switch self {
        case .badMapping(let message), .unreadable(let message), .noHeader(let message), .undecodable(let message),
            .tooLarge(let message), .malformed(let message), .stopped(let message):
            return message
        }
    }

    public var exitStatus: Int32 {
        switch self {
        case .badMapping: return ExitStatus.usage
        case .unreadable, .noHeader, .undecodable: return ExitStatus.noInput
        case .tooLarge, .malformed: return ExitStatus.invalidLead
        case .stopped: return ExitStatus.interrupted
        }
    }
}
