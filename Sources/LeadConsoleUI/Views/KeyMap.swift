import ConsoleState
import ContactCards
import ParamantraAPI

/// What a key does: actions for the store, or quitting. Pure, so every binding is tested without
/// a terminal; nothing here grows with the history (a key costs one field's length at most).
/// Order: an open overlay takes the key; then the keys that work everywhere; then the screen's.
public enum KeyMap {
    public struct Result: Equatable, Sendable {
        public var actions: [Action] = []
        public var quit = false
        /// Ctrl-Z: the terminal is given back to the shell until `fg`.
        public var suspend = false

        public init(actions: [Action] = [], quit: Bool = false, suspend: Bool = false) {
            self.actions = actions
            self.quit = quit
            self.suspend = suspend
        }
    }

    public static func handle(_ key: Key, _ state: AppState) -> Result {
        if case .scan(let text, let keys) = key { return scan(text, keys: keys, state) }
        // Where nothing is typed (a list, a choice, a flag) Ctrl-Left is Left, and so on.
        let key = isTyping(state) ? key : key.plain
        switch state.overlay {
        case .confirmQuit:
            if key == .character("y") || key == .character("Y") { return Result(quit: true) }
            return Result(actions: [.showOverlay(nil)])
        case .help, .messages:
            // Any key closes help or the log (and does nothing else: it was read as "close").
            return Result(actions: [.showOverlay(nil)])
        case nil:
            break
        }
        switch key {
        case .control("z"): return Result(suspend: true)
        case .function(1): return Result(actions: [.showOverlay(.help)])
        case .function(2), .alt("2"): return Result(actions: [.show(.main)])
        case .function(3), .alt("3"): return Result(actions: [.show(.history)])
        case .function(4), .alt("4"): return Result(actions: [.show(.settings)])
        case .function(6), .alt("6"): return Result(actions: [.show(.stats)])
        case .function(7), .alt("7"): return Result(actions: [.showOverlay(.messages)])
        case .function(10), .control("q"), .control("c"):
            // Quitting never drops a typed customer without asking.
            return state.form.hasCustomerText || !state.scans.isEmpty
                ? Result(actions: [.showOverlay(.confirmQuit)]) : Result(quit: true)
        case .character("?") where !isTyping(state):
            return Result(actions: [.showOverlay(.help)])
        default:
            break
        }
        switch state.screen {
        case .main: return main(key, state)
        case .history: return history(key, state)
        case .settings: return settings(key, state)
        case .stats: return stats(key, state)
        }
    }

    /// A scan fills the form (or waits for the next one); where the form is not on screen, and
    /// for a number scanned into Phone itself, its keys are typed as they came.
    static func scan(_ text: String, keys: [Key], _ state: AppState) -> Result {
        let intoPhone = state.form.focus == .phone && CardScan.isBarePhone(text.trimmingSpace())
        if state.overlay == nil, state.screen == .main, !intoPhone { return Result(actions: [.scanned(text)]) }
        return replay(keys, state)
    }

    /// Keys mapped one after another, each on the state the actions of the one before leave.
    static func replay(_ keys: [Key], _ state: AppState) -> Result {
        var state = state
        var result = Result()
        for key in keys {
            let step = handle(key, state)
            result.actions += step.actions
            if step.quit || step.suspend {
                result.quit = step.quit
                result.suspend = step.suspend
                break
            }
            for action in step.actions { _ = reduce(&state, action) }
        }
        return result
    }

    /// The stats screen: 1-4 pick the period, Left and Right step through them, F5 sends what
    /// waits now, Esc goes back to the form.
    static func stats(_ key: Key, _ state: AppState) -> Result {
        let periods = StatsPeriod.Named.allCases
        let index = periods.firstIndex(of: state.stats.period) ?? 0
        switch key {
        case .character(let digit) where ("1"..."4").contains(digit):
            return Result(actions: [.showStats(periods[Int(String(digit))! - 1])])
        case .left: return Result(actions: [.showStats(periods[(index + periods.count - 1) % periods.count])])
        case .right: return Result(actions: [.showStats(periods[(index + 1) % periods.count])])
        case .function(5): return Result(actions: [.retryNow])
        case .escape: return Result(actions: [.show(.main)])
        default: return Result()
        }
    }

