import ConsoleState
import Foundation
import ParamantraAPI
import Testing

@testable import LeadConsoleUI

/// Plain mode's words: prompts, answers, commands and lines, each plain text on one line.
@Suite("plain mode's words")
struct PlainTextTests {
    @Test func aPromptShowsTheValueKeptInBrackets() {
        #expect(PlainText.prompt(.subject, value: "Walk-in") == "Subject [Walk-in]: ")
        #expect(PlainText.prompt(.firstName, value: "") == "First name: ")
        #expect(PlainText.prompt(.alertRep, value: "1") == "Alert rep [yes]: ")
        #expect(PlainText.prompt(.alertClient, value: "0") == "Alert customer [no]: ")
        // A value from outside is said without its escape sequences.
        #expect(PlainText.prompt(.notes, value: "a\u{1B}[2Jb") == "Notes [ab]: ")
    }

    @Test func answersKeepClearSetOrCommand() {
        #expect(PlainText.answer("", field: .subject) == .keep)
        #expect(PlainText.answer("  ", field: .subject) == .keep)
        #expect(PlainText.answer("-", field: .subject) == .clear)
        #expect(PlainText.answer(" Asha ", field: .firstName) == .value("Asha"))
        #expect(PlainText.answer("y", field: .alertRep) == .value("1"))
        #expect(PlainText.answer("No", field: .alertClient) == .value("0"))
        #expect(PlainText.answer("?", field: .phone) == .command(.help))
        #expect(PlainText.answer("!history", field: .phone) == .command(.history))
        #expect(PlainText.answer("!edit 12", field: .phone) == .command(.edit(12)))
        #expect(PlainText.answer("!edit #12", field: .phone) == .command(.edit(12)))
        #expect(PlainText.answer("!edit", field: .phone) == .command(.unknown("!edit")))
        #expect(PlainText.answer("!quit", field: .phone) == .command(.quit))
        #expect(PlainText.answer("!retry", field: .phone) == .command(.retry))
        #expect(PlainText.answer("!send", field: .phone) == .command(.send))
        #expect(PlainText.answer("!frobnicate", field: .phone) == .command(.unknown("!frobnicate")))
    }

    @Test func linesAreShortAndSayNoKeysOfTheFullScreen() {
        for line in PlainText.intro + PlainText.help { #expect(line.count < 80, "\(line)") }
        #expect(
            PlainText.message("Lead #4 is in the form: fix it and press Ctrl-S to send it again")
                == "Lead #4 is in the form: fix it; it is sent again as the same record")
        let problem = FieldProblem(.phone, "Phone must have ten digits after the country code (found 5)")
        #expect(PlainText.problemLine(problem) == "Phone must have ten digits after the country code (found 5)")
        #expect(PlainText.problemLine(FieldProblem(.email, "looks wrong")) == "Email: looks wrong")
    }

    @Test func aHistoryLineSaysWhatBecameOfTheLead() {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        var lead = StoredLead(
            id: 7, uuid: UUID(), createdAt: now, updatedAt: now,
            lead: Lead(firstName: "Asha", lastName: "Rao", phone: "9876543210", subject: "s", channel: "c", rep: "r"),
            phone: "9876543210", state: .accepted, crmID: "2880", attempts: 1, nextAttemptAt: nil, lastError: nil,
            uncertain: false)
        #expect(PlainText.historyLine(lead, now: now).hasPrefix("#7 "))
        #expect(PlainText.historyLine(lead, now: now).hasSuffix(" Asha Rao 9876543210 accepted as CRM #2880"))
        lead.state = .queued
        #expect(PlainText.historyLine(lead, now: now).hasSuffix(" queued") == false)
        lead.attempts = 0
        #expect(PlainText.historyLine(lead, now: now).hasSuffix(" queued"))
    }
}
