import Foundation

/// Which service reports each target, by target number.
///
/// The bundled data is `Resources/target-ownership.json`; each entry carries the target's Vietnamese name for review.
public struct TargetOwnership: Sendable, Equatable {
    /// One target's owner.
    public struct Entry: Sendable, Codable, Equatable {
        /// The target number, "(5)" → 5.
        public let number: Int
        /// The target's Vietnamese name, for whoever reviews the file.
        public let nameVi: String
        /// The service that reports the target.
        public let service: MonitoringService

        /// Creates an entry.
        public init(number: Int, nameVi: String, service: MonitoringService) {
            self.number = number
            self.nameVi = nameVi
            self.service = service
        }
    }

    /// The entries, in file order.
    public let entries: [Entry]

    /// The ownership in `Resources/target-ownership.json` (the 2018 numbering).
    public static let `default`: TargetOwnership = BundledResource.targetOwnership.loadDefault {
        try TargetOwnership(jsonData: BundledResource.targetOwnership.data())
    }

    /// Creates an ownership table, checking that no target number is listed twice.
    public init(entries: [Entry]) throws(ReferenceDataError) {
        var numbers = Set<Int>()
        for entry in entries where !numbers.insert(entry.number).inserted {
            throw ReferenceDataError(file: BundledResource.targetOwnership.rawValue, reason: "target \(entry.number) is listed twice")
        }
        self.entries = entries
    }

    /// Reads a table from JSON shaped like `Resources/target-ownership.json`: `{"targets": [...]}`.
    public init(jsonData: Data) throws {
        struct File: Decodable {
            let targets: [Entry]
        }
        try self.init(entries: JSONDecoder().decode(File.self, from: jsonData).targets)
    }

    /// The service that reports target `number`, `nil` when the table does not list it.
    public func owner(ofTarget number: Int) -> MonitoringService? {
        entries.first { $0.number == number }?.service
    }

    /// The numbers of the targets a service reports, in file order.
    public func targets(ownedBy service: MonitoringService) -> [Int] {
        entries.filter { $0.service == service }.map(\.number)
    }
}
