import ContactCards
import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import ConsoleState

/// Reducer tests: send an action, expect exactly this state change and these effects.
@Suite("Reducer")
struct ReducerTests {
    static var settings: Settings {
        var settings = Settings()
        settings.defaultSubject = "Walk-in at Expo"
        settings.defaultChannel = "Walk-in"
        settings.defaultRep = "smith"
        settings.defaultProject = "GreenGreen"
        settings.alertRep = true
        settings.apiKey = "test-key-0000-1111"
        settings.appName = "ACME"
        return settings
    }

    /// Sends `action`, checks the effects, and that the state changed exactly as `change` says.
    func expect(
        _ state: inout AppState, _ action: Action, effects expected: [Effect],
        _ change: (inout AppState) -> Void = { _ in }, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var want = state
        change(&want)
        let effects = reduce(&state, action)
        #expect(effects == expected, sourceLocation: sourceLocation)
        #expect(state == want, sourceLocation: sourceLocation)
    }

    func stored(
        _ id: Int64, phone: String = "9876543210", state: LeadState = .queued, crm: String? = nil,
        first: String = "Asha"
    ) -> StoredLead {
        StoredLead(
            id: id, uuid: UUID(), createdAt: Date(timeIntervalSince1970: 1_795_000_000),
            updatedAt: Date(timeIntervalSince1970: 1_795_000_000),
            lead: Lead(firstName: first, phone: phone, subject: "s", channel: "c", rep: "r"), phone: phone,
            state: state,
            crmID: crm, attempts: 0, nextAttemptAt: nil,
            lastError: state == .rejected ? "rejected by the CRM (HTTP 402): no" : nil,
            uncertain: false)
    }

