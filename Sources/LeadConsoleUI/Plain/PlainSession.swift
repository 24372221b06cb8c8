import ConsoleState
import Foundation
import ParamantraAPI

extension PlainPrompt {
    /// One lead after another, a field a line, through the store.
    struct Session {
        let store: Store
        let output: Output
        let lines: any PlainLines
        let now: @Sendable () -> Date
        /// The first prompt, said by `greet` before the store was ready: not said twice.
        var greeted: String?

        /// What one prompt's answer leads to.
        enum Step {
            case answered, again, sendNow, restart
            case end(Console.Ending)
        }

        init(
            store: Store, output: Output, lines: some PlainLines, now: @escaping @Sendable () -> Date,
            waiting: String?
        ) {
            self.store = store
            self.output = output
            self.lines = lines
            self.now = now
            greeted = waiting
        }

        static func heading(resending: Int64?) -> String {
            resending.map { "Lead #\($0), asked again with its values:" } ?? "New lead:"
        }

        mutating func run() async -> Console.Ending {
            while true {
                if let ending = await lead() { return ending }
            }
        }

        /// Asks one lead's fields and sends it; nil once it is on its way, else how plain mode ends.
        mutating func lead() async -> Console.Ending? {
            let fields = MainView.formFields
            var queue = fields
            if greeted == nil { output.say(Self.heading(resending: await store.state.form.resending)) }
            while true {
                while let field = queue.first {
                    switch await ask(field) {
                    case .answered: queue.removeFirst()
                    case .again: continue
                    case .sendNow: queue = []
                    case .restart:
                        output.say(Self.heading(resending: await store.state.form.resending))
                        queue = fields
                    case .end(let ending): return ending
                    }
                }
                switch await submit() {
                case .answered, .restart: return nil
                case .again: queue = fields
                case .sendNow: queue = await fieldsWithErrors()
                case .end(let ending): return ending
                }
            }
        }

        /// Asks `field`; a value goes into the form as typed there, then its problem (if any) is said.
        mutating func ask(_ field: LeadField) async -> Step {
            let prompt = PlainText.prompt(field, value: await store.state.form.lead[field])
            // The greeting's prompt is still waiting, unless the form changed under it (a lead put
            // back from the last run): then the field is asked again with its value.
            if greeted == nil || greeted != prompt || output.waiting == nil { output.ask(prompt) }
            greeted = nil
            guard let line = await lines.next() else { return .end(.hangup) }
            output.answered()
            switch PlainText.answer(line, field: field) {
            case .keep: return .answered
            case .clear: await apply(field, "")
            case .value(let typed): await apply(field, typed)
            case .command(let command): return await run(command)
            }
            let state = await store.state
            let problem = state.form.lead.problems().first { $0.field == field }
            if let problem, problem.severity == .error, !state.form.lead[field].isEmpty {
                output.say(PlainText.problemLine(problem))
                return .again
            }
            // A warning (a landline) is said and the lead goes on; an empty field's error waits
            // for the end, as the form keeps an empty field quiet until Ctrl-S.
            if let problem, problem.severity == .warning { output.say(PlainText.problemLine(problem)) }
            if field == .phone, case .returning(let customer)? = state.form.customer {
                output.say(PlainText.customerLine(customer, now: now()))
            }
            return .answered
        }

        /// A typed value into the form, cut at the field's limit (and said so).
        func apply(_ field: LeadField, _ typed: String) async {
            var value = typed
            if value.count > field.maxLength {
                value = String(value.prefix(field.maxLength))
                output.say("\(field.label): cut to its \(field.maxLength) characters")
            }
            await store.send(.focus(field))
            await store.send(.edit(field, value))
            await settle()
        }

        /// Ctrl-S on the form as it is: `.answered` once the lead is saved and on its way,
        /// `.sendNow` with the problems said (their fields are asked again), `.again` when the
        /// lead is to be asked again from the top.
        func submit() async -> Step {
            // The first field has no completion: what was typed is what is sent.
            await store.send(.focus(.firstName))
            await store.send(.submit)
            await settle()
            var state = await store.state
            if let warning = state.form.duplicateWarning {
                output.say(warning.replacingOccurrences(of: "; Ctrl-S again sends anyway", with: ""))
                output.ask("Send it anyway? [y/N]: ")
                guard let line = await lines.next() else { return .end(.hangup) }
                output.answered()
                guard ["y", "yes"].contains(line.trimmingSpace().lowercased()) else {
                    output.say("Not sent; the lead is asked again (Enter keeps each value)")
                    return .again
                }
                await store.send(.submit)
                await settle()
                state = await store.state
            }
            let errors = state.form.problems.values.filter { $0.severity == .error }
            if !errors.isEmpty {
                for field in MainView.formFields {
                    if let problem = state.form.problems[field], problem.severity == .error {
                        output.say(PlainText.problemLine(problem))
                    }
                }
                return .sendNow
            }
            if state.form.hasCustomerText || state.form.resending != nil { return .again }
            return .answered
        }

        /// Waits for the effects of what was sent (a save, a look-up), then says its messages, so
        /// they come before the next prompt rather than after it.
        func settle() async {
            await store.waitUntilIdle()
            output.flush(await store.state)
        }

        func fieldsWithErrors() async -> [LeadField] {
            let problems = await store.state.form.problems
            return MainView.formFields.filter { problems[$0]?.severity == .error }
        }

        func run(_ command: PlainText.Command) async -> Step {
            switch command {
            case .help:
                for line in PlainText.help { output.say(line) }
            case .history:
                let rows = await store.state.historyPane.rows.prefix(10)
                if rows.isEmpty { output.say("No leads yet.") }
                for lead in rows { output.say(PlainText.historyLine(lead, now: now())) }
            case .retry:
                await store.send(.retryNow)
                await settle()
            case .send:
                return .sendNow
            case .quit:
                return .end(.quit)
            case .edit(let id):
                return await edit(id)
            case .unknown(let text):
                output.say("\(text) is not a command here; ? lists them")
            }
            return .again
        }

        /// Lead `id` into the form, as `e` does on the history screen: a rejected or held lead is
        /// fixed in place and goes out as the same record.
        func edit(_ id: Int64) async -> Step {
            guard !(await store.state.form.hasCustomerText) else {
                output.say("The lead being typed is not sent: send it first (!send), then !edit \(id)")
                return .again
            }
            await store.send(.showLead(id: id, openDetail: true))
            await settle()
            guard await store.state.historyScreen.detail?.lead.id == id else {
                await store.send(.show(.main))
                output.say("There is no lead #\(id) in the history; !history lists the last ten")
                return .again
            }
            await store.send(.copySelectedToForm)
            await settle()
            return .restart
        }
    }
}
