/// A terminal's SGR mouse report (`ESC [ < b ; x ; y M`, `m` for a release), read after its
/// `ESC [ <` when ncurses has taken that prefix as KEY_MOUSE but could not decode the rest (the
/// report arrived in pieces, or the mouse is off). Pure: a table of reports tests it. Read whole
/// either way, so a report never leaks into a field as "0;31;5M".
public enum MouseReport {
    public enum Step: Equatable, Sendable {
        case needMore
        /// A complete report: the event, or nil for one the console has no use for (a release,
        /// a drag, another button).
        case done(MouseEvent?)
        /// Not a report (too long, a stray character): dropped.
        case invalid
    }

    /// After `ESC [ <` and `scalars`.
    public static func step(_ scalars: [Unicode.Scalar]) -> Step {
        guard let last = scalars.last else { return .needMore }
        if last != "M" && last != "m" {
            let allowed = last == ";" || ("0"..."9").contains(last)
            return allowed && scalars.count < 16 ? .needMore : .invalid
        }
        let numbers = String(String.UnicodeScalarView(scalars.dropLast())).split(separator: ";").compactMap { Int($0) }
        guard numbers.count == 3, numbers[1] >= 1, numbers[2] >= 1 else { return .invalid }
        let (button, column, row) = (numbers[0], numbers[1] - 1, numbers[2] - 1)
        guard last == "M" else { return .done(nil) }  // a release
        switch button {
        case 0: return .done(MouseEvent(.click, column: column, row: row))
        case 64: return .done(MouseEvent(.wheelUp, column: column, row: row))
        case 65: return .done(MouseEvent(.wheelDown, column: column, row: row))
        default: return .done(nil)
        }
    }
}
