import ConsoleState
import Foundation
import ParamantraAPI

/// What every screen shares: the status line on top, the latest banner and the keys at the
/// bottom, boxes for overlays, and word wrapping.
enum Chrome {
    /// Top row: the app (and DEMO), what the outbox is doing, and where leads go.
    static func drawStatusLine(_ buffer: inout ScreenBuffer, _ state: AppState, theme: Theme, now: Date) {
        buffer.fill(column: 0, row: 0, width: buffer.columns, style: theme.title)
        var left = " LeadConsole" + (state.isDemo ? " · DEMO" : "") + " │ "
        // Without a key, an app name or an endpoint nothing can go: never "all sent" or "sending".
        let cannotSend = state.settings.missingCredentials.map { "NOT SENDING: \($0) — Settings (F4)" }
        switch state.delivery {
        case .idle: left += cannotSend ?? "outbox empty, all sent"
        case .waiting(let queued, let next):
            let wait = next.map { max(0, Int($0.timeIntervalSince(now).rounded(.up))) }
            left +=
                "\(queued) waiting"
                + (cannotSend.map { " · " + $0 }
                    ?? (wait.map { $0 > 0 ? ", next try in \($0)s" : ", sending" } ?? ""))
        case .held(.credentials): left += "HELD: credentials refused, fix them in Settings (F4)"
        case .held(.endpoint): left += "HELD: check the endpoint URL in Settings (F4)"
        case .held(.settings):
            // Nothing missing: the server refused what the settings send (a key or app name too
            // long for its headers, 431).
            left +=
                state.settings.missingCredentials.map { "HELD: \($0) — set it in Settings (F4)" }
                ?? "HELD: the server refused the settings — fix them in Settings (F4)"
        }
        let rejected = state.historyPane.counts[.rejected, default: 0]
        if rejected > 0 { left += " · \(rejected) rejected" }
        // Scanned visitors waiting for the form stay in view until they are in it.
        let scans = state.scans.count
        if scans > 0 { left += " · \(scans) scan\(scans == 1 ? "" : "s") waiting" }
        let endpoint = endpointText(state.settings)
        var used = buffer.write(left, column: 0, row: 0, style: theme.title)
        if let start = left.range(of: "HELD:") ?? left.range(of: "NOT SENDING:") {
            // The hold in the warning colour: the words from "HELD:" to the end of that part.
            let before = DisplayWidth.of(left[..<start.lowerBound])
            let held = left[start.lowerBound...].split(separator: "·", maxSplits: 1).first.map(String.init) ?? ""
            buffer.write(held, column: before, row: 0, style: theme.titleAlarm)
            used = max(used, before + DisplayWidth.of(held))
        }
        // The endpoint is right-aligned and gives way (cut from the left) when space is short.
        let room = buffer.columns - used - 3
        guard room >= 8, !endpoint.text.isEmpty else { return }
        var shown = endpoint.text
        // Short of room: the host alone, then its end.
        if DisplayWidth.of(shown) > room { shown = endpoint.host }
        if DisplayWidth.of(shown) > room { shown = MainView.tail(shown, fitting: room) }
        buffer.write(
            shown, column: buffer.columns - DisplayWidth.of(shown) - 1, row: 0,
            style: endpoint.warn
                ? CellStyle(foreground: theme.color ? .yellow : .normal, bold: true, reverse: true) : theme.title)
    }

    static func endpointText(_ settings: Settings) -> (text: String, host: String, warn: Bool) {
        guard let url = Credentials.endpoint(from: settings.endpoint) else {
            return ("no endpoint set", "no endpoint", true)
        }
        let credentials = Credentials(endpoint: url, apiKey: APIKey(""), appName: "")
        // Where leads go: the host (and port) is what a rep can check; the path is the vendor's.
        let host = TerminalText.clean((url.host ?? "") + (url.port.map { ":\($0)" } ?? ""))
        if credentials.isPlainHTTP && !credentials.isLoopback {
            return ("⚠ plain http to " + host, "⚠ http " + host, true)
        }
        return ((credentials.isPlainHTTP ? "http://" : "https://") + host, host, false)
    }

