import Foundation
import ParamantraSandbox
import TestSupport
import Testing

/// `leadconsole prompt` driven as `expect` drives it: a pty, a line at a time, each step
/// waiting for what the program says before typing.
@Suite("plain mode")
struct PlainModeTests {
    /// The driver: argv = binary, TERM ("-" for unset), the arguments as JSON, the steps as JSON
    /// ([expected text, line to type]; a null line types nothing). Prints the whole transcript,
    /// then the exit status on a last line of its own.
    static let driver = """
        import json, os, select, subprocess, sys, time
        binary, term, arguments, steps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
        master, slave = os.openpty()
        env = dict(os.environ, LANG="C.UTF-8")
        env.pop("TERM", None)
        if term != "-": env["TERM"] = term
        child = subprocess.Popen([binary] + arguments, stdin=slave, stdout=slave, stderr=slave,
                                 start_new_session=True, env=env)
        os.close(slave)
        seen, mark = b"", 0
        def read(timeout):
            global seen
            if select.select([master], [], [], timeout)[0]:
                try: seen += os.read(master, 65536)
                except OSError: return False
            return True
        for expected, line in steps:
            deadline = time.time() + 30
            while expected.encode() not in seen[mark:]:
                if time.time() > deadline or not read(0.2) or child.poll() is not None and not read(0):
                    if expected.encode() in seen[mark:]: break
                    sys.stdout.buffer.write(seen); print("\\nNEVER SAW: " + expected); child.kill(); sys.exit(3)
            mark = seen.index(expected.encode(), mark) + len(expected)
            if line is not None: os.write(master, (line + "\\r").encode())
        status = child.wait(timeout=30)
        while read(0.1) and select.select([master], [], [], 0)[0]: pass
        sys.stdout.buffer.write(seen)
        print("\\nexit=" + str(status))
        """

    static func drive(
        _ arguments: [String], steps: [(String, String?)], term: String = "-", environment: [String: String]
    ) async throws -> String {
        let encodedArguments = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let encodedSteps = String(
            decoding: try JSONSerialization.data(withJSONObject: steps.map { [$0.0, $0.1 as Any] }), as: UTF8.self)
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        let result = try await Spawn.run(
            "/usr/bin/env", ["python3", "-c", driver, Binary.path, term, encodedArguments, encodedSteps],
            environment: env, timeout: .seconds(120))
        return result.stdout + result.stderr
    }

