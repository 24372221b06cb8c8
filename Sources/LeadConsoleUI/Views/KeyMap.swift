import LeadStore
import ParamantraAPI

/// What a key does on the main screen: actions for the store, or quitting. Pure, so every
/// binding is tested without a terminal; nothing here grows with the history.
public enum KeyMap {
    public struct Result: Equatable, Sendable {
        public var actions: [Action] = []
        public var quit = false
    }

    public static func main(_ key: Key, _ state: AppState) -> Result {
        let form = state.form
        let field = form.focus
        let fields = MainView.formFields
        let index = fields.firstIndex(of: field) ?? 0
        func move(_ step: Int) -> Result {
            Result(actions: [.focus(fields[(index + step + fields.count) % fields.count])])
        }
        switch key {
        case .control("q"), .control("c"): return Result(quit: true)
        case .control("s"): return Result(actions: [.submit])
        case .function(5): return Result(actions: [.retryNow])
        case .function(2): return Result(actions: [.openSettings])
        case .tab, .down: return move(1)
        case .backTab, .up: return move(-1)
        case .enter:
            if field == .notes { return Result(actions: [.edit(.notes, form.lead.notes + "\n")]) }
            return move(1)
        case .backspace:
            guard field != .alertClient, field != .alertRep, !form.lead[field].isEmpty else { return Result() }
            return Result(actions: [.edit(field, String(form.lead[field].dropLast()))])
        case .character(" ") where field == .alertClient || field == .alertRep:
            return Result(actions: [.edit(field, form.lead[field] == "1" ? "0" : "1")])
        case .character(let character):
            guard field != .alertClient, field != .alertRep else { return Result() }
            return Result(actions: [.edit(field, form.lead[field] + String(character))])
        case .paste(let text):
            guard field != .alertClient, field != .alertRep else { return Result() }
            // Pasted text is outside text: escape sequences and control characters go; notes
            // keep their lines.
            let clean = TerminalText.clean(text, keepNewlines: field.isMultiline, keepTabs: field.isMultiline)
            return Result(actions: [.edit(field, form.lead[field] + clean)])
        default:
            return Result()
        }
    }

    public static func settings(_ key: Key, _ state: AppState) -> Result {
        guard let form = state.settingsForm else { return Result() }
        let fields = SettingsForm.fields
        let index = fields.firstIndex(of: form.focus) ?? 0
        let field = form.focus
        let value = form.values[field] ?? ""
        let isFlag = field == .alertClient || field == .alertRep
        func move(_ step: Int) -> Result { Result(actions: [.focusSetting(fields[(index + step + fields.count) % fields.count])]) }
        switch key {
        case .control("q"), .control("c"): return Result(quit: true)
        case .control("s"): return Result(actions: [.submitSettings])
        case .escape: return Result(actions: [.closeSettings])
        case .function(3): return Result(actions: [.toggleRevealKey])
        case .tab, .down, .enter: return move(1)
        case .backTab, .up: return move(-1)
        case .character(" ") where isFlag:
            return Result(actions: [.editSetting(field, value == "true" ? "false" : "true")])
        case .character(let character) where !isFlag:
            return Result(actions: [.editSetting(field, value + String(character))])
        case .backspace where !isFlag && !value.isEmpty:
            return Result(actions: [.editSetting(field, String(value.dropLast()))])
        case .paste(let text) where !isFlag:
            return Result(actions: [.editSetting(field, value + TerminalText.clean(text).trimmingCharacters(in: .whitespaces))])
        default:
            return Result()
        }
    }
}