    /// A whole screen: the status line, `body` (which says the keys row it wants), the message
    /// line and the keys row, `prompt` over the message line when a line is typed there, and any
    /// overlay on top; below the smallest size, the notice asking for a larger terminal alone.
    /// Every screen is drawn in this one frame.
    static func screen(
        _ state: AppState, columns: Int, rows: Int, theme: Theme, now: Date,
        prompt: (inout ScreenBuffer) -> Void = { _ in }, body: (inout ScreenBuffer) -> Footer
    ) -> ScreenBuffer {
        var buffer = ScreenBuffer(columns: columns, rows: rows)
        guard columns >= MainView.minimumColumns, rows >= MainView.minimumRows else {
            MainView.drawTooSmall(&buffer, theme: theme)
            return buffer
        }
        drawStatusLine(&buffer, state, theme: theme, now: now)
        let footer = body(&buffer)
        drawBottom(&buffer, state, footer: footer, theme: theme)
        prompt(&buffer)
        Overlays.draw(&buffer, state, theme: theme)
        return buffer
    }

    /// The banner row and the keys row.
    static func drawBottom(_ buffer: inout ScreenBuffer, _ state: AppState, footer: Footer, theme: Theme) {
        if let banner = state.banners.last {
            buffer.write(
                shortened(banner.text, width: buffer.columns - 2), column: 1, row: buffer.rows - 2,
                style: theme.banner(banner.kind), maxWidth: buffer.columns - 2)
        }
        buffer.fill(column: 0, row: buffer.rows - 1, width: buffer.columns, style: theme.title)
        footer.draw(&buffer, column: 1, row: buffer.rows - 1, width: buffer.columns - 2, style: theme.title)
    }

    /// A framed, cleared rectangle for an overlay.
    static func drawBox(
        _ buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, height: Int, title: String, theme: Theme
    ) {
        for row in y..<(y + height) { buffer.fill(column: x, row: row, width: width, style: .plain) }
        buffer.write("┌" + String(repeating: "─", count: width - 2) + "┐", column: x, row: y, style: theme.label)
        for row in (y + 1)..<(y + height - 1) {
            buffer.write("│", column: x, row: row, style: theme.label)
            buffer.write("│", column: x + width - 1, row: row, style: theme.label)
        }
        buffer.write(
            "└" + String(repeating: "─", count: width - 2) + "┘", column: x, row: y + height - 1, style: theme.label)
        buffer.write(" \(title) ", column: x + 2, row: y, style: CellStyle(bold: true))
    }

    /// A message for one line of `width` cells: whole when it fits, else cut after a word with
    /// "… F7 more" (the message log has it whole), never in the middle of a word.
    static func shortened(_ text: String, width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard DisplayWidth.of(flat) > width else { return flat }
        let more = "… F7 more"
        let room = max(1, width - DisplayWidth.of(more))
        let fitting = DisplayWidth.prefix(flat, fitting: room).text
        // Back to the last space inside it (a single word longer than the line is cut).
        var end = fitting.endIndex
        if end < flat.endIndex, flat[end] != " ", let space = fitting.lastIndex(of: " ") { end = space }
        var kept = String(flat[..<end])
        while kept.last == " " || kept.last == "," || kept.last == ";" || kept.last == ":" { kept.removeLast() }
        return kept + more
    }

    /// Splits `text` at spaces (and at its own line breaks) into lines of at most `width` cells;
    /// a longer word is split across lines.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if DisplayWidth.of(candidate) <= width {
                    current = candidate
                } else {
                    if !current.isEmpty { lines.append(current) }
                    // A word longer than the line (a URL, a JSON answer) is split, never cut.
                    var rest = Substring(word)
                    while DisplayWidth.of(rest) > width {
                        let piece = DisplayWidth.prefix(rest, fitting: max(1, width)).text
                        guard !piece.isEmpty else {
                            rest = ""
                            break
                        }
                        lines.append(String(piece))
                        rest = rest[piece.endIndex...]
                    }
                    current = String(rest)
                }
            }
            lines.append(current)
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}
