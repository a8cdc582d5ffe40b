import ArgumentParser
import Foundation
import PlanContracts

/// A failure `planctl` reports on stderr in its own words before exiting with status 1.
struct CommandFailure: Error {
    var message: String

    /// The failure of an RPC: what was being done, the status name and the server's message.
    init(_ doing: String, _ error: any Error) {
        if let error = error as? RPCError {
            var text = "\(doing) (\(error.code)): \(error.message)"
            let extra = error.fieldViolations.filter { $0.reason != error.message }
            if !extra.isEmpty {
                text += "\n" + extra.map { "  \($0.field): \($0.reason)" }.joined(separator: "\n")
            }
            message = text
        } else {
            message = "\(doing): \(error)"
        }
    }

    /// The failure of an RPC whose field violations name their own place (a CSV file's line and column): what was
    /// being done, the status name and the server's message, then each violation's reason on a line of its own.
    init(_ doing: String, listingReasonsOf error: any Error) {
        guard let error = error as? RPCError, error.code == .invalidArgument || error.code == .alreadyExists else {
            self.init(doing, error)
            return
        }
        self.init(message: (["\(doing) (\(error.code)): \(error.message)"] + error.fieldViolations.map { "  \($0.reason)" }).joined(separator: "\n"))
    }

    init(message: String) {
        self.message = message
    }
}

extension AsyncParsableCommand {
    /// Runs `body`; a ``CommandFailure`` is printed to stderr as `planctl: …` and ends the process with status 1.
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("planctl: \(failure.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// Writes text to stdout, ending it with a newline if it has none.
func printText(_ text: String) {
    print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
}
