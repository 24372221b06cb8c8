import Foundation

/// What went wrong with the files under the outbox, kept apart so a script can tell a full disk
/// or a damaged database (exit 73, 74) from a lead the CRM refused (exit 1).
public enum StorageFailure: String, Sendable, Equatable {
    /// The disk (or the file system's quota) is full.
    case full
    /// The operating system could not read or write the file.
    case io
    /// The file is not a database, or its pages are damaged.
    case corrupt
    /// The folder's marker says the database held more leads than it does: the file was
    /// emptied, cut short, replaced by an older copy, or its header damaged (`OutboxMarker`).
    case missingLeads
    /// Another process held the database longer than the busy timeout.
    case locked
    /// The file or its folder cannot be written or opened.
    case notWritable
    case other

    /// What to do about it, for the message.
    public var fix: String {
        switch self {
        case .full: return "the disk is full: free some space and run the command again (nothing already saved is lost)"
        case .io: return "the disk could not read or write it: check the disk (dmesg), then run the command again"
        case .corrupt:
            return
                "the database is damaged: run leadconsole doctor (it keeps the damaged file and rebuilds the outbox from every lead it can read)"
        case .missingLeads:
            return
                "run leadconsole doctor (it reads whatever is left of them), or put a backup back with leadconsole restore FILE; to start afresh knowing they are gone: leadconsole doctor --accept-loss"
        case .locked: return "another program held it too long: close other leadconsole windows and try again"
        case .notWritable: return "it cannot be opened for writing: check the folder's owner and permissions"
        case .other: return "see the message above"
        }
    }
}

public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case io(String, String)
    /// A folder or file the trust rules refuse (see `TrustedPaths`).
    case untrusted(TrustedPaths.Problem)
    case database(String, String, StorageFailure = .other)
    case notFound(Int64)

    public var description: String {
        switch self {
        case .io(let path, let why): return "\(path): \(why)"
        case .untrusted(let problem): return problem.description
        case .database(let path, let why, let failure):
            return "the lead database \(path) cannot be used: \(why)" + (failure == .other ? "" : "; \(failure.fix)")
        case .notFound(let id): return "no lead #\(id)"
        }
    }
}
