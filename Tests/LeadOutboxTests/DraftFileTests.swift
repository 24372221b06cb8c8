import ContactCards
import Foundation
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// The draft kept when the console is ended from outside: ours or nothing. A file another user
/// could have planted (or a FIFO that would block the start and receive the next draft) is left
/// alone with one line saying why.
@Suite("draft file")
struct DraftFileTests {
    static func draft(_ folder: TempFolder) -> DraftFile {
        DraftFile(locations: DataLocations(dataDirectory: folder.url, configDirectory: folder.url))
    }

    @Test func aDraftWeWroteComesBackOnce() throws {
        try TempFolder.withSync { folder in
            let draft = Self.draft(folder)
            var lead = validLead().lead
            lead.notes = "wants a 2BHK"
            try draft.save(.init(lead))
            #expect(mode(draft.url.path) == 0o600)
            #expect(draft.take() == .draft(.init(lead)))
            #expect(draft.take() == .none)
        }
    }

    /// Badge scans waiting behind the lead are customers nobody typed anywhere: they are kept
    /// with it, in their order, every field as scanned.
    @Test func theScansWaitingBehindTheLeadAreKeptInTheirOrder() throws {
        try TempFolder.withSync { folder in
            let draft = Self.draft(folder)
            var first = ScannedContact(kind: .vCard)
            first.firstName = "Lata"
            first.lastName = "Iyer"
            first.phone = "9820012345"
            first.notes = ["Organisation: Acme", "Other phone: 022 4000 1111"]
            var second = ScannedContact(kind: .meCard)
            second.firstName = "Rahul"
            second.email = "r@x.in"
            let kept = DraftFile.Draft(validLead().lead, scans: [first, second])
            try draft.save(kept)
            #expect(draft.take() == .draft(kept))
            // Scans alone (the form was empty, or held a lead being fixed): kept too.
            try draft.save(.init(Lead(), scans: [second]))
            #expect(draft.take() == .draft(.init(Lead(), scans: [second])))
        }
    }

    /// A draft the release before wrote (the lead alone) still comes back after an upgrade.
    @Test func aDraftTheReleaseBeforeWroteComesBack() throws {
        try TempFolder.withSync { folder in
            let draft = Self.draft(folder)
            let json = try JSONEncoder().encode(validLead().lead)
            FileManager.default.createFile(
                atPath: draft.url.path, contents: json, attributes: [.posixPermissions: 0o600])
            #expect(draft.take() == .draft(.init(validLead().lead)))
        }
    }

    @Test func aFileThatIsNotOursIsLeftAloneAndSaysWhy() throws {
        try TempFolder.withSync { folder in
            let draft = Self.draft(folder)
            let path = draft.url.path
            let json = try JSONEncoder().encode(validLead().lead)
            // Readable by others: a draft of ours never is.
            FileManager.default.createFile(atPath: path, contents: json, attributes: [.posixPermissions: 0o644])
            guard case .refused(let open) = draft.take() else {
                Issue.record("a 0644 draft was loaded")
                return
            }
            #expect(open.contains("other users can open it (mode 644)"))
            #expect(FileManager.default.fileExists(atPath: path), "left where it was")
            unlink(path)
            // A FIFO: opening it must not block the start (whoever opens its other end would
            // otherwise wait for the next lead typed).
            #expect(mkfifo(path, 0o600) == 0)
            guard case .refused(let fifo) = draft.take() else {
                Issue.record("a FIFO was read as a draft")
                return
            }
            #expect(fifo.contains("it is not a regular file"))
            unlink(path)
            // A link, wherever it points.
            let elsewhere = folder.url.appendingPathComponent("elsewhere.json").path
            FileManager.default.createFile(atPath: elsewhere, contents: json, attributes: [.posixPermissions: 0o600])
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
            #expect(draft.take() != .draft(.init(validLead().lead)))
            unlink(path)
            // Ten megabytes of notes: more than a lead.
            FileManager.default.createFile(
                atPath: path, contents: Data(repeating: 0x20, count: 10 << 20), attributes: [.posixPermissions: 0o600])
            guard case .refused(let big) = draft.take() else {
                Issue.record("a 10 MB draft was loaded")
                return
            }
            #expect(big.contains("more than a lead"))
            unlink(path)
            // Another user's file (as root, the tests can make one).
            if geteuid() == 0 {
                FileManager.default.createFile(atPath: path, contents: json, attributes: [.posixPermissions: 0o600])
                chown(path, 1, 1)
                guard case .refused(let theirs) = draft.take() else {
                    Issue.record("another user's draft was loaded")
                    return
                }
                #expect(theirs.contains("belongs to another user"))
            }
        }
    }

    /// Saved as a new file and renamed: a link planted at the name is replaced, never written through.
    @Test func savingNeverWritesThroughALink() throws {
        try TempFolder.withSync { folder in
            let draft = Self.draft(folder)
            let target = folder.url.appendingPathComponent("target").path
            FileManager.default.createFile(atPath: target, contents: Data("untouched".utf8))
            try FileManager.default.createSymbolicLink(atPath: draft.url.path, withDestinationPath: target)
            try draft.save(.init(validLead().lead))
            #expect(String(decoding: FileManager.default.contents(atPath: target)!, as: UTF8.self) == "untouched")
            #expect(draft.take() == .draft(.init(validLead().lead)))
        }
    }
}

extension TempFolder {
    static func withSync<T>(_ body: (TempFolder) throws -> T) throws -> T {
        let folder = try TempFolder()
        defer { folder.remove() }
        return try body(folder)
    }
}
