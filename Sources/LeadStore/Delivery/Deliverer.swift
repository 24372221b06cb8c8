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

    public init(database: LeadDatabase, client: ParamantraClient, policy: RetryPolicy = .standard,
                phoneFormat: PhoneNumber.WireFormat = .tenDigits, credentials: Credentials?) {
        self.database = database
        self.client = client
        self.policy = policy
        self.phoneFormat = phoneFormat
        self.credentials = credentials
    }

    /// New settings: later attempts use these credentials and phone form.
    public func use(_ credentials: Credentials?, phoneFormat: PhoneNumber.WireFormat) {
        self.credentials = credentials
        self.phoneFormat = phoneFormat
    }

    /// Sends the oldest due lead, if any. Returns the lead as recorded after the attempt, or nil
    /// when nothing is due, no credentials are set, or a held lead stops the queue (refused
    /// credentials: the queue waits, across processes, until they are released).
    public func deliverNext(now: @Sendable () -> Date = Date.init) async throws -> StoredLead? {
        guard credentials != nil, !(try await database.hasHeldLeads()) else { return nil }
        guard let lead = try await database.claimNextDue(now: now()) else { return nil }
        // Read the credentials only now: `use` may have replaced them while this actor waited on
        // the database above (actor reentrancy), and a lead must never go out with refused ones.
        guard let credentials else {
            try await database.requeue(id: lead.id)
            return nil
        }
        let valid: ValidLead
        switch lead.lead.validated() {
        case .success(let ok): valid = ok
        case .failure(let failure):
            // Stored leads were valid when queued; rules may have tightened since. Never drop it.
            let report = DeliveryReport(outcome: .rejected(status: 0, message: failure.problems.map(\.description).joined(separator: "; ")),
                                        httpStatus: nil, rawBody: "", elapsed: .zero)
            return try await database.record(report, for: lead.id, policy: policy, now: now())
        }
        let report = await client.send(valid, credentials: credentials, phoneFormat: phoneFormat)
        return try await database.record(report, for: lead.id, policy: policy, now: now())
    }

    /// Delivers until nothing is due now. Returns the leads it recorded, in order.
    public func deliverAllDue() async throws -> [StoredLead] {
        var done: [StoredLead] = []
        while let lead = try await deliverNext() {
            done.append(lead)
        }
        return done
    }
}
