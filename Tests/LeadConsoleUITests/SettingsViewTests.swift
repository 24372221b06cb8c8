import LeadStore
import ParamantraAPI
import Testing
@testable import LeadConsoleUI

@Suite("Settings screen")
struct SettingsViewTests {
    init() { DisplayWidth.prepare() }

    static let key = "sk-live-abcdefgh12345678"

    static var state: AppState {
        var settings = Settings()
        settings.apiKey = key
        settings.appName = "ACME"
        settings.defaultChannel = "Walk-in"
        var state = AppState(settings: settings)
        _ = reduce(&state, .openSettings)
        return state
    }

    func text(_ state: AppState) -> String {
        SettingsView.render(state, columns: 80, rows: 24, theme: Theme(color: true)).lines.joined(separator: "\n")
    }

    @Test func theKeyIsMaskedUnlessRevealed() {
        var state = Self.state
        let masked = text(state)
        #expect(!masked.contains("abcdefgh"))
        #expect(masked.contains("••••••••••••••••••••5678"))
        _ = reduce(&state, .toggleRevealKey)
        #expect(text(state).contains(Self.key))
        _ = reduce(&state, .toggleRevealKey)
        #expect(!text(state).contains("abcdefgh"))
    }

    @Test func savingChecksEveryFieldAndPointsAtTheFirstProblem() {
        var state = Self.state
        _ = reduce(&state, .editSetting(.endpoint, "ftp://nowhere"))
        _ = reduce(&state, .editSetting(.appName, ""))
        #expect(reduce(&state, .submitSettings).isEmpty)
        #expect(state.settingsForm?.focus == .endpoint)
        #expect(state.settingsForm?.problems[.appName] == "the app name (ACTION-ON) is required to send leads")
        let screen = text(state)
        #expect(screen.contains("↳ endpoint must be an http:// or https:// URL"))
        _ = reduce(&state, .editSetting(.endpoint, "https://cloud.paramantra.com/paramantra/api/data/new/format/json"))
        _ = reduce(&state, .editSetting(.appName, "ACME2"))
        _ = reduce(&state, .editSetting(.defaultChannel, "Expo"))
        var expected = state.settings
        expected.appName = "ACME2"
        expected.defaultChannel = "Expo"
        #expect(reduce(&state, .submitSettings) == [.saveSettings(expected)])
        // Saved: the form's channel (still the old default) follows the new default.
        _ = reduce(&state, .settingsSaved(expected))
        #expect(state.screen == .main && state.settingsForm == nil && state.form.lead.channel == "Expo")
    }

    @Test func plainHTTPIsWarnedAboutOnTheScreen() {
        var state = Self.state
        _ = reduce(&state, .editSetting(.endpoint, "http://cloud.paramantra.com/paramantra/api/data/new/format/json"))
        #expect(text(state).contains("plain http: the API key would travel unencrypted"))
    }

    @Test func keysOnTheSettingsScreen() {
        let state = Self.state
        #expect(KeyMap.settings(.escape, state).actions == [.closeSettings])
        #expect(KeyMap.settings(.control("s"), state).actions == [.submitSettings])
        #expect(KeyMap.settings(.function(3), state).actions == [.toggleRevealKey])
        #expect(KeyMap.settings(.character("X"), state).actions == [.editSetting(.apiKey, Self.key + "X")])
        #expect(KeyMap.settings(.tab, state).actions == [.focusSetting(.appName)])
        #expect(KeyMap.main(.function(2), state).actions == [.openSettings])
    }
}
