import ConsoleState
import Foundation
import ParamantraAPI
import Synchronization

/// Lines in and lines out: a terminal in its plain line mode (the kernel echoes and edits the
/// line), a pipe, or a test's pty.
public protocol PlainLines: Sendable {
    /// The next line typed, without its newline; nil at the end of input (Ctrl-D).
    func next() async -> String?
    func write(_ text: String)
}

/// Plain mode (`leadconsole prompt`, `console --plain`): the lead form asked a field a line, in
/// the form's order, for a screen reader, a bare terminal or `expect`. The same store, outbox
/// and rules as the full-screen console; every action goes through the store as a key would.
/// Messages (a lead saved, an answer from the CRM) are said as they come, each once, on a
/// line of their own; when one comes while a prompt waits, the prompt is said again after it.
public enum PlainPrompt {
    /// Says the opening lines and asks the first field before anything is opened (the database,
    /// the network): plain mode answers at once, as the full-screen form is drawn at once.
    public static func greet(lines: some PlainLines, state: AppState) -> Greeting {
        let output = Output(lines: lines)
        for line in PlainText.intro { output.say(line) }
        if let missing = state.settings.missingCredentials {
            output.say("Not sending: \(missing); leads are kept until it is set (leadconsole config set-key)")
        }
        output.say(Session.heading(resending: nil))
        let first = PlainText.prompt(MainView.formFields[0], value: state.form.lead[MainView.formFields[0]])
        output.ask(first)
        return Greeting(output: output, lines: lines, prompt: first)
    }

    /// What `greet` said, and to whom: the first prompt is already waiting for its answer.
    public struct Greeting: Sendable {
        let output: Output
        let lines: any PlainLines
        let prompt: String
    }

    public static func run(
        store: Store, greeting: Greeting, now: @escaping @Sendable () -> Date = Date.init
    ) async -> Console.Ending {
        let lines = greeting.lines
        let output = greeting.output
        // Messages as they come: each state change may bring answers from the CRM.
        let changes = await store.states()
        let watcher = Task {
            for await state in changes { output.flush(state) }
        }
        defer { watcher.cancel() }
        var session = Session(store: store, output: output, lines: lines, now: now, waiting: greeting.prompt)
        return await session.run()
    }

    /// What has been said, and the prompt waiting for an answer (said again after a message).
    final class Output: Sendable {
        private struct Said {
            var nextBanner: Int
            var waitingPrompt: String?
        }
        private let said: Mutex<Said>
        private let lines: any PlainLines

        init(lines: some PlainLines) {
            self.lines = lines
            said = Mutex(Said(nextBanner: 0))
        }

        func say(_ line: String) {
            said.withLock { said in
                if let prompt = said.waitingPrompt {
                    lines.write("\n" + line + "\n" + prompt)
                } else {
                    lines.write(line + "\n")
                }
            }
        }

        func ask(_ prompt: String) {
            said.withLock { said in
                said.waitingPrompt = prompt
                lines.write(prompt)
            }
        }

        /// The prompt said and not yet answered, if any.
        var waiting: String? { said.withLock { $0.waitingPrompt } }

        func answered() { said.withLock { $0.waitingPrompt = nil } }

        /// The messages of `state` not said yet, oldest first.
        func flush(_ state: AppState) {
            let new: [Banner] = said.withLock { said in
                let new = state.banners.filter { $0.id >= said.nextBanner }
                if let last = new.last { said.nextBanner = last.id + 1 }
                return new
            }
            for banner in new { say(PlainText.message(banner.text)) }
        }
    }
}
