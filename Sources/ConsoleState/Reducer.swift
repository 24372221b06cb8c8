import Foundation
import LeadOutbox
import ParamantraAPI

/// The one place state changes. Pure: the same state and action give the same result and
/// effects, so every rule here is tested by "send this, expect exactly that".
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .started:
        // First start with no credentials: the settings screen says what to fill in.
        if state.settings.credentials == nil {
            var form = SettingsForm(
                state.settings, notice: firstStartNotice, readOnly: Set(state.environmentSources.keys))
            let missing: Settings.Key =
                state.settings.endpoint.isEmpty ? .endpoint : state.settings.apiKey.isEmpty ? .apiKey : .appName
            if let first = SettingsForm.editable(from: missing, step: 0, readOnly: form.readOnly) {
                form.focus(on: first)
            }
            state.settingsForm = form
            state.screen = .settings
        }
        return [.loadHistoryPane(state.historyPane.query), .loadSuggestions]

    case .suggestionsLoaded(let values):
        state.suggestions = Suggestions(values: values)
        return []

    case .edit(let field, let value, let caret, let length):
        // A key typed at the end says the new length, so a key into a long Notes costs what it
        // costs into a short one; other edits count the field once.
        state.form.set(field, value, length: length)
        if field == state.form.focus {
            state.form.caret = max(0, min(caret ?? .max, state.form.length(of: field)))
        }
        if field == .phone, state.form.warnedPhone != nil, state.form.warnedPhone != value {
            state.form.duplicateWarning = nil
            state.form.warnedPhone = nil
        }
        var effects: [Effect] = []
        if field == .phone {
            // Ten valid digits: who is this? (once per number; a changed number drops the card)
            if case .success(let phone) = PhoneNumber.parse(value) {
                if state.form.customer?.phone != phone.tenDigits {
                    state.form.customer = .asking(phone: phone.tenDigits)
                    effects.append(.lookUpCustomer(phone))
                }
            } else {
                state.form.customer = nil
            }
        }
        // A problem already shown goes away as soon as the field is right.
        if state.form.problems[field] != nil {
            state.form.problems[field] = state.form.lead.problems().first { $0.field == field }
        }
        return effects

    case .clearForm:
        if state.form.hasCustomerText || state.form.resending != nil {
            state.cleared = state.form
            state.form.clearCustomer(settings: state.settings)
            addBanner(
                &state, .info,
                "Form cleared for the next customer · Ctrl-Y brings it back · Ctrl-N again resets the kept fields")
        } else if state.scans.isEmpty {
            state.form = FormState(settings: state.settings)
            addBanner(&state, .info, "Kept fields back to the settings' defaults")
        }
        // A visitor scanned while the form was busy comes in now.
        return fillWaitingScan(&state)

    case .scanned(let text):
        return reduceScan(&state, text)

    case .restoreClearedForm:
        guard let cleared = state.cleared, !state.form.hasCustomerText, state.form.resending == nil else {
            if state.cleared != nil {
                addBanner(&state, .info, "The form holds a customer: send or clear it first (Ctrl-N)")
            }
            return []
        }
        state.form = cleared
        state.cleared = nil
        addBanner(&state, .info, "The form is back as it was before Ctrl-N")
        return []

    case .customerLookedUp(let phone, let customer):
        // Only for the number still in the form (a fast typist may have moved on).
        guard state.form.customer == .asking(phone: phone) else { return [] }
        state.form.customer = customer.map(CustomerLookup.returning) ?? .new(phone: phone)
        return []

    case .focus(let field):
        // Leaving a field shows its problems; an empty field not yet submitted stays quiet.
        let left = state.form.focus
        if left != field, !state.form.lead[left].isEmpty {
            state.form.problems[left] = state.form.lead.problems().first { $0.field == left }
        }
        state.form.focus(on: field)
        return []

    case .moveCaret(let caret):
        if state.screen == .settings, let form = state.settingsForm {
            state.settingsForm?.caret = max(0, min(caret, form.values[form.focus]?.count ?? 0))
        } else {
            state.form.caret = max(0, min(caret, state.form.length(of: state.form.focus)))
        }
        return []

    case .show(let screen):
        state.overlay = nil
        switch screen {
        case .main:
            state.screen = .main
            return []
        case .history:
            state.screen = .history
            state.historyScreen.loading = true
            return [.loadHistoryScreen(state.historyScreen.query(), .replace(atOldest: false))]
        case .settings:
            // A draft left open when the rep looked at another screen is still there.
            if state.settingsForm == nil {
                state.settingsForm = SettingsForm(state.settings, readOnly: Set(state.environmentSources.keys))
            }
            state.screen = .settings
            return []
        case .stats:
            state.screen = .stats
            state.stats.loading = true
            return [.loadStats(state.stats.period)]
        }

    case .showStats, .statsLoaded:
        return reduceStats(&state, action)

    case .saveSettings, .settingsSaved, .editSetting, .focusSetting, .toggleRevealKey, .submitSettings, .closeSettings:
        return reduceSettings(&state, action)

    case .showOverlay(let overlay):
        state.overlay = overlay
        return []

    case .browse, .historyScreenViewport, .historyScreenLoaded, .editSearch, .applySearch, .cycleFilter, .filter,
        .openDetail,
        .showLead, .selectPaneRow,
        .closeDetail,
        .scrollDetail, .detailViewport, .detailLoaded, .resendSelected, .copySelectedToForm:
        return reduceHistoryScreen(&state, action)

    case .submit:
        // A second Ctrl-S right after one (the form already cleared for the next lead) is a
        // double press, not a lead without a phone.
        if !state.saving.isEmpty, !state.form.hasCustomerText, state.form.resending == nil { return [] }
        // So is one on the scanned visitor that Ctrl-S just brought in: the rep has not seen it.
        if !state.saving.isEmpty, state.form.filledOnSend {
            addBanner(&state, .info, "Not sent: the form is the next scanned visitor's; look it over, then Ctrl-S")
            return []
        }
        // An empty form is not a lead with problems: say so, without marking fields red.
        if !state.form.hasCustomerText, state.form.resending == nil {
            addBanner(&state, .info, "Nothing to send yet: type the customer's name and phone")
            return []
        }
        // A completion on screen is not the value: the first Ctrl-S stops and asks; Tab takes
        // it, a second Ctrl-S sends what was typed.
        if let shown = state.visibleCompletion, state.form.askedCompletion != shown {
            state.form.askedCompletion = shown
            addBanner(
                &state, .warning,
                "Not sent: \(shown.field.label) \"\(shown.typed)\" — Tab takes \(shown.completion), Ctrl-S again sends \"\(shown.typed)\""
            )
            return []
        }
        switch state.form.lead.validated() {
        case .failure(let failure):
            state.form.problems = Dictionary(
                failure.problems.map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
            if let first = failure.errors.first { state.form.focus(on: first.field) }
            // The message line says it too, so an earlier lead's "accepted" never stands above
            // this error.
            let count = failure.errors.count
            addBanner(
                &state, .error,
                "Not sent: \(count) problem\(count == 1 ? "" : "s") to fix, shown at \(count == 1 ? "its field" : "their fields")"
            )
            return []
        case .success(let valid):
            // The lead is what the form holds now. The form is the next lead's at once: keys
            // typed from here on (a scanner, a paste, fast fingers) never reach this one.
            var snapshot = state.form
            snapshot.problems = Dictionary(
                valid.warnings.map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
            let token = state.nextSaveToken
            state.nextSaveToken += 1
            state.saving[token] = PendingSave(valid: valid, form: snapshot)
            state.form.clearCustomer(settings: state.settings)
            // A lead whose save failed while the rep typed this one comes back now; else the
            // next scanned visitor.
            if !state.unsaved.isEmpty { state.form = state.unsaved.removeFirst() }
            let next = fillWaitingScan(&state)
            // A lead copied from the history to fix: that record goes out again.
            if let id = snapshot.resending { return [.resend(token: token, id: id, valid)] + next }
            // Second Ctrl-S on a warned phone: send anyway.
            if snapshot.warnedPhone == snapshot.lead.phone, snapshot.duplicateWarning != nil {
                return [.enqueue(token: token, valid)] + next
            }
            // The card was on screen (or the phone is new): the rep has seen it; send.
            if let customer = snapshot.customer, customer.isAnswered, customer.phone == valid.phone.tenDigits {
                return [.enqueue(token: token, valid)] + next
            }
            return [.lookUpPhone(token: token, valid.phone)] + next
        }

    case .lookedUp(let token, let earlier):
        guard let pending = state.saving[token] else { return [] }
        guard let earlier else { return [.enqueue(token: token, pending.valid)] }
        if !state.form.hasCustomerText, state.form.resending == nil, state.saving.count == 1 {
            // Nothing typed since: the lead comes back with the warning; Ctrl-S again sends it.
            state.saving[token] = nil
            state.form = pending.form
            state.form.duplicateWarning = duplicateText(earlier)
            state.form.warnedPhone = pending.form.lead.phone
            state.form.focus(on: .phone)
            return []
        }
        // The rep is already on the next lead: this one is saved; the CRM answers "duplicate".
        addBanner(
            &state, .warning,
            "\(displayName(pending.valid)): this phone was sent before (lead #\(earlier.id)); saved again")
        return [.enqueue(token: token, pending.valid)]

    case .queued(let token, let lead):
        state.saving[token] = nil
        state.suggestions.note(lead.lead)
        // The history screen learns of it when it next reaches its top.
        if !state.historyScreen.rows.isEmpty { state.historyScreen.hasNewer = true }
        let name = displayName(lead.lead, phone: lead.phone)
        if let missing = state.settings.missingCredentials {
            addBanner(&state, .warning, "Saved \(name), held: \(missing) — set it in Settings (F4)")
        } else if lead.state == .held {
            // Saved behind a hold: it waits with the others, and the line says for what.
            let hold = lead.hold ?? .credentials
            addBanner(&state, .warning, "Saved \(name), held until \(hold.until) — F4 to fix, F5 to try again")
        } else {
            addBanner(&state, .info, "Saved \(name): sending…")
        }
        return [.loadHistoryPane(state.historyPane.query), .wakeDeliverer] + backUp(state) + refreshStats(state)

    case .resent(let token, let lead):
        state.saving[token] = nil
        state.historyScreen.replace(lead)
        addBanner(&state, .info, "Sending lead #\(lead.id) again…")
        return [.loadHistoryPane(state.historyPane.query), .wakeDeliverer] + backUp(state)

    case .saveFailed(let token, let message):
        guard let pending = state.saving.removeValue(forKey: token) else {
            addBanner(&state, .error, TerminalText.clean(message))
            return []
        }
        // Never lost: back in the form if it is free, else next in line for it.
        if !state.form.hasCustomerText, state.form.resending == nil {
            state.form = pending.form
        } else {
            state.unsaved.append(pending.form)
        }
        addBanner(
            &state, .error,
            "Not saved \(displayName(pending.valid)): \(message)"
                + (state.form == pending.form
                    ? "; it is back in the form" : "; it comes back in the form after this lead"))
        return []

    case .historyPaneLoaded(let page):
        let (counts, nextDue) = (page.counts, page.nextDue)
        state.historyPane.rows = page.rows
        state.historyPane.counts = counts
        state.historyPane.loaded = true
        if let hold = page.hold {
            state.delivery = .held(hold)
        } else if counts[.queued, default: 0] + counts[.sending, default: 0] > 0 {
            state.delivery = .waiting(
                queued: counts[.queued, default: 0] + counts[.sending, default: 0], nextAttempt: nextDue)
        } else {
            state.delivery = .idle
        }
        return []

    case .delivered(let lead):
        if let index = state.historyPane.rows.firstIndex(where: { $0.id == lead.id }) {
            state.historyPane.rows[index] = lead
        }
        state.historyScreen.replace(lead)
        let label = displayName(lead.lead, phone: lead.phone)
        switch lead.state {
        case .accepted: addBanner(&state, .success, "\(label): accepted" + (lead.crmID.map { " as CRM #\($0)" } ?? ""))
        case .duplicate:
            addBanner(&state, .success, "\(label): already in the CRM" + (lead.crmID.map { " as #\($0)" } ?? ""))
        case .rejected: addBanner(&state, .error, "\(label): \(lead.rejection)")
        case .held: addBanner(&state, .error, "\(label): held: \(TerminalText.clean(lead.lastError ?? ""))")
        case .queued:
            // A passing failure: what it was and when the next try comes, on the main screen.
            let reason = TerminalText.clean(lead.lastError ?? "not sent yet").replacingOccurrences(
                of: "temporary failure: ", with: "")
            let wait = lead.nextAttemptAt.map { max(0, Int($0.timeIntervalSince(lead.updatedAt).rounded())) }
            addBanner(
                &state, .warning,
                "\(label): waiting — \(reason)"
                    + (wait.map { $0 > 0 ? "; next try in \($0) s" : "; trying again now" } ?? ""))
        case .sending: break
        }
        // An open detail view shows the new attempt too.
        if state.screen == .history, state.historyScreen.detail?.lead.id == lead.id {
            return [.loadHistoryPane(state.historyPane.query), .loadDetail(lead.id)]
        }
        return [.loadHistoryPane(state.historyPane.query)] + refreshStats(state)

    case .resend(let id, let lead):
        switch lead.validated() {
        case .failure(let failure):
            addBanner(
                &state, .error,
                "Lead #\(id) not sent again: " + failure.errors.map(\.description).joined(separator: "; "))
            return []
        case .success(let valid):
            // Not from the form: no save of the form's to settle (token 0).
            return [.resend(token: 0, id: id, valid)]
        }

    case .retryNow:
        // F5 answers even when nothing waits (a key that does nothing visible looks broken).
        let waiting = state.historyPane.counts[.queued, default: 0] + state.historyPane.counts[.held, default: 0]
        if let missing = state.settings.missingCredentials {
            // Nothing can go out: say why instead of promising a send that never comes.
            addBanner(
                &state, .warning,
                waiting == 0
                    ? "Nothing is waiting; and nothing could be sent: \(missing) — Settings (F4)"
                    : "Cannot send the \(waiting) waiting: \(missing) — set it in Settings (F4)")
            return []
        }
        addBanner(
            &state, .info,
            waiting == 0 ? "Nothing is waiting: every lead has had its answer" : "Sending the \(waiting) waiting now…")
        return [.releaseAndRetry(state.settings), .loadHistoryPane(state.historyPane.query)]

    case .dismissBanner(let id):
        state.banners.removeAll { $0.id == id }
        return []

    case .restoreDraft(let lead, let scans):
        return restoreDraft(&state, lead, scans: scans)

    case .warn(let message):
        addBanner(&state, .warning, message)
        return []

    case .typedPastLimit(let field):
        // One message for the whole run of keys (a flood of them, a scanner): its count grows.
        var leftOut = state.form.leftOut
        if leftOut?.field != field || !state.banners.contains(where: { $0.id == leftOut?.banner }) {
            addBanner(&state, .warning, "")
            leftOut = FormState.LeftOut(field: field, count: 0, banner: state.nextBannerID - 1)
        }
        guard var counted = leftOut else { return [] }
        counted.count += 1
        state.form.leftOut = counted
        if let index = state.banners.firstIndex(where: { $0.id == counted.banner }) {
            state.banners[index].text =
                "\(field.label) is full (at most \(field.maxLength) characters): \(counted.count) typed character\(counted.count == 1 ? "" : "s") left out"
        }
        return []

    case .failed(let message):
        addBanner(&state, .error, TerminalText.clean(message))
        return []
    }
}

