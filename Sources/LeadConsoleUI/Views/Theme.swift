import ConsoleState

/// Styles by meaning. With colour off (NO_COLOR, --no-color) every style is plain but bold and
/// reverse; the words on screen carry the meaning either way.
public struct Theme: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    func paint(_ color: CellStyle.Color, bold: Bool = false) -> CellStyle {
        CellStyle(foreground: self.color ? color : .normal, bold: bold)
    }

    var title: CellStyle { CellStyle(bold: true, reverse: true) }
    /// The status line's alarm (a held queue): the warning colour on the reversed bar, so it
    /// stands out on every screen; with colour off, the words "HELD:" carry it.
    var titleAlarm: CellStyle { CellStyle(foreground: color ? .yellow : .normal, bold: true, reverse: true) }
    var label: CellStyle { paint(.normal) }
    var required: CellStyle { paint(.yellow, bold: true) }
    /// The rest of a suggested value after the typed text: dim, as a hint, never reversed.
    /// (Gray where there is colour; without, plain against the reversed typed text.)
    var completion: CellStyle {
        var style = paint(.gray)
        style.underline = true
        return style
    }
    var focused: CellStyle { CellStyle(reverse: true) }
    var problem: CellStyle { paint(.red, bold: true) }
    var warning: CellStyle { paint(.yellow) }
    var dim: CellStyle { paint(.gray) }

    func state(_ state: LeadState) -> CellStyle {
        switch state {
        case .accepted, .duplicate: return paint(.green)
        case .queued, .sending: return paint(.yellow)
        case .rejected, .held: return paint(.red, bold: true)
        }
    }

    func banner(_ kind: Banner.Kind) -> CellStyle {
        switch kind {
        case .info: return paint(.blue)
        case .success: return paint(.green)
        case .warning: return paint(.yellow, bold: true)
        case .error: return paint(.red, bold: true)
        }
    }
}
