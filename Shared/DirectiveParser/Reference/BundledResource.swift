import Foundation

/// A reference-data file shipped in this module's `Resources`.
enum BundledResource: String {
    case agencies = "agencies.json"
    case keyProjects = "key-projects.json"
    case targetOwnership = "target-ownership.json"
    case orgUnits = "org-units.csv"

    /// The file's bytes.
    func data() throws -> Data {
        let name = (rawValue as NSString).deletingPathExtension
        let type = (rawValue as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: name, withExtension: type) else {
            throw ReferenceDataError(file: rawValue, reason: "missing from the module's resources")
        }
        return try Data(contentsOf: url)
    }

    /// Loads the value for a `default` static property; a broken bundled file is a build defect, so it stops the program.
    func loadDefault<Value>(_ load: () throws -> Value) -> Value {
        do {
            return try load()
        } catch {
            preconditionFailure("bundled reference data \(rawValue) is invalid: \(error)")
        }
    }
}

/// Reference data (agencies, key projects, ownership, org units) that is inconsistent or cannot be read.
public struct ReferenceDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or source at fault, e.g. "agencies.json".
    public let file: String
    /// What is wrong, in English.
    public let reason: String

    /// Creates an error.
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
