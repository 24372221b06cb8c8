import ConsoleState
import Foundation
import ParamantraAPI

/// The words of plain mode (`leadconsole prompt`): one line per thing said, no cursor movement,
/// no colour, nothing drawn twice, so a screen reader reads each once and `expect` can match
/// them. Pure: the session (`PlainPrompt`) says them.
public enum PlainText {
    /// What a line typed at a field's prompt means.
    public enum Answer: Equatable, Sendable {
        /// Enter alone: the value in brackets stays.
        case keep
        /// `-`: the field emptied.
        case clear
        case value(String)
        case command(Command)
    }

    public enum Command: Equatable, Sendable {
        case help, history, retry, quit, send
        case edit(Int64)
        /// A `!` word this mode does not know (said back, with the help).
        case unknown(String)
    }

    /// Said once at the start; lines under 80 columns, as a serial terminal shows them.
    public static let intro = [
        "LeadConsole, plain mode: each field is asked on its own line.",
        "Enter keeps the value in brackets, - clears it, ? lists the commands."
    ]

    public static let help = [
        "Commands, at any prompt:",
        "  ?          this help",
        "  !send      send the lead now, the fields not yet asked as they are",
        "  !history   the last ten leads and what became of them",
        "  !edit N    lead N asked again with its values; a rejected or held one",
        "             is fixed in place and sent again as the same record",
        "  !retry     send what waits now",
        "  !quit      leave (Ctrl-D too); a lead typed and not sent is kept for",
        "             the next start"
    ]

    /// `Subject [Walk-in]: `: the field's name, its value now in brackets when it has one.
    public static func prompt(_ field: LeadField, value: String) -> String {
        let shown: String
        switch field {
        case .alertClient, .alertRep: shown = value == "1" ? "yes" : "no"
        default: shown = TerminalText.clean(value)
        }
        return field.label + (shown.isEmpty ? "" : " [\(shown)]") + ": "
    }

    /// A line typed at `field`'s prompt.
    public static func answer(_ line: String, field: LeadField) -> Answer {
        let trimmed = line.trimmingSpace()
        if trimmed.isEmpty { return .keep }
        if trimmed == "-" { return .clear }
        if trimmed == "?" { return .command(.help) }
        if trimmed.hasPrefix("!") { return .command(command(trimmed)) }
        switch field {
        case .alertClient, .alertRep:
            if ["y", "yes", "1", "true"].contains(trimmed.lowercased()) { return .value("1") }
            if ["n", "no", "0", "false"].contains(trimmed.lowercased()) { return .value("0") }
            return .value(trimmed)
        default:
            return .value(TerminalText.clean(trimmed))
        }
    }

    static func command(_ text: String) -> Command {
        let words = text.dropFirst().split(whereSeparator: \.isWhitespace).map(String.init)
        switch words.first?.lowercased() ?? "" {
        case "help": return .help
        case "history": return .history
        case "retry": return .retry
        case "quit", "exit": return .quit
        case "send": return .send
        case "edit":
            if words.count == 2, let id = Int64(words[1].drop { $0 == "#" }), id > 0 { return .edit(id) }
            return .unknown(text)
        default: return .unknown(text)
        }
    }

    /// A lead of the history as one line: `#12 14:05 Asha Rao 9876543210 rejected: …`.
    public static func historyLine(_ lead: StoredLead, now: Date) -> String {
        let name = [lead.lead.firstName, lead.lead.lastName].filter { !$0.isEmpty }.joined(separator: " ")
        var line = "#\(lead.id) \(Clock.short(lead.createdAt, now: now)) \(name.isEmpty ? "-" : name) \(lead.phone) "
        switch lead.state {
        case .accepted: line += "accepted" + (lead.crmID.map { " as CRM #\($0)" } ?? "")
        case .duplicate: line += "already in the CRM" + (lead.crmID.map { " as #\($0)" } ?? "")
        case .rejected: line += lead.rejection
        case .held: line += "held: " + (lead.lastError ?? "")
        case .queued: line += lead.attempts == 0 ? "queued" : "waiting: " + (lead.lastError ?? "")
        case .sending: line += "sending"
        }
        return TerminalText.clean(line)
    }

    /// The console's messages name its keys; plain mode says its own commands instead.
    static let keyWords: [(String, String)] = [
        ("fix it and press Ctrl-S to send it again", "fix it; it is sent again as the same record"),
        ("F4 to fix, F5 to try again", "leadconsole config to fix, !retry to try again"),
        ("set it in Settings (F4)", "set it with leadconsole config"), ("Settings (F4)", "leadconsole config")
    ]

    /// A message of the store as plain mode says it.
    public static func message(_ text: String) -> String {
        keyWords.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    /// What a problem at a field says: `Phone: must be ten digits…`.
    public static func problemLine(_ problem: FieldProblem) -> String {
        // Most messages name their field already ("Phone must have ten digits…").
        let named = problem.message.hasPrefix(problem.field.label)
        return TerminalText.clean(named ? problem.message : "\(problem.field.label): \(problem.message)")
    }

    /// The returning-customer card as one line.
    public static func customerLine(_ customer: ReturningCustomer, now: Date) -> String {
        "Returning customer: " + CustomerCard.text(customer, now: now)
    }
}
