import ContactCards
import Foundation
import ParamantraAPI

/// A badge scanner's card into the form. A scan is a unit: it fills a free form whole (the
/// cursor to the first empty required field, the returning-customer card asked for), or waits
/// while the form holds an unsent lead and fills the next free one, after Ctrl-S or Ctrl-N. It
/// never writes over typing. A number alone (a `tel:` link, a bare number) completes the lead
/// being typed when its Phone is empty. Nothing is sent without Ctrl-S.
func reduceScan(_ state: inout AppState, _ text: String) -> [Effect] {
    let contact: ScannedContact
    switch CardScan.read(text, format: state.settings.scanFormat) {
    case .failure(let problem):
        addBanner(&state, .error, "Scan not read: \(problem); the form is as it was")
        return []
    case .success(let read):
        contact = read
    }
    let numberOnly = contact.kind == .phoneNumber || contact.kind == .telLink
    if numberOnly, state.scans.isEmpty, state.form.lead.phone.trimmingSpace().isEmpty {
        let effects = reduce(&state, .edit(.phone, clip(contact.phone, to: .phone)))
        focusFirstEmptyRequired(&state, otherwise: state.form.focus)
        addBanner(&state, .info, "Scanned: \(contact.label) (\(contact.kind.rawValue)) into Phone")
        return effects
    }
    if formIsBusy(state) || !state.scans.isEmpty {
        state.scans.append(contact)
        let waiting = state.scans.count
        addBanner(
            &state, .info,
            "Scan waiting: \(contact.label) (\(contact.kind.rawValue))"
                + (waiting > 1 ? ", \(waiting) in line" : "")
                + " — it fills the next form: Ctrl-S sends this lead, Ctrl-N sets it aside")
        return []
    }
    return fill(&state, contact)
}

/// The next waiting scan into the form, when the form is free (after Ctrl-S, Ctrl-N).
func fillWaitingScan(_ state: inout AppState) -> [Effect] {
    guard !state.scans.isEmpty, !formIsBusy(state) else { return [] }
    let effects = fill(&state, state.scans.removeFirst())
    state.form.filledOnSend = !state.saving.isEmpty
    return effects
}

/// The lead and the waiting scans a console ended by a signal kept (`DraftFile`). The lead goes
/// back only into an empty form: nothing typed is ever replaced. The scans go back in line
/// whatever the form holds (behind any scanned since): a scan never writes over a form, so
/// none is turned away; with no lead to put back, the first fills the form.
func restoreDraft(_ state: inout AppState, _ lead: Lead, scans: [ScannedContact]) -> [Effect] {
    state.scans += scans
    let inLine = scans.count == 1 ? "1 scan" : "\(scans.count) scans"
    guard FormState.hasCustomerText(lead), !state.form.hasCustomerText else {
        guard !scans.isEmpty else { return [] }
        addBanner(&state, .warning, "Put back \(inLine) that waited when the console was closed, in their order")
        return fillWaitingScan(&state)
    }
    // Each field as the form lets one be typed, whatever the file held.
    var clipped = lead
    for field in LeadField.allCases { clipped[field] = clip(clipped[field], to: field) }
    state.form.lead = clipped
    state.form.focus(on: .firstName)
    addBanner(
        &state, .warning,
        scans.isEmpty
            ? "Put back the lead you were typing when the console was closed; Ctrl-S sends it"
            : "Put back the lead you were typing, and the \(inLine) waiting behind it; Ctrl-S sends it")
    return []
}

/// The form holds a lead the rep has not sent: something typed, or a lead being fixed.
private func formIsBusy(_ state: AppState) -> Bool {
    state.form.hasCustomerText || state.form.resending != nil
}

private func fill(_ state: inout AppState, _ contact: ScannedContact) -> [Effect] {
    state.form.clearCustomer()
    let values: [(LeadField, String)] = [
        (.firstName, contact.firstName), (.lastName, contact.lastName), (.email, contact.email),
        (.notes, contact.notesText)
    ]
    for (field, value) in values { state.form.set(field, clip(value, to: field), length: nil) }
    let effects = reduce(&state, .edit(.phone, clip(contact.phone, to: .phone)))
    focusFirstEmptyRequired(&state, otherwise: .notes)
    // A remark typed after the card's notes starts a line of its own (a trailing line break is
    // trimmed when the lead is sent).
    if state.form.focus == .notes, !state.form.lead.notes.isEmpty,
        state.form.lead.notes.count < LeadField.notes.maxLength
    {
        state.form.set(.notes, state.form.lead.notes + "\n", length: nil)
        state.form.focus(on: .notes)
    }
    let waiting = state.scans.count
    addBanner(
        &state, .success,
        "Scanned: \(contact.label) (\(contact.kind.rawValue))" + (waiting > 0 ? " · \(waiting) more waiting" : ""))
    return effects
}

/// A scanned value as a field may hold it: clean of control sequences (Notes keeps its lines),
/// cut at the field's limit.
private func clip(_ value: String, to field: LeadField) -> String {
    String(TerminalText.clean(value, keepNewlines: field.isMultiline).prefix(field.maxLength))
}

/// The cursor to the first required field left empty, in the form's order; else `otherwise`.
private func focusFirstEmptyRequired(_ state: inout AppState, otherwise: LeadField) {
    let empty = LeadField.allCases.first { $0.isRequired && state.form.lead[$0].trimmingSpace().isEmpty }
    state.form.focus(on: empty ?? otherwise)
}
