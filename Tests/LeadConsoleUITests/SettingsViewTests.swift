import ConsoleState
import Foundation
import LeadOutbox
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
        _ = reduce(&state, .show(.settings))
        return state
    }

    func text(_ state: AppState) -> String {
        SettingsView.render(
            state, columns: 80, rows: 24, theme: Theme(color: true), now: Date(timeIntervalSince1970: 1_795_000_000)
        ).lines.joined(separator: "\n")
    }

    @Test func fixedChoicesShowTheirOptionsAndCannotBeMistyped() {
        var state = Self.state
        let screen = text(state)
        #expect(screen.contains("Phone on wire  (•) ten-digits  ( ) 91-ten-digits"), "\(screen)")
        #expect(screen.contains("Keep project   [x] yes"))
        // Required values are marked, as on the form.
        for label in ["*Endpoint URL", "*API key", "*App name", "*Subject", "*Channel", "*Rep"] {
            #expect(screen.contains(label), "\(label)")
        }
        #expect(!screen.contains("*Project"))
        _ = reduce(&state, .focusSetting(.phoneFormat))
        // Typing does nothing; Space, Right and Left choose.
        #expect(KeyMap.handle(.character("x"), state).actions.isEmpty)
        let right = KeyMap.handle(.right, state).actions
        #expect(right == [.editSetting(.phoneFormat, "91-ten-digits")])
        for action in right { _ = reduce(&state, action) }
        #expect(text(state).contains("( ) ten-digits  (•) 91-ten-digits"))
        #expect(KeyMap.handle(.character(" "), state).actions == [.editSetting(.phoneFormat, "ten-digits")])
        #expect(KeyMap.handle(.left, state).actions == [.editSetting(.phoneFormat, "ten-digits")])
        _ = reduce(&state, .focusSetting(.keepProject))
        #expect(KeyMap.handle(.right, state).actions == [.editSetting(.keepProject, "false")])
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
        #expect(KeyMap.handle(.escape, state).actions == [.closeSettings])
        #expect(KeyMap.handle(.control("s"), state).actions == [.submitSettings])
        #expect(KeyMap.handle(.control("r"), state).actions == [.toggleRevealKey])
        #expect(
            KeyMap.handle(.character("X"), state).actions == [
                .editSetting(.apiKey, Self.key + "X", caret: Self.key.count + 1)
            ])
        #expect(KeyMap.handle(.tab, state).actions == [.focusSetting(.appName)])
        // A masked key is edited at its end: the caret cannot wander among the dots.
        #expect(KeyMap.handle(.left, state).actions == [])
        #expect(
            KeyMap.handle(.backspace, state).actions == [
                .editSetting(.apiKey, String(Self.key.dropLast()), caret: Self.key.count - 1)
            ])
        var revealed = state
        _ = reduce(&revealed, .toggleRevealKey)
        #expect(KeyMap.handle(.home, revealed).actions == [.moveCaret(0)])
    }

    @Test func environmentValuesAreShownReadOnlyWithTheirSource() {
        var settings = Self.state.settings
        settings.apiKey = "env-key-9999888877776666"
        var state = AppState(settings: settings, environmentSources: [.apiKey: "PARAMANTRA_API_KEY"])
        _ = reduce(&state, .show(.settings))
        let screen = text(state)
        #expect(screen.contains("6666  (PARAMANTRA_API_KEY, read-only)"))
        #expect(!screen.contains("env-key-9999"))
        // Focus never lands on it: the screen opens on the next value the rep can change, and
        // a click on it says why it cannot be changed.
        #expect(state.settingsForm?.focus == .appName)
        #expect(reduce(&state, .focusSetting(.apiKey)).isEmpty)
        #expect(state.settingsForm?.focus == .appName)
        #expect(
            state.banners.last?.text
                == "API key comes from PARAMANTRA_API_KEY: read-only here (change or unset the variable, then start again)"
        )
        // Were it focused all the same, a key typed there says so instead of vanishing.
        state.settingsForm?.focus = .apiKey
        #expect(
            KeyMap.handle(.character("x"), state).actions == [
                .warn(
                    "API key comes from PARAMANTRA_API_KEY: read-only here (change or unset the variable, then start again)"
                )
            ])
    }

    /// With all three PARAMANTRA_* variables set, Tab goes Subject → Channel → Rep, and what
    /// is typed lands in those settings: Tab and Shift-Tab pass over the read-only values.
    @Test func tabPassesOverValuesFromTheEnvironment() {
        var settings = Settings()
        settings.endpoint = "https://cloud.paramantra.com/paramantra/api/data/new/format/json"
        settings.apiKey = "env-key-9999888877776666"
        settings.appName = "ACME"
        var state = AppState(
            settings: settings,
            environmentSources: [
                .endpoint: "PARAMANTRA_URL", .apiKey: "PARAMANTRA_API_KEY", .appName: "PARAMANTRA_APP_NAME"
            ])
        _ = reduce(&state, .show(.settings))
        #expect(state.settingsForm?.focus == .defaultSubject)
        func type(_ text: String) {
            for character in text {
                for action in KeyMap.handle(.character(character), state).actions { _ = reduce(&state, action) }
            }
        }
        func press(_ key: Key) { for action in KeyMap.handle(key, state).actions { _ = reduce(&state, action) } }
        type("Walk-in")
        press(.tab)
        type("Expo")
        press(.tab)
        type("smith")
        #expect(state.settingsForm?.values[.defaultSubject] == "Walk-in")
        #expect(state.settingsForm?.values[.defaultChannel] == "Expo")
        #expect(state.settingsForm?.values[.defaultRep] == "smith")
        // Backwards from Subject: past the three read-only values to the last field.
        press(.backTab)
        press(.backTab)
        press(.backTab)
        #expect(state.settingsForm?.focus == SettingsForm.fields.last)
        press(.tab)
        #expect(state.settingsForm?.focus == .defaultSubject)
    }

    @Test func aFirstStartSaysWhatToFillIn() {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .started)
        let screen = text(state)
        #expect(screen.contains("Welcome! Fill in the endpoint URL, API key and app name"))
        #expect(
            SettingsView.render(
                state, columns: 80, rows: 24, theme: Theme(color: true), now: Date(timeIntervalSince1970: 1_795_000_000)
            ).cursor?.row == 5)  // on the API key
    }
}