/// A lead was written: the rolling copy follows when a backup folder is set.
func backUp(_ state: AppState) -> [Effect] {
    state.settings.backupDir.isEmpty ? [] : [.backUp(into: state.settings.backupDir)]
}

/// At most this many banners are kept; the oldest go first.
/// Messages kept: the line shows the newest, the log (F7) all of them.
let bannerLimit = 20

func addBanner(_ state: inout AppState, _ kind: Banner.Kind, _ text: String) {
    state.banners.append(Banner(id: state.nextBannerID, kind: kind, text: TerminalText.clean(text)))
    state.nextBannerID += 1
    if state.banners.count > bannerLimit { state.banners.removeFirst(state.banners.count - bannerLimit) }
}

func duplicateText(_ earlier: StoredLead) -> String {
    let note = earlier.sentBeforeNote
    return note.prefix(1).uppercased() + note.dropFirst() + "; Ctrl-S again sends anyway"
}

/// The customer's name for a message, else their phone.
private func displayName(_ lead: Lead, phone: String) -> String {
    let name = TerminalText.clean([lead.firstName, lead.lastName].filter { !$0.isEmpty }.joined(separator: " "))
    return name.isEmpty ? phone : name
}

private func displayName(_ valid: ValidLead) -> String { displayName(valid.lead, phone: valid.phone.tenDigits) }
