import ArgumentParser
import Glibc
import SandboxCommandLine

/// `leadconsole sandbox`: a local server that answers like Paramantra, for practice and tests. The
/// server is `leadconsole-sandbox`, a program of its own beside this one (the console's binary
/// carries no server); this command checks the options and becomes that program (exec: the same
/// process, so its signals and exit status are the sandbox's).
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox", abstract: SandboxOptions.abstract, discussion: SandboxOptions.discussion)

    @OptionGroup var options: SandboxOptions

    func run() throws {
        let program = SandboxOptions.program()
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + options.arguments).map { strdup($0) } + [nil]
        execv(program, argv)
        let why = String(cString: strerror(errno))
        writeLine(
            "error: cannot run \(program): \(why); it is installed beside leadconsole (make install)", toError: true)
        throw ExitCode(SandboxOptions.unavailable)
    }
}
