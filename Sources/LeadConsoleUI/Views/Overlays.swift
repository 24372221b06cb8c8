import ConsoleState

/// Help (F1, or `?` outside a text field) and the quit question, drawn over any screen.
public enum Overlays {
    /// Every key, by where it works. The footer shows the few that apply; this is the full list.
    public static let help: [(section: String, keys: [String])] = [
        (
            "Everywhere",
            [
                "F2 form · F3 history · F4 settings · F6 stats (or Alt-2/3/4/6)",
                "F1 or ? help · F7 messages · Esc close or go back · F10, Ctrl-Q or Ctrl-C quit (asks first) · Ctrl-Z to the shell"
            ]
        ),
        (
            "Lead form",
            [
                "Tab or Down next field · Shift-Tab or Up back · Enter next",
                "Ctrl-S send · Space toggles an alert · F5 retry now",
                "Ctrl-N clear for the next lead (↺ fields stay) · Ctrl-Y undo"
            ]
        ),
        (
            "In a field",
            [
                "Left/Right (Ctrl: a word) · Home/End or Ctrl-A/Ctrl-E move",
                "Backspace/Delete erase (Ctrl-Delete, Ctrl-W: a word)",
                "Ctrl-U erase to the start · Ctrl-K erase to the end"
            ]
        ),
        (
            "History",
            [
                "Up/Down or k/j · PgUp/PgDn · Home/End move · Enter details · Esc back",
                "/ search name, phone or email · f filter by state · r send a held or rejected lead again · e copy into the form"
            ]
        ),
        ("Settings", ["Ctrl-S save (a held queue resumes) · Esc cancel · Ctrl-R show or hide the API key"]),
        (
            "Stats",
            ["1-4 or Left/Right period · F5 send what waits · Esc back"]
        )
    ]

    static func draw(_ buffer: inout ScreenBuffer, _ state: AppState, theme: Theme) {
        switch state.overlay {
        case nil: return
        case .help: drawHelp(&buffer, theme: theme)
        case .confirmQuit: drawConfirmQuit(&buffer, waitingScans: state.scans.count, theme: theme)
        case .messages: drawMessages(&buffer, state, theme: theme)
        }
        buffer.cursor = nil
    }

    static func drawHelp(_ buffer: inout ScreenBuffer, theme: Theme) {
        let width = min(buffer.columns - 2, 96)
        let sectionWidth = 12
        var lines: [(String, String)] = []
        for (section, keys) in help {
            var first = true
            for key in keys {
                for line in Chrome.wrap(key, width: width - sectionWidth - 4) {
                    lines.append((first ? section : "", line))
                    first = false
                }
            }
        }
        lines.append(("", ""))
        lines.append(("", "Any key closes this help."))
        let height = min(buffer.rows - 2, lines.count + 2)
        let x = (buffer.columns - width) / 2
        let y = max(1, (buffer.rows - height) / 2)
        Chrome.drawBox(&buffer, x: x, y: y, width: width, height: height, title: "Keys", theme: theme)
        for (index, line) in lines.prefix(height - 2).enumerated() {
            buffer.write(line.0, column: x + 2, row: y + 1 + index, style: CellStyle(bold: true))
            buffer.write(
                line.1, column: x + 2 + sectionWidth, row: y + 1 + index, style: theme.label,
                maxWidth: width - sectionWidth - 4)
        }
    }

    static func drawConfirmQuit(_ buffer: inout ScreenBuffer, waitingScans: Int, theme: Theme) {
        let what =
            waitingScans == 0
            ? "The form holds a lead that is not sent yet."
            : "\(waitingScans) scanned visitor\(waitingScans == 1 ? "" : "s") wait\(waitingScans == 1 ? "s" : "") for the form."
        let lines = [what, "Quit and lose \(waitingScans > 1 ? "them" : "it")?  y = quit · any other key = stay"]
        let width = min(buffer.columns - 2, lines.map { DisplayWidth.of($0) }.max()! + 4)
        let x = (buffer.columns - width) / 2
        let y = buffer.rows / 2 - 2
        Chrome.drawBox(&buffer, x: x, y: y, width: width, height: lines.count + 2, title: "Quit?", theme: theme)
        for (index, line) in lines.enumerated() {
            buffer.write(
                line, column: x + 2, row: y + 1 + index, style: index == 0 ? theme.warning : theme.label,
                maxWidth: width - 4)
        }
    }

    /// The message log (F7): the recent messages whole, oldest first, each in its colour; the
    /// newest are kept in view when they do not all fit.
    static func drawMessages(_ buffer: inout ScreenBuffer, _ state: AppState, theme: Theme) {
        let width = min(buffer.columns - 2, 96)
        var lines: [(String, CellStyle)] = []
        for banner in state.banners {
            for (index, line) in Chrome.wrap(banner.text, width: width - 6).enumerated() {
                lines.append(((index == 0 ? "• " : "  ") + line, theme.banner(banner.kind)))
            }
        }
        if lines.isEmpty { lines.append(("No messages yet.", theme.dim)) }
        let footer = ("Any key closes the messages.", theme.label)
        let room = max(1, buffer.rows - 2 - 3)
        let shown = Array(lines.suffix(room)) + [("", theme.label), footer]
        let height = shown.count + 2
        let x = (buffer.columns - width) / 2
        let y = max(1, (buffer.rows - height) / 2)
        Chrome.drawBox(&buffer, x: x, y: y, width: width, height: height, title: "Messages (F7)", theme: theme)
        for (index, line) in shown.enumerated() {
            buffer.write(line.0, column: x + 2, row: y + 1 + index, style: line.1, maxWidth: width - 4)
        }
    }
}
