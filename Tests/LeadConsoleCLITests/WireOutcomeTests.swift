import Foundation
import LeadOutbox
import ParamantraAPI
import ParamantraSandbox
import TestSupport
import Testing

/// Issue 10 through the real binary: one well-formed request per attempt, a wrong endpoint held
/// (not rejected), rejected leads sent again, local failures with their own exit statuses, and
/// text the CRM should never get.
@Suite("the wire and its outcomes")
struct WireOutcomeTests {
    static func sheet(_ count: Int, in folder: String, first phone: Int = 9_200_000_000) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var text = "Name,Mobile\n"
        for n in 0..<count { text += "Guest \(n),\(phone + n)\n" }
        let path = folder + "/sheet-\(count).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let defaults = ["--subject", "Expo", "--channel", "Expo", "--rep", "smith"]

    /// The server closes each keep-alive connection when its second request arrives. Every lead
    /// reaches the CRM once, no request arrives short of its body, and no attempt waits for a
    /// timeout: the next attempt goes at once on a new connection.
    @Test func anImportThroughConnectionsClosedUnderItsRequestsSendsEachLeadOnceWellFormed() async throws {
        try await ExternalSandbox.with { (sandbox: ExternalSandbox, folder: String) async throws in
            let path = try Self.sheet(200, in: folder)
            try await sandbox.setFaults(#"{"mode":"close_reused"}"#)
            let result = try await Binary.run(
                ["import", path] + Self.defaults, environment: sandbox.environment(folder: folder))
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("accepted: 200"), "\(result.stdout)")
            let listing = try await sandbox.listing()
            #expect(listing.leads.count == 200)
            #expect(Set(listing.leads.map(\.contactNumber)).count == 200)
            #expect(listing.malformedRequests == 0)
            // The fault did its work: connections were closed under requests.
            #expect(listing.leadRequests > 200, "\(listing.leadRequests) requests")
            let database = try LeadDatabase(directory: URL(fileURLWithPath: folder + "/data"))
            var slowest = 0
            var closedUnder = 0
            for id in 1...Int64(200) {
                for attempt in try await database.attempts(leadID: id) {
                    slowest = max(slowest, attempt.elapsedMilliseconds)
                    if attempt.message.contains("closed the connection before answering") { closedUnder += 1 }
                }
            }
            #expect(closedUnder > 0)
            #expect(slowest < 10_000, "an attempt took \(slowest) ms: it waited for a timeout")
        }
    }