    /// A click, double-click or wheel turn on what the frame showed at that cell (`target`), as
    /// htop and mc do: a field gets the focus, a list row is selected (double-click opens it), a
    /// footer key is pressed, the wheel scrolls the list or the detail.
    public static func pointer(_ event: MouseEvent, on target: HitTarget?, _ state: AppState) -> Result {
        if state.overlay != nil {
            // Any click closes help or the quit question (never quits by itself).
            return event.kind == .click || event.kind == .doubleClick ? Result(actions: [.showOverlay(nil)]) : Result()
        }
        switch event.kind {
        case .wheelUp, .wheelDown:
            guard state.screen == .history else { return Result() }
            let step = event.kind == .wheelUp ? -3 : 3
            if state.historyScreen.detail != nil { return Result(actions: [.scrollDetail(step)]) }
            return Result(actions: Array(repeating: .browse(step < 0 ? .up : .down), count: 3))
        case .click, .doubleClick:
            switch target {
            case .key(let key)?: return handle(key, state)
            case .field(let field)? where state.screen == .main: return Result(actions: [.focus(field)])
            case .setting(let key)? where state.screen == .settings: return Result(actions: [.focusSetting(key)])
            case .paneRow(let id)? where state.screen == .main:
                // The first click of a double-click selects: the second finds the same frame.
                return Result(
                    actions: [event.kind == .doubleClick ? .showLead(id: id, openDetail: true) : .selectPaneRow(id)])
            case .listRow(let index)? where state.screen == .history && state.historyScreen.detail == nil:
                return Result(actions: [.browse(.to(index))] + (event.kind == .doubleClick ? [.openDetail] : []))
            default: return Result()
            }
        }
    }

    /// Whether printable keys go into a text field now (so `?` is typed, not help).
    static func isTyping(_ state: AppState) -> Bool {
        switch state.screen {
        case .main: return state.form.focus != .alertClient && state.form.focus != .alertRep
        case .history: return state.historyScreen.searchDraft != nil
        case .settings:
            guard let form = state.settingsForm else { return false }
            return !form.focus.isFlag && state.environmentSources[form.focus] == nil
        case .stats: return false
        }
    }

    static func main(_ key: Key, _ state: AppState) -> Result {
        let form = state.form
        let field = form.focus
        let fields = MainView.formFields
        let index = fields.firstIndex(of: field) ?? 0
        func move(_ step: Int) -> Result {
            Result(actions: [.focus(fields[(index + step + fields.count) % fields.count])])
        }
        // A value used before completes what is typed (drawn dim after it): Tab takes it and
        // moves on, Right takes it and stays.
        let length = form.length(of: field)
        if key == .tab || key == .right, form.caret == length,
            let completion = state.suggestions.completion(field, typed: form.lead[field])
        {
            let take = Action.edit(field, completion, caret: completion.count)
            return Result(actions: key == .tab ? [take, .focus(fields[(index + 1) % fields.count])] : [take])
        }
        switch key {
        case .control("s"): return Result(actions: [.submit])
        case .control("n"): return Result(actions: [.clearForm])
        case .control("y"): return Result(actions: [.restoreClearedForm])
        case .function(5): return Result(actions: [.retryNow])
        case .tab, .down: return move(1)
        case .backTab, .up: return move(-1)
        case .enter where field != .notes: return move(1)
        case .escape: return Result()
        default: break
        }
        if field == .alertClient || field == .alertRep {
            if key == .character(" ") { return Result(actions: [.edit(field, form.lead[field] == "1" ? "0" : "1")]) }
            return Result()
        }
        // A field at its limit takes no more typing, as it takes no more pasting: the key is
        // counted on the message line. (Known from the store, without counting characters.)
        if case .character = key, form.isFull(field) { return Result(actions: [.typedPastLimit(field)]) }
        if key == .enter, field.isMultiline, form.isFull(field) { return Result(actions: [.typedPastLimit(field)]) }
        var key = key
        var notes: [Action] = []
        if case .paste(let text, let dropped) = key {
            // Pasted text is outside text: escape sequences and control characters go; notes keep
            // their lines, other fields get them as spaces. What does not fit the field is left
            // out, and the message line says how much (with what a huge paste dropped on reading).
            var cleaned = TerminalText.clean(text, keepNewlines: field.isMultiline, keepTabs: field.isMultiline)
            let room = max(0, field.maxLength - length)
            let pasted = cleaned.count
            if pasted > room || dropped > 0 {
                cleaned = String(cleaned.prefix(room))
                notes.append(
                    .warn(
                        "Pasted text cut to fit \(field.label) (at most \(field.maxLength) characters): \(max(0, pasted - room) + dropped) left out"
                    ))
            }
            key = .paste(cleaned)
        }
        let text = form.lead[field]
        switch LineEditor.apply(key, to: text, caret: form.caret, multiline: field.isMultiline, length: length) {
        case .edited(let edited, let caret):
            // Typed at the end, the caret is at the new end: the store need not count the text.
            let typedAtEnd = form.caret >= length && LineEditor.typedText(key, multiline: field.isMultiline) != nil
            return Result(actions: [.edit(field, edited, caret: caret, length: typedAtEnd ? caret : nil)] + notes)
        case .moved(let caret): return Result(actions: [.moveCaret(caret)])
        case nil: return Result(actions: notes)
        }
    }