    /// The whole way with nothing but `prompt`: a lead entered and sent, rejected by the CRM,
    /// listed, fixed with `!edit` and sent again as the same record; the CRM gets the fixed lead
    /// once, and nothing said holds an escape sequence.
    @Test func aRejectedLeadIsEnteredListedFixedAndResentWithPromptAlone() async throws {
        try await SandboxEnvironment.with { env in
            for (key, value) in [("default_channel", "Walk-in"), ("default_subject", "Expo"), ("default_rep", "smith")]
            {
                _ = try await Binary.run(["config", "set", key, value], environment: env.environment)
            }
            await env.sandbox.setFaults(
                SandboxFaults(mode: .status, status: 402, count: 1, message: "Channel \u{1B}[31mnot found"))
            let transcript = try await Self.drive(
                ["prompt"],
                steps: [
                    ("First name: ", "Meena"), ("Phone: ", "98765 00004"), ("Last name: ", "!send"),
                    ("rejected (402)", nil),
                    ("First name: ", "!history"), ("#1 ", nil), ("First name: ", "!edit 1"),
                    ("Lead #1, asked again with its values:", nil), ("First name [Meena]: ", ""),
                    ("Phone [98765 00004]: ", ""), ("Last name: ", "Iyer"), ("Email: ", "!send"),
                    ("Meena Iyer: accepted as CRM #", nil), ("First name: ", "?"), ("!retry", nil),
                    ("First name: ", "!quit")
                ],
                environment: env.environment)
            #expect(transcript.hasSuffix("exit=0\n"), "\(transcript)")
            #expect(!transcript.contains("\u{1B}"), "an escape sequence in:\n\(transcript)")
            // The rejection said as one line, its reason clean.
            #expect(transcript.contains("Meena: rejected (402): Channel not found"), "\(transcript)")
            #expect(transcript.contains("#1 "), "\(transcript)")
            // The console's words for keys are plain mode's commands here.
            #expect(
                !transcript.contains("Ctrl-S") && transcript.contains("sent again as the same record"), "\(transcript)")
            let leads = await env.sandbox.leads()
            #expect(leads.count == 1)
            #expect(leads.first?.fields["f_name"] == "Meena" && leads.first?.fields["l_name"] == "Iyer")
            #expect(leads.first?.fields["phonefax"] == "9876500004" && leads.first?.fields["channel_id"] == "Walk-in")
            // The same record: one lead in the history, accepted.
            let history = try await Binary.run(["history", "--json"], environment: env.environment)
            let rows = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]
            #expect(rows?.count == 1 && rows?.first?["state"] as? String == "accepted", "\(history.stdout)")
        }
    }

    /// Problems are said as lines naming the field, and the field is asked again; `-` clears a
    /// kept value; Enter keeps it.
    @Test func problemsAreSaidAtTheirFieldAndAskedAgain() async throws {
        try await SandboxEnvironment.with { env in
            for (key, value) in [("default_channel", "Walk-in"), ("default_subject", "Expo"), ("default_rep", "smith")]
            {
                _ = try await Binary.run(["config", "set", key, value], environment: env.environment)
            }
            let transcript = try await Self.drive(
                ["prompt"],
                steps: [
                    ("First name: ", "Ravi"), ("Phone: ", "98765"), ("Phone must have ten digits", nil),
                    ("Phone [98765]: ", "9876500006"), ("Last name: ", ""), ("Email: ", "ravi@"),
                    ("Email domain looks wrong", nil), ("Email [ravi@]: ", "-"), ("Project: ", ""),
                    ("Notes: ", "wants a demo"), ("Subject [Expo]: ", ""), ("Channel [Walk-in]: ", ""),
                    ("Rep [smith]: ", "-"), ("Alert customer [no]: ", ""), ("Alert rep [no]: ", ""),
                    ("Rep: ", "jones"), ("Ravi: accepted", nil), ("First name: ", "!quit")
                ],
                environment: env.environment)
            #expect(transcript.hasSuffix("exit=0\n"), "\(transcript)")
            // Each problem said once, as a line of its own that names its field.
            #expect(transcript.components(separatedBy: "Phone must have ten digits").count == 2, "\(transcript)")
            // An emptied required field is said once, at the end, as Ctrl-S says it on the form.
            #expect(transcript.components(separatedBy: "Rep is required").count == 2, "\(transcript)")
            let lead = await env.sandbox.leads().first
            #expect(lead?.fields["rep_id"] == "jones" && lead?.fields["notes"] == "wants a demo")
            #expect(lead?.fields["email"] == nil || lead?.fields["email"] == "")
        }
    }

    /// TERM unset on a terminal: plain mode, not a refusal; a lead typed and left with Ctrl-D is
    /// kept for the next start.
    @Test func anUnsetTermOpensPlainModeAndCtrlDKeepsTheTypedLead() async throws {
        try await SandboxEnvironment.with { env in
            let transcript = try await Self.drive(
                [], steps: [("plain mode", nil), ("First name: ", "Kiran"), ("Phone: ", "\u{04}")],
                environment: env.environment)
            #expect(transcript.hasSuffix("exit=0\n"), "\(transcript)")
            let again = try await Self.drive(
                ["prompt"], steps: [("First name [Kiran]: ", "!quit")], environment: env.environment)
            #expect(again.contains("Put back the lead you were typing"), "\(again)")
        }
    }
}
