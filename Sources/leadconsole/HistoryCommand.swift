import ArgumentParser
import Foundation
import LeadOutbox
import LeadTransfer
import ParamantraAPI

/// `leadconsole history`: what was sent and what became of it, newest first.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List sent leads and their states, newest first.")

    @Option(help: "Only leads in this state: \(LeadState.allCases.map(\.rawValue).joined(separator: ", ")).") var state:
        LeadState?
    @Option(help: "Only leads whose name, phone or email contains this text.") var search: String?
    @Option(help: "At most this many leads.") var limit = 50
    @Option(help: ArgumentHelp("Only leads older than this lead id (the next page).", valueName: "id")) var before:
        Int64?
    @Flag(help: "Print a JSON array.") var json = false
    @OptionGroup var store: StoreOptions

    mutating func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1-100000") }
    }

    func run() async throws {
        try await failing {
            // Read-only: works while another process writes, and on read-only media.
            let database = try store.reader()
            let leads =
                try await database?.history(
                    HistoryQuery(state: state, search: search, before: before, limit: limit)) ?? []
            if json {
                writeLine(try LeadExport.jsonArray(leads))
                return
            }
            if leads.isEmpty {
                writeLine(
                    "no leads" + (state.map { " in state \($0.rawValue)" } ?? "")
                        + (search.map { " matching \"\(TerminalText.clean($0))\"" } ?? ""))
                return
            }
            for lead in leads { writeLine(Self.line(lead)) }
        }
    }

    /// Local time with the zone's offset: "2026-11-30 09:15:02 +0530".
    nonisolated(unsafe) static let localTime: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        return formatter
    }()

    static func line(_ lead: StoredLead) -> String {
        let name = TerminalText.clean("\(lead.lead.firstName) \(lead.lead.lastName)", invisibles: .show)
            .trimmingSpace(newlines: false)
        let when = Self.localTime.string(from: lead.createdAt)
        var text =
            "#\(lead.id)  \(when)  \(lead.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(lead.phone)  \(name.isEmpty ? "-" : name)"
        if let crm = lead.crmID { text += "  CRM #\(crm)" }
        if !lead.state.isDelivered, let error = lead.lastError { text += "  (\(TerminalText.clean(error)))" }
        return text
    }
}

extension LeadState: ExpressibleByArgument {}