    static func history(_ key: Key, _ state: AppState) -> Result {
        let historyScreen = state.historyScreen
        if let draft = historyScreen.searchDraft {
            switch key {
            case .enter: return Result(actions: [.applySearch])
            case .escape: return Result(actions: [.editSearch(nil)])
            default:
                var key = key
                if case .paste(let text, _) = key { key = .paste(TerminalText.clean(text)) }
                if case .edited(let text, _) = LineEditor.apply(key, to: draft, caret: draft.count) {
                    return Result(actions: [.editSearch(text)])
                }
                return Result()
            }
        }
        if historyScreen.detail != nil {
            switch key {
            case .escape, .left, .backspace: return Result(actions: [.closeDetail])
            case .up, .character("k"): return Result(actions: [.scrollDetail(-1)])
            case .down, .character("j"): return Result(actions: [.scrollDetail(1)])
            case .pageUp: return Result(actions: [.scrollDetail(-10)])
            case .pageDown, .character(" "): return Result(actions: [.scrollDetail(10)])
            case .home: return Result(actions: [.scrollDetail(-1_000_000)])
            case .character("r"): return Result(actions: [.resendSelected])
            case .character("e"): return Result(actions: [.copySelectedToForm])
            default: return Result()
            }
        }
        switch key {
        case .up, .character("k"): return Result(actions: [.browse(.up)])
        case .down, .character("j"): return Result(actions: [.browse(.down)])
        case .pageUp: return Result(actions: [.browse(.pageUp)])
        case .pageDown, .character(" "): return Result(actions: [.browse(.pageDown)])
        case .home, .character("g"): return Result(actions: [.browse(.home)])
        case .end, .character("G"): return Result(actions: [.browse(.end)])
        case .enter, .right: return Result(actions: [.openDetail])
        case .character("/"): return Result(actions: [.editSearch(historyScreen.search)])
        case .character("f"): return Result(actions: [.cycleFilter])
        case .character(let digit) where digit >= "0" && digit <= "6":
            // 0 all, 1 queued, 2 sending, 3 held, 4 rejected, 5 accepted, 6 duplicate.
            return Result(actions: [.filter(HistoryScreenState.filterOrder[digit.wholeNumberValue ?? 0])])
        case .character("r"): return Result(actions: [.resendSelected])
        case .character("e"): return Result(actions: [.copySelectedToForm])
        case .function(5): return Result(actions: [.retryNow])
        case .escape: return Result(actions: [.show(.main)])
        default: return Result()
        }
    }

    static func settings(_ key: Key, _ state: AppState) -> Result {
        guard let form = state.settingsForm else { return Result() }
        let fields = SettingsForm.fields
        let index = fields.firstIndex(of: form.focus) ?? 0
        let field = form.focus
        let value = form.values[field] ?? ""
        // Tab and the arrows pass over values the environment gives: focus never lands there.
        func move(_ step: Int) -> Result {
            guard let next = SettingsForm.editable(from: fields[index], step: step, readOnly: form.readOnly) else {
                return Result()
            }
            return Result(actions: [.focusSetting(next)])
        }
        switch key {
        case .control("s"): return Result(actions: [.submitSettings])
        case .escape: return Result(actions: [.closeSettings])
        case .control("r"): return Result(actions: [.toggleRevealKey])
        case .tab, .down, .enter: return move(1)
        case .backTab, .up: return move(-1)
        default: break
        }
        // A value from the environment is read-only here: a key typed at it says so.
        if let variable = state.environmentSources[field] {
            return Result(actions: [.warn(readOnlyText(field, variable))])
        }
        if let choices = SettingsForm.choices(field) {
            // A fixed choice: Space or Right to the next value, Left to the previous; nothing typed.
            let index = choices.firstIndex(of: value) ?? 0
            switch key {
            case .character(" "), .right:
                return Result(actions: [.editSetting(field, choices[(index + 1) % choices.count])])
            case .left:
                return Result(actions: [.editSetting(field, choices[(index + choices.count - 1) % choices.count])])
            default: return Result()
            }
        }
        var key = key
        if case .paste(let text, _) = key { key = .paste(TerminalText.clean(text).trimmingSpace(newlines: false)) }
        // A masked key is edited at its end only: a caret inside dots would be a guess.
        let masked = field == .apiKey && !form.revealKey
        if masked,
            [
                Key.left, .right, .home, .end, .control("a"), .control("e"), .delete, .control("k"), .wordLeft,
                .wordRight,
                .eraseWordAfter
            ].contains(key)
        {
            return Result()
        }
        switch LineEditor.apply(key, to: value, caret: masked ? value.count : form.caret) {
        case .edited(let text, let caret): return Result(actions: [.editSetting(field, text, caret: caret)])
        case .moved(let caret): return Result(actions: [.moveCaret(caret)])
        case nil: return Result()
        }
    }
}