    @Test func aMistypedEndpointHoldsTheBatchAndTheFixedOneSendsIt() async throws {
        try await SandboxEnvironment.with { env in
            let path = try Self.sheet(20, in: env.folder)
            var wrong = ImportExportCommandTests.environment(env)
            wrong["PARAMANTRA_URL"] = env.sandbox.endpoint.absoluteString + "X"
            let first = try await Binary.run(["import", path] + Self.defaults, environment: wrong)
            #expect(first.status == 78, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("check the endpoint URL"), "\(first.stdout)")
            #expect(first.stdout.contains("rejected by the CRM: 0"), "\(first.stdout)")
            #expect(await env.sandbox.leads().isEmpty)
            let history = try await Binary.run(["history", "--state", "held"], environment: wrong)
            #expect(
                history.stdout.contains(env.sandbox.endpoint.absoluteString + "X answered HTTP 404"),
                "\(history.stdout)")

            // The URL fixed, the same file again: nothing queued twice, every row delivered.
            let fixed = ImportExportCommandTests.environment(env)
            let second = try await Binary.run(["import", path] + Self.defaults, environment: fixed)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(
                second.stdout.contains("queued now: 0") && second.stdout.contains("accepted: 20"), "\(second.stdout)")
            #expect(await env.sandbox.leads().count == 20)
        }
    }

    @Test func aReimportedFileWhoseRowsWereRejectedSaysSoAndHowToSendThem() async throws {
        try await SandboxEnvironment.with { env in
            let path = try Self.sheet(5, in: env.folder)
            let environment = ImportExportCommandTests.environment(env)
            await env.sandbox.setFaults(SandboxFaults(mode: .status, status: 402, message: "Lead limit reached"))
            let first = try await Binary.run(["import", path] + Self.defaults, environment: environment)
            #expect(first.status == 1, "\(first.stdout)\(first.stderr)")
            await env.sandbox.setFaults(.none)
            let again = try await Binary.run(["import", path] + Self.defaults, environment: environment)
            #expect(again.status == 1, "\(again.stdout)")
            #expect(
                again.stdout.contains("rejected by the CRM: 5")
                    && again.stdout.contains("leadconsole retry --rejected"), "\(again.stdout)")

            let retry = try await Binary.run(["retry", "--rejected"], environment: environment)
            #expect(retry.status == 0, "\(retry.stdout)\(retry.stderr)")
            #expect(retry.stdout.contains("sent 5: 5 accepted"), "\(retry.stdout)")
            #expect(await env.sandbox.leads().count == 5)
            let done = try await Binary.run(["import", path] + Self.defaults, environment: environment)
            #expect(done.status == 0 && done.stdout.contains("accepted: 5"), "\(done.stdout)")
        }
    }

    @Test func retryByIDSendsOnlyThoseAndNamesTheOthers() async throws {
        try await SandboxEnvironment.with { env in
            await env.sandbox.setFaults(SandboxFaults(mode: .status, status: 402))
            for phone in ["9876543210", "9876543211"] {
                let result = try await Binary.run(
                    ["submit", "--phone", phone] + Self.defaults, environment: env.environment)
                #expect(result.status == 1)
            }
            await env.sandbox.setFaults(.none)
            let retry = try await Binary.run(["retry", "--id", "2", "7"], environment: env.environment)
            #expect(retry.status == 0, "\(retry.stdout)\(retry.stderr)")
            #expect(retry.stderr.contains("lead #7 not sent again: there is no such lead"))
            #expect(await env.sandbox.leads().map(\.contactNumber) == ["9876543211"])
            // A lead rejected again exits 1, like submit.
            await env.sandbox.setFaults(SandboxFaults(mode: .status, status: 402))
            let again = try await Binary.run(["retry", "--rejected"], environment: env.environment)
            #expect(again.status == 1, "\(again.stdout)\(again.stderr)")
        }
    }

    @Test func aFullDiskExits73NamingTheDatabaseNeverOne() async throws {
        let folder = NSTemporaryDirectory() + "/lc-full-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A 512 KB file system of its own (a user and mount namespace: no root needed), filled up
        // after the first lead.
        let submit = "\(Binary.path) submit --no-wait --phone 98200111$N --subject S --channel C --rep R"
        let script = """
            mount -t tmpfs -o size=512k tmpfs "$D" || exit 99
            N=10 && \(submit) >/dev/null || exit 98
            dd if=/dev/zero of="$D/filler" bs=4k 2>/dev/null
            N=11 && \(submit); echo "status=$?"
            """
        let result = try await Spawn.run(
            "/usr/bin/unshare", ["--user", "--map-root-user", "--mount", "/bin/sh", "-c", script],
            environment: [
                "D": folder, "PARAMANTRA_API_KEY": "k-0000-1111", "PARAMANTRA_APP_NAME": "A",
                "PARAMANTRA_URL": "http://127.0.0.1:9/x", "LEADCONSOLE_DATA_DIR": folder + "/data",
                "LEADCONSOLE_CONFIG_DIR": folder + "/config",
                "HOME": folder, "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"
            ])
        #expect(result.stdout.contains("status=73"), "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(folder + "/data/leads.sqlite"), "\(result.stderr)")
        #expect(result.stderr.contains("the disk is full"), "\(result.stderr)")
    }

    @Test func aDamagedDatabaseExits73ForEveryCommand() async throws {
        try await SandboxEnvironment.with { env in
            for n in 0..<50 {
                _ = try await Binary.run(
                    ["submit", "--no-wait", "--phone", String(9_820_000_000 + n)] + Self.defaults,
                    environment: env.environment)
            }
            let path = env.folder + "/data/leads.sqlite"
            try DamagedDatabase.overwritePages(of: path)
            for command in [["history"], ["retry"], ["submit", "--phone", "9820011199"] + Self.defaults] {
                let result = try await Binary.run(command, environment: env.environment)
                #expect(result.status == 73, "\(command): \(result.status) \(result.stderr)")
                #expect(
                    result.stderr.contains(path) && result.stderr.contains("damaged"), "\(command): \(result.stderr)")
            }
        }
    }

    @Test func anArgumentThatIsNotUTF8IsRefusedNamingItsOption() async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PATH"] = "/usr/bin:/bin"
            environment["LC"] = Binary.path
            let result = try await Spawn.run(
                "/bin/sh",
                [
                    "-c",
                    #"$LC submit --phone 9876543210 --subject S --channel C --rep R --first-name "$(printf 'Jos\351')""#
                ],
                environment: environment)
            #expect(result.status == 65, "\(result.stderr)")
            #expect(result.stderr.contains("--first-name is not valid UTF-8"), "\(result.stderr)")
            let inline = try await Spawn.run(
                "/bin/sh",
                [
                    "-c",
                    #"$LC submit --phone 9876543210 --subject S --channel C --rep R "--notes=$(printf '\351t\351')""#
                ],
                environment: environment)
            #expect(inline.status == 65 && inline.stderr.contains("--notes is not valid UTF-8"), "\(inline.stderr)")
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }

    /// A number pasted from WhatsApp carries bidi marks and zero-width spaces: none reach the CRM,
    /// and any already stored are shown, never hidden.
    @Test func invisibleFormatCharactersNeverReachTheCRM() async throws {
        try await SandboxEnvironment.with { env in
            let result = try await Binary.run(
                [
                    "submit", "--first-name", "\u{200B}Asha\u{2060}", "--last-name", "Rao\u{202E}lmth.exe",
                    "--phone", "\u{202A}+91 98200\u{200B} 11111\u{202C}", "--notes",
                    "\u{FEFF}2BHK \u{1F469}\u{1F3FD}\u{200D}\u{1F4BB}"
                ]
                    + Self.defaults, environment: env.environment)
            #expect(result.status == 0, "\(result.stderr)")
            let fields = try #require(await env.sandbox.leads().first?.fields)
            #expect(fields["f_name"] == "Asha" && fields["l_name"] == "Raolmth.exe", "\(fields)")
            #expect(fields["phonefax"] == "9820011111")
            #expect(fields["notes"] == "2BHK \u{1F469}\u{1F3FD}\u{200D}\u{1F4BB}")  // the joiner inside an emoji stays
            // One planted by an older version is shown as an escape.
            let database = env.folder + "/data/leads.sqlite"
            let plant = try await Spawn.run(
                "/usr/bin/sqlite3", [database, "UPDATE lead SET first_name = 'Ash' || char(8238) || 'a'"])
            #expect(plant.status == 0, "\(plant.stderr)")
            let history = try await Binary.run(["history"], environment: env.environment)
            #expect(history.stdout.contains(#"Ash\u{202E}a Raolmth.exe"#), "\(history.stdout)")
        }
    }
}

