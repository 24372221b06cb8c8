import ConsoleState
import Foundation
import ParamantraAPI

/// The returning customer's card under the phone, as the rep reads it while the customer is
/// still at the desk: "seen 2× as Rahul Kumar · last 27 Nov · CRM #2880 · rep smith · GreenGreen ·
/// Walk-in".
/// Pure: `now` decides between "today 14:05" and a date.
enum CustomerCard {
    static func text(_ customer: ReturningCustomer, now: Date) -> String {
        let last = customer.last
        // Who it was comes first: the rest may be cut at the edge of the screen, the name is not.
        let names = customer.names.map { $0.count > 30 ? String($0.prefix(29)) + "…" : $0 }
        let who = names.isEmpty ? "" : " as " + names.joined(separator: ", ")
        var parts = ["seen \(customer.visits)×" + who, "last " + Clock.day(last.createdAt, now: now)]
        switch last.state {
        case .accepted, .duplicate: if let crm = last.crmID { parts.append("CRM #\(crm)") }
        default: parts.append(last.state.rawValue)
        }
        if !last.lead.rep.isEmpty { parts.append("rep \(last.lead.rep)") }
        for value in [last.lead.project, last.lead.channel] where !value.isEmpty { parts.append(value) }
        return TerminalText.clean(parts.joined(separator: " · "))
    }
}
