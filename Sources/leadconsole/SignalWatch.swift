import Dispatch
import Foundation

/// Turns signals into a call on a dispatch queue instead of killing the process, so a command
/// can end its own way (restore the terminal, stop after the batch in hand). The signals are
/// handled while the watch lives; `cancel` (or the end of its life) stops watching.
final class SignalWatch: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ numbers: [Int32], _ handler: @escaping @Sendable () -> Void) {
        sources = numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func cancel() { for source in sources { source.cancel() } }

    deinit { cancel() }
}
