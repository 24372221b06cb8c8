import Foundation
import LeadOutbox
import ParamantraAPI

/// The settings screen's part of the reducer: editing a draft of the settings, checking it on
/// save, and what a saved change does to the form and the queue.
func reduceSettings(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .saveSettings(let settings):
        return [.saveSettings(settings)]

    case .settingsSaved(let settings):
        let credentialsChanged = settings.credentials != state.settings.credentials
        // Form fields still at the old default take the new one; typed values stay.
        let old = state.settings
        let defaults: [(LeadField, String, String)] = [
            (.subject, old.defaultSubject, settings.defaultSubject),
            (.channel, old.defaultChannel, settings.defaultChannel),
            (.rep, old.defaultRep, settings.defaultRep), (.project, old.defaultProject, settings.defaultProject)
        ]
        for (field, before, after) in defaults where state.form.lead[field] == before { state.form.lead[field] = after }
        if state.form.lead.alertClient == old.alertClient { state.form.lead.alertClient = settings.alertClient }
        if state.form.lead.alertRep == old.alertRep { state.form.lead.alertRep = settings.alertRep }
        state.settings = settings
        addBanner(&state, .success, "Settings saved")
        state.screen = .main
        state.settingsForm = nil
        return credentialsChanged ? [.releaseAndRetry(settings), .loadHistoryPane(state.historyPane.query)] : []

    case .editSetting(let key, let value, let caret):
        // Values from the environment are read-only here (the variable wins at the next start).
        guard state.environmentSources[key] == nil else { return [] }
        state.settingsForm?.values[key] = value
        state.settingsForm?.problems[key] = nil
        if state.settingsForm?.focus == key {
            state.settingsForm?.caret = max(0, min(caret ?? value.count, value.count))
        }
        return []

    case .focusSetting(let key):
        // A value from the environment is shown, never focused: a click on it says why.
        if let variable = state.environmentSources[key] {
            addBanner(&state, .info, readOnlyText(key, variable))
            return []
        }
        state.settingsForm?.focus(on: key)
        return []

    case .toggleRevealKey:
        state.settingsForm?.revealKey.toggle()
        return []

    case .submitSettings:
        guard var form = state.settingsForm else { return [] }
        var settings = state.settings
        form.problems = [:]
        for key in SettingsForm.fields {
            do { try settings.set(key, form.values[key] ?? "") } catch { form.problems[key] = error.description }
        }
        if settings.apiKey.isEmpty { form.problems[.apiKey] = "the API key is required to send leads" }
        if settings.appName.isEmpty { form.problems[.appName] = "the app name (ACTION-ON) is required to send leads" }
        if let problem = settings.credentials?.problems().first, form.problems.isEmpty {
            form.problems[.apiKey] = problem.description
        }
        if let first = SettingsForm.fields.first(where: { form.problems[$0] != nil }) {
            form.focus = first
            state.settingsForm = form
            return []
        }
        state.settingsForm = form
        return [.saveSettings(settings)]

    case .closeSettings:
        state.settingsForm = nil
        state.screen = .main
        return []

    default:
        return []
    }
}

let firstStartNotice =
    "Welcome! Fill in the endpoint URL, API key and app name your Paramantra admin gave you, then press Ctrl-S to save."

/// Why a setting cannot be changed here.
public func readOnlyText(_ key: Settings.Key, _ variable: String) -> String {
    "\(key.label) comes from \(variable): read-only here (change or unset the variable, then start again)"
}
