/// Exit statuses, from sysexits(3) where one fits, so scripts can tell outcomes apart. The one
/// table every command uses (and the README and `--help` repeat): 1 is only ever "the CRM
/// rejected a lead", never a local failure.
public enum ExitStatus {
    public static let delivered: Int32 = 0
    /// The CRM refused a lead for good (402, a 400 that names a field, a 2xx that says failed).
    public static let rejected: Int32 = 1
    public static let usage: Int32 = 64  // EX_USAGE (ArgumentParser uses it too)
    public static let invalidLead: Int32 = 65  // EX_DATAERR: a lead or an argument is not valid
    public static let noInput: Int32 = 66  // EX_NOINPUT: a file to read is missing or unreadable
    public static let unavailable: Int32 = 69  // EX_UNAVAILABLE: (sandbox) its port is taken or not allowed
    /// EX_CANTCREAT: the data folder or the database is unusable (full, damaged, locked).
    public static let cannotCreate: Int32 = 73
    public static let ioError: Int32 = 74  // EX_IOERR: the disk could not read or write
    public static let temporary: Int32 = 75  // EX_TEMPFAIL: kept in the outbox, will be retried
    public static let unauthorized: Int32 = 77  // EX_NOPERM: the CRM refused the credentials
    public static let configuration: Int32 = 78  // EX_CONFIG: missing key, broken config, wrong endpoint URL
    /// Stopped by Ctrl-C before a file was read to its end (128 + SIGINT, as a shell reports it).
    public static let interrupted: Int32 = 130

    /// What each status means, in the words `--help`, the manual page and the README use.
    public static let meanings: [(status: Int32, meaning: String)] = [
        (delivered, "the CRM holds the lead (accepted, or already there)"),
        (rejected, "rejected by the CRM (never a local failure)"),
        (usage, "bad usage"),
        (invalidLead, "invalid lead, argument or sheet"),
        (noInput, "an input file cannot be read"),
        (unavailable, "(sandbox) the port to listen on is taken or not allowed"),
        (cannotCreate, "the data folder or database cannot be used (disk full, damaged, locked)"),
        (ioError, "the disk could not read or write"),
        (temporary, "kept in the outbox, will be retried"),
        (unauthorized, "credentials rejected (held)"),
        (
            configuration,
            "configuration: missing key, exposed or broken config or key file, wrong endpoint URL (redirect, 404, 405, 410), headers too large (431)"
        ),
        (interrupted, "stopped by Ctrl-C while a sheet was read (import; what was queued stays queued)")
    ]

    /// The table as one sentence: "0 the CRM holds the lead ...; 1 rejected by ...".
    public static var sentence: String { meanings.map { "\($0.status) \($0.meaning)" }.joined(separator: "; ") }

    /// Leads held for a reason a person must fix.
    public static func of(_ hold: LeadHold) -> Int32 {
        switch hold {
        case .credentials: return unauthorized
        case .endpoint, .settings: return configuration
        }
    }

    /// A failure of the local files.
    public static func of(_ error: StoreError) -> Int32 {
        switch error {
        case .database(_, _, .io): return ioError
        case .untrusted: return configuration
        case .io, .database: return cannotCreate
        case .notFound: return usage
        }
    }
}
