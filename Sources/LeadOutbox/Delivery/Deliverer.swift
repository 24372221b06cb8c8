import Foundation
import ParamantraAPI

/// Sends queued leads, oldest first, one attempt at a time, and records every answer.
/// Run it only while holding the `DeliveryLock`.
public actor Deliverer {
    public let database: LeadDatabase
    public let client: ParamantraClient
    public let policy: RetryPolicy
    private var credentials: Credentials?
    private var phoneFormat: PhoneNumber.WireFormat
    /// Whether each claim and outcome is fsync'd. A bulk import turns it off: the lead itself
    /// was committed durably when queued, and a claim or outcome lost in a power cut only means
    /// a resend that the CRM answers as a duplicate.
    public let durableOutcomes: Bool

    public init(
        database: LeadDatabase, client: ParamantraClient, policy: RetryPolicy = .standard,
        phoneFormat: PhoneNumber.WireFormat = .tenDigits, credentials: Credentials?, durableOutcomes: Bool = true,
        missing: String? = nil
    ) {
        self.durableOutcomes = durableOutcomes
        self.missing = credentials == nil ? missing : nil
        self.database = database
        self.client = client
        self.policy = policy
        self.phoneFormat = phoneFormat
        self.credentials = credentials
        outcomes = OutcomeWriter(database: database, policy: policy, durable: durableOutcomes)
    }

    private let outcomes: OutcomeWriter
    /// Why there are no credentials ("no API key"): due leads are held with it rather than left
    /// "queued" with no attempt ever coming.
    private var missing: String?

    /// New settings: later attempts use these credentials and phone form.
    public func use(_ credentials: Credentials?, phoneFormat: PhoneNumber.WireFormat) {
        self.credentials = credentials
        self.phoneFormat = phoneFormat
        if credentials != nil { missing = nil }
        notHeldAt = nil
    }

    /// New settings, with what is missing from them when nothing can be sent.
    public func use(_ settings: Settings) {
        use(settings.credentials, phoneFormat: settings.phoneFormat)
        missing = settings.credentials == nil ? settings.missingCredentials : nil
    }

    /// Without credentials nothing goes out: queued leads are held, saying what is missing.
    /// Returns the newest lead it held, for the screen to show.
    private func holdForMissingSettings() async throws -> StoredLead? {
        guard credentials == nil, let missing else { return nil }
        return try await database.holdQueued(
            forMissingSettings: "\(missing): set it in Settings (F4) or with leadconsole config")
    }

    /// Sends the oldest due lead, if any. Returns the lead as recorded after the attempt, or nil
    /// when nothing is due, no credentials are set, or a held lead stops the queue (refused
    /// credentials: the queue waits, across processes, until they are released).
    public func deliverNext(now: @Sendable () -> Date = Date.init) async throws -> StoredLead? {
        switch try await begin(now: now()) {
        case nil: return nil
        case .held(let lead): return lead
        case .claimed(let lead): return try await attempt(lead, claimNext: false)?.recorded
        }
    }

    private enum Start {
        /// Queued leads were just held for missing settings; the newest, for the screen.
        case held(StoredLead)
        /// The oldest due lead, claimed for its attempt.
        case claimed(StoredLead)
    }

    /// The start of every pass: without credentials, hold what waits (saying why); otherwise,
    /// unless the queue is held, claim the oldest due lead. nil when there is nothing to do.
    private func begin(now: Date) async throws -> Start? {
        if let held = try await holdForMissingSettings() { return .held(held) }
        guard credentials != nil, !(try await queueIsHeld()) else { return nil }
        return try await database.claimNextDue(now: now, durable: durableOutcomes).map(Start.claimed)
    }

    /// One attempt of a claimed lead, recorded; with `claimNext`, the next due lead is claimed in
    /// the same transaction. nil when the credentials went away while waiting (the lead is given
    /// back to the queue).
    private func attempt(_ lead: StoredLead, claimNext: Bool) async throws
        -> (recorded: StoredLead, next: StoredLead?)?
    {
        // Read the credentials only now: `use` may have replaced them while this actor waited on
        // the database (actor reentrancy), and a lead must never go out with refused ones.
        guard let credentials else {
            try await database.requeue(id: lead.id)
            return nil
        }
        let report: DeliveryReport
        switch lead.lead.validated() {
        case .success(let valid):
            // After a connection was closed under its last attempt, this one goes on a new connection.
            report = await client.send(
                valid, credentials: credentials, phoneFormat: phoneFormat,
                newConnection: lead.lastError == DeliveryOutcome.closedBeforeAnswer.description)
        case .failure(let failure):
            // Stored leads were valid when queued; rules may have tightened since. Never drop it.
            report = DeliveryReport(
                outcome: .rejected(status: 0, message: failure.problems.map(\.description).joined(separator: "; ")),
                httpStatus: nil, rawBody: "", elapsed: .zero)
        }
        // Another process's hold stops this one before it claims more (seen within a poll).
        let more = claimNext ? !(try await queueIsHeld()) : false
        // Outcomes that finish together share one commit (see OutcomeWriter).
        let (recorded, next) = try await outcomes.record(report, for: lead, claimNext: more)
        return (noted(recorded), next)
    }

    /// When the database last said the queue was not held. Another process's hold is seen
    /// within `heldCheckInterval`; this deliverer's own (a refused attempt) at once, since
    /// recording it makes the next check read the database again.
    private var notHeldAt: ContinuousClock.Instant?
    static let heldCheckInterval: Duration = .milliseconds(250)

    private func queueIsHeld() async throws -> Bool {
        if let notHeldAt, ContinuousClock.now - notHeldAt < Self.heldCheckInterval { return false }
        let held = try await database.hasHeldLeads()
        notHeldAt = held ? nil : ContinuousClock.now
        return held
    }

    /// A recorded outcome that holds the queue ends the grace of the last check.
    private func noted(_ lead: StoredLead) -> StoredLead {
        if lead.state == .held { notHeldAt = nil }
        return lead
    }

    /// Delivers due leads one after another, telling `next` of each as it is recorded, until
    /// nothing is due now or `next` says to stop. The one loop behind the console's background
    /// delivery, `submit` waiting for its lead, and each import worker. Each lead's outcome and
    /// the claim of the next are one transaction.
    public func deliverDue(_ next: @Sendable (StoredLead) async -> Bool) async throws {
        var claimed: StoredLead?
        switch try await begin(now: Date()) {
        case nil: return
        case .held(let lead):
            _ = await next(lead)
            return
        case .claimed(let lead): claimed = lead
        }
        while let lead = claimed {
            guard let (recorded, following) = try await attempt(lead, claimNext: true) else { return }
            guard await next(recorded) else {
                if let following { try await database.requeue(id: following.id) }
                return
            }
            claimed = following
        }
    }

    /// Delivers until nothing is due now. Returns the leads it recorded, in order.
    public func deliverAllDue() async throws -> [StoredLead] {
        let done = Recorded()
        try await deliverDue { lead in
            await done.append(lead)
            return true
        }
        return await done.leads
    }

    private actor Recorded {
        var leads: [StoredLead] = []
        func append(_ lead: StoredLead) { leads.append(lead) }
    }
}