/// A lead queued behind one whose answer held the outbox gets no attempt of its own: `submit`
/// says what holds it and how to fix it (78 for the endpoint), never "another leadconsole".
@Suite("held behind another lead")
struct HeldBehindTests {
    @Test func aLeadHeldBehindAnEndpointAnswerSaysSoAndExits78() async throws {
        try await SandboxEnvironment.with { env in
            await env.sandbox.setFaults(SandboxFaults(mode: .status, status: 403))
            let first = try await Binary.run(
                ["submit", "--phone", "9820000001"] + BackupTests.defaults, environment: env.environment)
            #expect(first.status == 77, "\(first.stdout) \(first.stderr)")
            await env.sandbox.setFaults(SandboxFaults(mode: .status, status: 404))
            let second = try await Binary.run(
                ["submit", "--phone", "9820000002"] + BackupTests.defaults, environment: env.environment)
            #expect(second.status == 78, "\(second.stdout) \(second.stderr)")
            #expect(
                second.stdout.contains(
                    "held: lead #2 is in the outbox, waiting until the endpoint URL is fixed: lead #1")
                    && second.stdout.contains("fix it with: leadconsole config set endpoint URL"), "\(second.stdout)")
            #expect(!second.stdout.contains("another leadconsole"))
        }
    }

    /// Saved while the credentials are known bad: held at once with the refusal's words, and
    /// the exit status says it will not go until they are fixed; a fixed key sends them all.
    @Test func aLeadSavedBehindRefusedCredentialsIsHeldAtOnce() async throws {
        try await SandboxEnvironment.with { env in
            var wrong = env.environment
            wrong["PARAMANTRA_API_KEY"] = "wrong-key-0123456789"
            let first = try await Binary.run(
                ["submit", "--phone", "9820000001"] + BackupTests.defaults, environment: wrong)
            #expect(first.status == 77, "\(first.stdout) \(first.stderr)")
            let saved = try await Binary.run(
                ["submit", "--no-wait", "--phone", "9820000002"] + BackupTests.defaults, environment: wrong)
            #expect(saved.status == 77, "\(saved.stdout) \(saved.stderr)")
            #expect(
                saved.stdout.hasPrefix(
                    "held: lead #2 is in the outbox, held until the credentials are fixed: credentials rejected: Not authorized"
                ), "\(saved.stdout)")
            let history = try await Binary.run(["history"], environment: wrong)
            #expect(!history.stdout.contains("queued"), "\(history.stdout)")
            let retry = try await Binary.run(["retry"], environment: env.environment)
            #expect(retry.status == 0, "\(retry.stdout) \(retry.stderr)")
            #expect(await env.sandbox.leads().count == 2)
        }
    }
}
