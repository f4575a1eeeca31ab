import ArgumentParser
import LifestyleCore
#if canImport(Glibc)
import Glibc
#endif

@main
struct Lifestyle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifestyle",
        abstract: "Lifestyle clustering for social CRM: mine microblog text, cluster lifestyles, rank prospects.",
        discussion: "Exit codes: 0 success, 1 runtime failure, 2 bad usage or input.",
        version: "0.1.0",
        subcommands: [DemoCommand.self, TrainCommand.self, DescribeCommand.self, ScoreCommand.self, EvalCommand.self,
                      SegmentCommand.self, DiscoverCommand.self, VectorizeCommand.self, ClusterCommand.self, ChooseKCommand.self])

    /// Maps errors to the documented exit codes once, at the edge: input and usage errors exit 2
    /// (argument-parser's own usage errors would exit 64), runtime failures exit 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            writeStandardError("error: \(error)\n")
            Glibc.exit(2)
        } catch let error as ConfigurationErrorLike {
            writeStandardError("error: \(error.message)\n")
            Glibc.exit(2)
        } catch let error as RuntimeFailure {
            writeStandardError("error: \(error)\n")
            Glibc.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            writeStandardError(fullMessage(for: error) + "\n")
            // Usage errors (64 in argument-parser) are exit 2 here; other failures are runtime failures.
            Glibc.exit(code == .failure ? 1 : 2)
        }
    }
}

/// Configuration errors from any module (they share the `message` shape).
protocol ConfigurationErrorLike: Error { var message: String { get } }
