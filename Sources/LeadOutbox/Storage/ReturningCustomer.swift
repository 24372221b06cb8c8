import Foundation

/// A phone the history has seen: how many leads and the newest of them.
public struct ReturningCustomer: Sendable, Equatable {
    public let phone: String
    public let visits: Int
    public let last: StoredLead
    /// The names the phone was saved under, newest first, each once (at most three): the rep
    /// who typed "Rahool" sees it was "Rahul Kumar".
    public let names: [String]

    public init(phone: String, visits: Int, last: StoredLead, names: [String] = []) {
        self.phone = phone
        self.visits = visits
        self.last = last
        self.names = names
    }
}