    @Test func aNewFormStartsFromTheSettingsDefaults() {
        let state = AppState(settings: Self.settings)
        #expect(
            state.form.lead
                == Lead(
                    project: "GreenGreen", subject: "Walk-in at Expo", channel: "Walk-in", rep: "smith", alertRep: true)
        )
        #expect(state.form.focus == .firstName)
    }

    @Test func startingLoadsTheHistory() {
        var settings = Self.settings
        settings.apiKey = "sk-live-abcdefgh12345678"
        settings.appName = "EXPO"
        var state = AppState(settings: settings)
        expect(&state, .started, effects: [.loadHistoryPane(HistoryQuery(limit: 50)), .loadSuggestions])
    }

    @Test func aFirstStartWithoutCredentialsOpensTheSettingsAndSaysWhatToFillIn() {
        var settings = Self.settings
        settings.apiKey = ""
        settings.appName = ""
        var state = AppState(settings: settings)
        expect(&state, .started, effects: [.loadHistoryPane(HistoryQuery(limit: 50)), .loadSuggestions]) {
            $0.screen = .settings
            $0.settingsForm = SettingsForm(settings, notice: firstStartNotice)
            $0.settingsForm?.focus = .apiKey
            $0.settingsForm?.caret = 0
        }
        #expect(state.settingsForm?.notice?.contains("API key") == true)
    }

    @Test func typingChangesOnlyTheFieldAndPutsTheCaretWhereTheKeyMapSays() {
        var state = AppState(settings: Self.settings)
        expect(&state, .edit(.firstName, "नमस्ते"), effects: []) {
            $0.form.lead.firstName = "नमस्ते"
            $0.form.caret = "नमस्ते".count
        }
        expect(&state, .edit(.firstName, "नमस्ते!", caret: 1), effects: []) {
            $0.form.lead.firstName = "नमस्ते!"
            $0.form.caret = 1
        }
        // A caret past the end stops at the end; moving it changes nothing else.
        expect(&state, .moveCaret(99), effects: []) { $0.form.caret = "नमस्ते!".count }
        // Another field's text never moves the caret of the focused one.
        expect(&state, .edit(.lastName, "Rao"), effects: []) { $0.form.lead.lastName = "Rao" }
        expect(&state, .focus(.lastName), effects: []) {
            $0.form.focus = .lastName
            $0.form.caret = 3
        }
    }

    @Test func leavingAFieldShowsItsProblemAndFixingItClearsIt() {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.phone, "12345"))
        state.form.focus = .phone
        expect(&state, .focus(.email), effects: []) {
            $0.form.focus = .email
            $0.form.problems[.phone] = FieldProblem(
                .phone, "Phone must have ten digits after the country code (found 5)")
        }
        // Ten valid digits: the returning-customer look-up starts.
        expect(&state, .edit(.phone, "9876543210"), effects: [.lookUpCustomer(PhoneNumber(tenDigits: "9876543210"))]) {
            $0.form.lead.phone = "9876543210"
            $0.form.problems[.phone] = nil
            $0.form.customer = .asking(phone: "9876543210")
        }
    }

    @Test func submittingAnInvalidFormShowsEveryProblemAndFocusesTheFirst() {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .edit(.email, "nope"))
        expect(&state, .submit, effects: []) {
            $0.form.problems = [
                .phone: FieldProblem(.phone, "Phone is required"),
                .email: FieldProblem(.email, "Email needs an @ (name@example.com)"),
                .subject: FieldProblem(.subject, "Subject is required"),
                .channel: FieldProblem(.channel, "Channel is required"),
                .rep: FieldProblem(.rep, "Rep is required")
            ]
            $0.form.focus = .phone
            // The message line says so too: never an earlier lead's result above this error.
            $0.banners = [Banner(id: 1, kind: .error, text: "Not sent: 5 problems to fix, shown at their fields")]
            $0.nextBannerID = 2
        }
    }

    @Test func aQueuedLeadRefreshesTheRollingBackupWhenAFolderIsSet() throws {
        var settings = Self.settings
        settings.backupDir = "/media/usb/leads"
        var state = AppState(settings: settings)
        let effects = reduce(&state, .queued(token: 0, stored(1)))
        #expect(effects.last == .backUp(into: "/media/usb/leads"))
        var without = AppState(settings: Self.settings)
        #expect(
            !reduce(&without, .queued(token: 0, stored(1))).contains { if case .backUp = $0 { true } else { false } })
    }

    @Test func aValidSubmitTakesTheLeadAsItIsAndFreesTheFormAtOnce() throws {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.firstName, "Asha"))
        _ = reduce(&state, .edit(.phone, "+91 98765 43210"))
        let valid = try state.form.lead.validated().get()
        let typed = state.form
        expect(&state, .submit, effects: [.lookUpPhone(token: 1, PhoneNumber(tenDigits: "9876543210"))]) {
            $0.saving = [1: PendingSave(valid: valid, form: typed)]
            $0.nextSaveToken = 2
            // The next walk-in starts now; subject, channel, rep, project and alerts stay.
            $0.form.lead.firstName = ""
            $0.form.lead.phone = ""
            $0.form.customer = nil
            $0.form.focus = .firstName
            $0.form.caret = 0
        }
        #expect(
            state.form.lead.subject == "Walk-in at Expo" && state.form.lead.rep == "smith" && state.form.lead.alertRep)
        // A second Ctrl-S on the emptied form is a double press: nothing happens.
        expect(&state, .submit, effects: [])
        // Keys typed before the save finishes belong to the next lead, never to this one.
        _ = reduce(&state, .edit(.firstName, "B"))
        expect(&state, .lookedUp(token: 1, earlier: nil), effects: [.enqueue(token: 1, valid)])
        let queued = stored(1)
        expect(&state, .queued(token: 1, queued), effects: [.loadHistoryPane(HistoryQuery(limit: 50)), .wakeDeliverer])
        {
            $0.saving = [:]
            $0.banners = [Banner(id: 1, kind: .info, text: "Saved Asha: sending…")]
            $0.nextBannerID = 2
            // Its values are the first suggestions now.
            $0.suggestions = Suggestions(values: [.subject: ["s"], .channel: ["c"], .rep: ["r"]])
        }
        #expect(state.form.lead.firstName == "B")
    }

    @Test func aBurstOfLeadsKeepsEachOneExact() throws {
        var state = AppState(settings: Self.settings)
        var effects: [Effect] = []
        for n in 0..<3 {
            _ = reduce(&state, .edit(.firstName, "Guest\(n)"))
            _ = reduce(&state, .edit(.phone, "987654321\(n)"))
            effects += reduce(&state, .submit)
        }
        #expect(effects.count == 3 && state.saving.count == 3)
        // The look-ups come back in any order; each saves its own lead.
        for token in [3, 1, 2] {
            let saved = reduce(&state, .lookedUp(token: token, earlier: nil))
            guard case .enqueue(token, let valid) = saved.first else {
                Issue.record("\(saved)")
                continue
            }
            #expect(valid.lead.firstName == "Guest\(token - 1)" && valid.phone.tenDigits == "987654321\(token - 1)")
        }
    }

    @Test func aKnownPhoneWarnsAndASecondSubmitSendsAnyway() throws {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.phone, "9876543210"))
        let typed = state.form
        _ = reduce(&state, .submit)
        let earlier = stored(7, state: .accepted, crm: "2882")
        // Nothing typed since: the lead comes back with the warning.
        expect(&state, .lookedUp(token: 1, earlier: earlier), effects: []) {
            $0.saving = [:]
            $0.form = typed
            $0.form.duplicateWarning = "Already sent on 2026-11-18 as CRM #2882 (lead #7); Ctrl-S again sends anyway"
            $0.form.warnedPhone = "9876543210"
            $0.form.focus = .phone
            $0.form.caret = 10
        }
        let valid = try state.form.lead.validated().get()
        #expect(reduce(&state, .submit) == [.enqueue(token: 2, valid)])
    }

    @Test func aKnownPhoneFoundWhileTheNextLeadIsTypedIsSavedAnyway() throws {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.phone, "9876543210"))
        let valid = try state.form.lead.validated().get()
        _ = reduce(&state, .submit)
        _ = reduce(&state, .edit(.firstName, "Next"))
        #expect(
            reduce(&state, .lookedUp(token: 1, earlier: stored(7, state: .accepted, crm: "2882"))) == [
                .enqueue(token: 1, valid)
            ])
        #expect(state.form.lead.firstName == "Next")
        #expect(state.banners.last?.text == "9876543210: this phone was sent before (lead #7); saved again")
    }

    @Test func aFailedSaveGivesTheLeadBackNeverLosingTheNextOne() throws {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.firstName, "Asha"))
        _ = reduce(&state, .edit(.phone, "9876543210"))
        let first = state.form
        _ = reduce(&state, .submit)
        // The form is empty: the lead is back in it at once.
        _ = reduce(&state, .saveFailed(token: 1, "disk full"))
        #expect(state.form == first && state.saving.isEmpty)
        #expect(state.banners.last?.text == "Not saved Asha: disk full; it is back in the form")
        // The rep has moved on: the failed lead waits for the form and comes back after this one.
        _ = reduce(&state, .submit)
        _ = reduce(&state, .edit(.firstName, "Ravi"))
        _ = reduce(&state, .edit(.phone, "9876543211"))
        _ = reduce(&state, .saveFailed(token: 2, "disk full"))
        #expect(state.form.lead.firstName == "Ravi" && state.unsaved.count == 1)
        _ = reduce(&state, .submit)
        #expect(state.form.lead.firstName == "Asha" && state.unsaved.isEmpty)
    }

    @Test func theReturningCustomerIsKnownAsThePhoneIsTypedAndOneCtrlSSends() throws {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.firstName, "Asha"))
        // Nine digits: nothing to ask yet.
        #expect(reduce(&state, .edit(.phone, "98765 4321")).isEmpty && state.form.customer == nil)
        #expect(reduce(&state, .edit(.phone, "98765 43210")) == [.lookUpCustomer(PhoneNumber(tenDigits: "9876543210"))])
        // The same number spelt another way is not asked again.
        #expect(reduce(&state, .edit(.phone, "+91 98765 43210")).isEmpty)
        // An answer for a number no longer in the form is dropped.
        let seen = ReturningCustomer(phone: "9876543210", visits: 2, last: stored(7, state: .accepted, crm: "2880"))
        _ = reduce(&state, .customerLookedUp(phone: "9999999999", seen))
        #expect(state.form.customer == .asking(phone: "9876543210"))
        expect(&state, .customerLookedUp(phone: "9876543210", seen), effects: []) {
            $0.form.customer = .returning(seen)
        }
        // The rep has seen the card: one Ctrl-S queues it (no second look-up, no second press).
        let valid = try state.form.lead.validated().get()
        #expect(reduce(&state, .submit) == [.enqueue(token: 1, valid)])
        #expect(state.form.customer == nil)
        // A new customer: also straight through.
        _ = reduce(&state, .edit(.phone, "9123456780"))
        _ = reduce(&state, .customerLookedUp(phone: "9123456780", nil))
        #expect(state.form.customer == .new(phone: "9123456780"))
        #expect(
            reduce(&state, .submit) == [
                .enqueue(
                    token: 2,
                    try Lead(
                        phone: "9123456780", project: "GreenGreen", subject: "Walk-in at Expo", channel: "Walk-in",
                        rep: "smith", alertRep: true
                    ).validated().get())
            ])
    }

    @Test func ctrlNClearsForTheNextCustomerAndCtrlYUndoesIt() {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.firstName, "Asha"))
        _ = reduce(&state, .edit(.project, "Skyline Towers"))
        state.form.resending = 12  // a rejected lead copied in with e
        let typed = state.form
        _ = reduce(&state, .clearForm)
        #expect(state.form.lead.firstName == "" && state.form.resending == nil)
        #expect(state.form.lead.project == "Skyline Towers" && state.form.lead.subject == "Walk-in at Expo")  // kept
        #expect(
            state.banners.last?.text.hasPrefix("Form cleared for the next customer · Ctrl-Y brings it back") == true)
        _ = reduce(&state, .restoreClearedForm)
        #expect(state.form == typed && state.cleared == nil)
        // Cleared, then Ctrl-N on the empty form: the kept fields back to the defaults too.
        _ = reduce(&state, .clearForm)
        _ = reduce(&state, .clearForm)
        #expect(state.form == FormState(settings: Self.settings))
        #expect(state.banners.last?.text == "Kept fields back to the settings' defaults")
        // Ctrl-Y never overwrites a customer being typed.
        _ = reduce(&state, .edit(.firstName, "Ravi"))
        _ = reduce(&state, .restoreClearedForm)
        #expect(state.form.lead.firstName == "Ravi")
    }

    @Test func withKeepProjectOffProjectAndAlertsGoBackToTheDefaultsAfterALead() throws {
        var settings = Self.settings
        settings.keepProject = false
        var state = AppState(settings: settings)
        #expect(FormState.keptFields(settings) == [.subject, .channel, .rep])
        #expect(FormState.keptFields(Self.settings).contains(.project))
        _ = reduce(&state, .edit(.firstName, "Asha"))
        _ = reduce(&state, .edit(.phone, "9876543210"))
        _ = reduce(&state, .edit(.project, "Skyline Towers"))
        _ = reduce(&state, .edit(.channel, "Expo"))
        state.form.lead.alertClient = true
        _ = reduce(&state, .submit)
        #expect(state.form.lead.project == "GreenGreen" && !state.form.lead.alertClient)
        #expect(state.form.lead.channel == "Expo")  // Subject, Channel and Rep always stay
    }

    @Test func valuesUsedBeforeCompleteWhatIsTypedMostRecentFirst() {
        var suggestions = Suggestions(values: [.channel: ["Expo 2026", "Walk-in", "Expo 2025", "Expo 2026"]])
        #expect(suggestions.completion(.channel, typed: "Ex") == "Expo 2026")
        #expect(suggestions.completion(.channel, typed: "ex") == "Expo 2026")  // any case
        #expect(suggestions.completion(.channel, typed: "Expo 2025") == nil)  // nothing longer
        #expect(suggestions.completion(.channel, typed: "") == nil)
        #expect(suggestions.completion(.notes, typed: "Ex") == nil)  // only the four fields
        suggestions.note(Lead(project: "Skyline", subject: "s", channel: "Expo 2025 Hall B", rep: "r"))
        #expect(suggestions.completion(.channel, typed: "Ex") == "Expo 2025 Hall B")
        #expect(suggestions.values[.channel]?.count == 4)  // distinct
        #expect(suggestions.completion(.project, typed: "Sky") == "Skyline")
    }

    /// "sm" typed with "smithparkar" drawn dim after it: Ctrl-S does not send a value the
    /// screen does not show. It asks; Ctrl-S again sends "sm"; Tab (the key map) takes the
    /// completion, and then Ctrl-S sends that.
    @Test func ctrlSWithACompletionOnScreenAsksFirst() {
        var state = AppState(settings: Self.settings)
        state.suggestions = Suggestions(values: [.rep: ["smithparkar"]])
        _ = reduce(&state, .edit(.firstName, "Imran"))
        _ = reduce(&state, .edit(.phone, "9876543210"))
        _ = reduce(&state, .focus(.rep))
        _ = reduce(&state, .edit(.rep, "sm", caret: 2))
        #expect(state.visibleCompletion?.completion == "smithparkar")
        let before = state.form
        #expect(reduce(&state, .submit).isEmpty)
        #expect(state.saving.isEmpty && state.form.lead == before.lead && state.form.focus == .rep)
        #expect(state.form.askedCompletion == VisibleCompletion(field: .rep, typed: "sm", completion: "smithparkar"))
        #expect(state.banners.last?.text == "Not sent: Rep \"sm\" — Tab takes smithparkar, Ctrl-S again sends \"sm\"")
        let again = reduce(&state, .submit)
        #expect(again == [.lookUpPhone(token: 1, PhoneNumber(tenDigits: "9876543210"))])
        #expect(state.saving[1]?.valid.lead.rep == "sm")
        // Changed after the question (or another field): asked again, for what shows now.
        state = AppState(settings: Self.settings)
        state.suggestions = Suggestions(values: [.rep: ["smithparkar"]])
        _ = reduce(&state, .edit(.firstName, "Imran"))
        _ = reduce(&state, .edit(.phone, "9876543210"))
        _ = reduce(&state, .focus(.rep))
        _ = reduce(&state, .edit(.rep, "s", caret: 1))
        #expect(reduce(&state, .submit).isEmpty)
        _ = reduce(&state, .edit(.rep, "sm", caret: 2))
        #expect(reduce(&state, .submit).isEmpty, "the question was about \"s\"")
        // The caret inside the text: no completion is drawn, nothing to ask.
        _ = reduce(&state, .moveCaret(1))
        #expect(state.visibleCompletion == nil)
        #expect(!reduce(&state, .submit).isEmpty)
    }

    @Test func changingThePhoneClearsTheWarning() {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.phone, "9876543210"))
        _ = reduce(&state, .submit)
        _ = reduce(&state, .lookedUp(token: 1, earlier: stored(7, state: .accepted, crm: "1")))
        expect(&state, .edit(.phone, "9876543211"), effects: [.lookUpCustomer(PhoneNumber(tenDigits: "9876543211"))]) {
            $0.form.lead.phone = "9876543211"
            $0.form.caret = 10
            $0.form.duplicateWarning = nil
            $0.form.warnedPhone = nil
            $0.form.customer = .asking(phone: "9876543211")
        }
    }

    @Test func historyAndDeliveryStatus() {
        var state = AppState(settings: Self.settings)
        let rows = [stored(2), stored(1, state: .accepted, crm: "9")]
        let due = Date(timeIntervalSince1970: 1_795_000_030)
        expect(
            &state,
            .historyPaneLoaded(
                HistoryPanePage(rows: rows, counts: [.queued: 1, .accepted: 1], nextDue: due, hold: nil)),
            effects: []
        ) {
            $0.historyPane.rows = rows
            $0.historyPane.counts = [.queued: 1, .accepted: 1]
            $0.historyPane.loaded = true
            $0.delivery = .waiting(queued: 1, nextAttempt: due)
        }
        expect(
            &state,
            .historyPaneLoaded(HistoryPanePage(rows: rows, counts: [.held: 1], nextDue: nil, hold: .credentials)),
            effects: []
        ) {
            $0.historyPane.counts = [.held: 1]
            $0.delivery = .held(.credentials)
        }
    }

    @Test func aDeliveryUpdatesTheRowAndSaysWhatHappened() {
        var state = AppState(settings: Self.settings)
        state.historyPane.rows = [stored(1)]
        let done = stored(1, state: .accepted, crm: "2882")
        expect(&state, .delivered(done), effects: [.loadHistoryPane(HistoryQuery(limit: 50))]) {
            $0.historyPane.rows = [done]
            $0.banners = [Banner(id: 1, kind: .success, text: "Asha: accepted as CRM #2882")]
            $0.nextBannerID = 2
        }
    }

    @Test func serverTextInBannersIsCleaned() {
        var state = AppState(settings: Self.settings)
        var rejected = stored(1, state: .rejected, first: "\u{1B}[2JEvil")
        rejected.lastError = "rejected: \u{1B}]0;title\u{07}bad"
        _ = reduce(&state, .delivered(rejected))
        // Cleaned, and the state said once.
        #expect(state.banners.map(\.text) == ["Evil: rejected: bad"])
    }

    @Test func retryNowSaysWhatItDoes() {
        var state = AppState(settings: Self.settings)
        expect(&state, .retryNow, effects: [.releaseAndRetry(Self.settings), .loadHistoryPane(HistoryQuery(limit: 50))])
        {
            $0.banners = [Banner(id: 1, kind: .info, text: "Nothing is waiting: every lead has had its answer")]
            $0.nextBannerID = 2
        }
        state.historyPane.counts = [.queued: 2, .held: 1, .accepted: 5]
        _ = reduce(&state, .retryNow)
        #expect(state.banners.last?.text == "Sending the 3 waiting now…")
    }

    @Test func newCredentialsReleaseTheHeldQueue() {
        var state = AppState(settings: Self.settings)
        var fixed = Self.settings
        fixed.apiKey = "new-key-1234567890"
        fixed.appName = "ACME"
        expect(
            &state, .settingsSaved(fixed), effects: [.releaseAndRetry(fixed), .loadHistoryPane(HistoryQuery(limit: 50))]
        ) {
            $0.settings = fixed
            $0.banners = [Banner(id: 1, kind: .success, text: "Settings saved")]
            $0.nextBannerID = 2
        }
        var onlyDefaults = fixed
        onlyDefaults.defaultRep = "other"
        let effects = reduce(&state, .settingsSaved(onlyDefaults))
        #expect(effects.isEmpty)
    }

    @Test func aRejectedLeadIsResentAsEdited() throws {
        var state = AppState(settings: Self.settings)
        let edited = Lead(firstName: "Asha", phone: "9876543210", subject: "s", channel: "Walk-in", rep: "smith")
        expect(&state, .resend(id: 4, lead: edited), effects: [.resend(token: 0, id: 4, try edited.validated().get())])
        var broken = edited
        broken.phone = "12"
        expect(&state, .resend(id: 4, lead: broken), effects: []) {
            $0.banners = [
                Banner(
                    id: 1, kind: .error,
                    text: "Lead #4 not sent again: Phone: Phone must have ten digits after the country code (found 2)")
            ]
            $0.nextBannerID = 2
        }
    }

    @Test func aResentLeadLeavesTheFormAlone() {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.firstName, "Typing a new one"))
        expect(
            &state, .resent(token: 0, stored(4)), effects: [.loadHistoryPane(HistoryQuery(limit: 50)), .wakeDeliverer]
        ) {
            $0.banners = [Banner(id: 1, kind: .info, text: "Sending lead #4 again…")]
            $0.nextBannerID = 2
        }
    }

    @Test func bannersAreBoundedAndDismissable() {
        var state = AppState(settings: Self.settings)
        for n in 0..<25 { _ = reduce(&state, .failed("problem \(n)")) }
        // The newest twenty: the line shows the last, the message log (F7) all of them.
        #expect(state.banners.map(\.text) == (5..<25).map { "problem \($0)" })
        expect(&state, .dismissBanner(10), effects: []) { $0.banners.removeAll { $0.id == 10 } }
    }

    /// A lead saved while the credentials are known bad comes back held: the line says so, never
    /// "sending…".
    @Test func aLeadSavedBehindAHoldSaysHeldNotSending() {
        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .edit(.firstName, "Imran"))
        _ = reduce(&state, .edit(.phone, "9876543210"))
        _ = reduce(&state, .submit)
        _ = reduce(&state, .lookedUp(token: 1, earlier: nil))
        var held = stored(1, state: .held, first: "Imran")
        held.hold = .credentials
        _ = reduce(&state, .queued(token: 1, held))
        #expect(
            state.banners.last?.text
                == "Saved Imran, held until the credentials are fixed — F4 to fix, F5 to try again")
        _ = reduce(&state, .edit(.firstName, "Asha"))
        _ = reduce(&state, .edit(.phone, "9876543211"))
        _ = reduce(&state, .submit)
        _ = reduce(&state, .lookedUp(token: 2, earlier: nil))
        _ = reduce(&state, .queued(token: 2, stored(2, first: "Asha")))
        #expect(state.banners.last?.text == "Saved Asha: sending…")
    }

    /// No key or app name: nothing can go out, and no screen pretends it is sending.
    @Test func withoutCredentialsLeadsAreSavedHeldAndF5SaysWhy() {
        var settings = Self.settings
        settings.apiKey = ""
        var state = AppState(settings: settings)
        _ = reduce(&state, .edit(.firstName, "Pooja"))
        _ = reduce(&state, .edit(.phone, "9876543210"))
        _ = reduce(&state, .submit)
        _ = reduce(&state, .lookedUp(token: 1, earlier: nil))
        _ = reduce(&state, .queued(token: 1, stored(1, first: "Pooja")))
        #expect(state.banners.last?.text == "Saved Pooja, held: no API key — set it in Settings (F4)")
        state.historyPane.counts = [.held: 1]
        expect(&state, .retryNow, effects: []) {
            $0.banners.append(
                Banner(id: 2, kind: .warning, text: "Cannot send the 1 waiting: no API key — set it in Settings (F4)"))
            $0.nextBannerID = 3
        }
    }

    @Test func aDraftComesBackOnlyIntoAnEmptyForm() {
        var state = AppState(settings: Self.settings)
        let draft = Lead(firstName: "Farah", phone: "98200 12345", subject: "Expo", channel: "Walk-in", rep: "smith")
        _ = reduce(&state, .restoreDraft(draft))
        #expect(state.form.lead == draft && state.form.focus == .firstName)
        #expect(
            state.banners.last?.text == "Put back the lead you were typing when the console was closed; Ctrl-S sends it"
        )
        var typing = AppState(settings: Self.settings)
        _ = reduce(&typing, .edit(.firstName, "Ravi"))
        #expect(reduce(&typing, .restoreDraft(draft)) == [] && typing.form.lead.firstName == "Ravi")
    }

    /// The scans that waited behind a kept lead go back in line: the lead into the form, the
    /// scans waiting, then each into the next free form after Ctrl-S; with no lead, the first
    /// fills the form at once. A form with typing keeps it, and the scans still wait.
    @Test func aDraftsWaitingScansGoBackInLine() {
        let draft = Lead(firstName: "Farah", phone: "98200 12345", subject: "Expo", channel: "Walk-in", rep: "smith")
        var lata = ScannedContact(kind: .meCard)
        (lata.firstName, lata.lastName, lata.phone) = ("Lata", "Iyer", "9820012345")
        var rahul = ScannedContact(kind: .vCard)
        (rahul.firstName, rahul.lastName, rahul.phone) = ("Rahul", "Kumar", "9820011111")

        var state = AppState(settings: Self.settings)
        _ = reduce(&state, .restoreDraft(draft, scans: [lata, rahul]))
        #expect(state.form.lead == draft && state.scans == [lata, rahul])
        #expect(
            state.banners.last?.text
                == "Put back the lead you were typing, and the 2 scans waiting behind it; Ctrl-S sends it"
        )

        var scansOnly = AppState(settings: Self.settings)
        _ = reduce(&scansOnly, .restoreDraft(Lead(), scans: [lata, rahul]))
        #expect(scansOnly.form.lead.firstName == "Lata" && scansOnly.form.lead.phone == "9820012345")
        #expect(scansOnly.scans == [rahul])
        #expect(
            scansOnly.banners.map(\.text).contains(
                "Put back 2 scans that waited when the console was closed, in their order"))

        var typing = AppState(settings: Self.settings)
        _ = reduce(&typing, .edit(.firstName, "Ravi"))
        _ = reduce(&typing, .restoreDraft(draft, scans: [lata]))
        #expect(typing.form.lead.firstName == "Ravi" && typing.scans == [lata])
    }

    @Test func ctrlSOnAnEmptyFormSaysSoWithoutMarkingFields() {
        var state = AppState(settings: Self.settings)
        expect(&state, .submit, effects: []) {
            $0.banners = [Banner(id: 1, kind: .info, text: "Nothing to send yet: type the customer's name and phone")]
            $0.nextBannerID = 2
        }
    }

    /// A draft whose fields are longer than the form allows goes back clipped to the limits.
    @Test func aRestoredDraftIsClippedToTheFieldLimits() {
        var state = AppState(settings: Settings())
        var lead = Lead()
        lead.notes = String(repeating: "n", count: 20_000)
        lead.firstName = String(repeating: "a", count: 500)
        _ = reduce(&state, .restoreDraft(lead))
        #expect(state.form.lead.notes.count == LeadField.notes.maxLength)
        #expect(state.form.lead.firstName.count == LeadField.firstName.maxLength)
    }
}
