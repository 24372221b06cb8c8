import Foundation

/// The small parts of an .xlsx that say where the sheet is and how to read its cells: the
/// workbook's sheet list, the relationships that map a sheet to its file, the number formats
/// that mark dates. Read with `XMLEvents`.
enum WorkbookParts {
    struct Sheet: Equatable {
        let name: String
        let path: String
    }

    /// The local name of an element or attribute: writers may prefix them (`x:row`).
    static func local(_ name: some StringProtocol) -> Substring {
        let name = Substring(name)
        return name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? name
    }

    /// Every element's local name and attributes, in order (for parts of a few kilobytes).
    final class Elements: XMLEventHandler {
        var found: [(name: Substring, attributes: [String: String])] = []
        func start(_ name: Substring, _ attributes: [String: String]) -> Bool {
            found.append((local(name), attributes))
            return true
        }
        func end(_ name: Substring) -> Bool { true }
        func text(_ text: String) -> Bool { true }

        /// The elements read before any malformed part (a part that is not XML gives none).
        static func of(_ data: Data) -> [(name: Substring, attributes: [String: String])] {
            let elements = Elements()
            try? XMLEvents.parse(data, into: elements)
            return elements.found
        }
    }

    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        attributes.first { local($0.key) == name }?.value
    }

    /// The sheets in the workbook's order with the paths of their XML, and whether day numbers
    /// count from 1904.
    static func sheets(workbook: Data, relationships: Data, workbookPath: String) -> (sheets: [Sheet], date1904: Bool) {
        var targets: [String: String] = [:]
        for element in Elements.of(relationships) where element.name == "Relationship" {
            if let id = element.attributes["Id"], let target = element.attributes["Target"] { targets[id] = target }
        }
        let folder = (workbookPath as NSString).deletingLastPathComponent
        var sheets: [Sheet] = []
        var date1904 = false
        for element in Elements.of(workbook) {
            if element.name == "workbookPr", let flag = attribute(element.attributes, "date1904") {
                date1904 = flag == "1" || flag.lowercased() == "true"
            }
            guard element.name == "sheet", let name = element.attributes["name"],
                let id = attribute(element.attributes, "id"), let target = targets[id]
            else { continue }
            // Targets are relative to the workbook's folder, or absolute from the package root.
            let path =
                target.hasPrefix("/") ? String(target.dropFirst()) : (folder.isEmpty ? target : folder + "/" + target)
            sheets.append(Sheet(name: name, path: path))
        }
        return (sheets, date1904)
    }

    /// The workbook part named by the package's relationships (xl/workbook.xml by convention).
    static func workbookPath(packageRelationships: Data?) -> String {
        guard let packageRelationships else { return "xl/workbook.xml" }
        for element in Elements.of(packageRelationships) where element.name == "Relationship" {
            if element.attributes["Type"]?.hasSuffix("/officeDocument") == true,
                let target = element.attributes["Target"]
            {
                return target.hasPrefix("/") ? String(target.dropFirst()) : target
            }
        }
        return "xl/workbook.xml"
    }

    /// For each cell style (the `s` of a cell), whether it shows a date.
    static func dateStyles(styles: Data?) -> [Bool] {
        guard let styles else { return [] }
        var codes: [Int: String] = [:]
        var dateStyles: [Bool] = []
        var inCellXfs = false
        let walk = Walk()
        walk.onStart = { name, attributes in
            switch name {
            case "numFmt":
                if let id = attributes["numFmtId"].flatMap(Int.init) { codes[id] = attributes["formatCode"] }
            case "cellXfs": inCellXfs = true
            case "xf" where inCellXfs:
                let id = attributes["numFmtId"].flatMap(Int.init) ?? 0
                dateStyles.append(CellValue.isDateFormat(id: id, code: codes[id]))
            default: break
            }
        }
        walk.onEnd = { name in if name == "cellXfs" { inCellXfs = false } }
        try? XMLEvents.parse(styles, into: walk)
        return dateStyles
    }
}

/// An XML walk for the styles part, where an element's meaning depends on its parent.
private final class Walk: XMLEventHandler {
    var onStart: (Substring, [String: String]) -> Void = { _, _ in }
    var onEnd: (Substring) -> Void = { _ in }
    func start(_ name: Substring, _ attributes: [String: String]) -> Bool {
        onStart(WorkbookParts.local(name), attributes)
        return true
    }
    func end(_ name: Substring) -> Bool {
        onEnd(WorkbookParts.local(name))
        return true
    }
    func text(_ text: String) -> Bool { true }
}
