import ArgumentParser
import LeadConsoleUI
import LeadOutbox

/// `leadconsole manual-sections` (hidden): the manual page's sections that are not about
/// arguments — the console's keys, files, environment, exit statuses — as mdoc, from the same
/// tables the console's help screen and the commands use. Scripts/man_page.py adds them to the
/// page swift-argument-parser's generate-manual writes.
struct ManualSectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual-sections",
        abstract: "Print the manual's KEYS, FILES, ENVIRONMENT and EXIT STATUS sections.",
        shouldDisplay: false)

    func run() {
        for line in Self.mdoc() { writeLine(line) }
    }

    /// Text for mdoc: a line must not start with a dot or an apostrophe, backslashes are escaped.
    static func text(_ words: String) -> String {
        let escaped = words.replacingOccurrences(of: "\\", with: "\\e")
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }

    static func mdoc() -> [String] {
        var lines = [".Sh KEYS", "The console's keys, as its help screen (F1) lists them."]
        for (section, keys) in Overlays.help {
            lines += [".Ss \(text(section))", ".Bl -bullet -compact"]
            for line in keys {
                for key in line.components(separatedBy: " · ") { lines += [".It", text(key)] }
            }
            lines.append(".El")
        }
        lines += [
            ".Sh BADGE SCANNERS",
            "A 2D scanner in keyboard (HID) mode with Enter as its suffix types what it reads into the console. Text at machine speed that starts BEGIN:VCARD, MECARD:, BIZCARD: or tel:, a bare phone number ended by Enter, or a line in the scan_format setting (e.g. name|company|phone|email) is a scan wherever the cursor is: it fills the form (name, mobile phone, email; other numbers, company, title and website to Notes), the cursor goes to the first empty required field and the message line says Scanned: NAME (KIND). Nothing is sent without Ctrl-S. A scan that arrives while the form holds an unsent lead waits (the status line counts it) and fills the next form after Ctrl-S or Ctrl-N. A scan that cannot be read leaves the form as it was and says why. Plain typing, pastes and floods of keys go where the cursor is, as before.",
            ".Sh PLAIN MODE",
            "leadconsole prompt (also console --plain, and leadconsole itself when TERM is dumb or unset on a terminal) asks the form a field a line in the form's order, the value kept in brackets: Enter keeps it, - clears it. Problems are said as lines naming the field, which is asked again. Messages (a lead saved, the CRM's answer) are said once, as they come. Commands at any prompt: ? (help), !send, !history, !edit N, !retry, !quit (Ctrl-D too). No cursor movement, no colour, nothing drawn twice: for screen readers, serial terminals and expect scripts. Without a terminal, leadconsole still refuses to start the console (exit 64).",
            ".Sh ENVIRONMENT", ".Bl -tag -width Ds",
            ".It Ev PARAMANTRA_URL , PARAMANTRA_API_KEY , PARAMANTRA_APP_NAME",
            "Override the endpoint, the API key and the app name of the config file (never written to it).",
            ".It Ev LEADCONSOLE_DATA_DIR , LEADCONSOLE_CONFIG_DIR",
            "The data and config folders (else the XDG folders below; --data-dir and --config-dir win).",
            ".It Ev XDG_DATA_HOME , XDG_CONFIG_HOME",
            "Their parents: ~/.local/share/leadconsole and ~/.config/leadconsole by default.",
            ".It Ev XDG_STATE_HOME",
            "Where each data folder's marker is kept: ~/.local/state/leadconsole by default.",
            ".It Ev NO_COLOR", "The console draws without colours (as --no-color).",
            ".It Ev TERM",
            "The terminal's key and screen encoding (xterm, tmux, screen, putty, linux); dumb or unset on a terminal opens plain mode.",
            ".El",
            ".Sh FILES", ".Bl -tag -width Ds",
            ".It Pa ~/.config/leadconsole/config.json",
            "The settings, mode 0600 (leadconsole config path prints where). Refused when other users can write it or its folder.",
            ".It Pa ~/.local/share/leadconsole/leads.sqlite",
            "The outbox and history (SQLite): a lead is here before its first byte goes out, and stays.",
            ".It Pa ~/.local/share/leadconsole/deliver.lock",
            "Held by the one process delivering the outbox (a console, an import, a retry).",
            ".It Pa ~/.local/share/leadconsole/leads.sqlite.damaged-TIME",
            "A damaged database, moved aside by leadconsole doctor after it read every lead it could: kept, never written.",
            ".It Pa ~/.local/state/leadconsole/outbox-HASH.json",
            "How many leads a data folder held (its highest lead id): an emptied, deleted or replaced database is refused (exit 73) until leadconsole doctor or restore has run.",
            ".It Pa FILE.rejected.csv , FILE.crm-rejected.csv",
            "Written beside an imported sheet, in its delimiter, encoding and headings: its invalid rows, and the rows the CRM rejected, each with the reason (problem) and the lead it is (lead_id). Fixed and imported again, a row with a lead_id corrects that lead and sends it once. A file changed since it was written is never overwritten: the next one is FILE.rejected-2.csv.",
            ".El", ".Sh EXIT STATUS", ".Bl -tag -width Ds"
        ]
        for (status, meaning) in ExitStatus.meanings { lines += [".It \(status)", text(meaning)] }
        lines += [".El", ".Sh SEE ALSO", "The README and docs/ of the LeadConsole repository; sqlite3(1), tmux(1)."]
        return lines
    }
}
