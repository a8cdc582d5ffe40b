import Foundation

/// A key (trọng điểm) project that tasks name, with the phrases that identify it.
public struct KeyProject: Sendable, Codable, Equatable {
    /// A stable English code, e.g. `bach-dang-bridge`.
    public let code: String
    /// The Vietnamese name.
    public let nameVi: String
    /// The English name.
    public let nameEn: String
    /// Phrases that name the project in a task, matched as whole words ignoring case ("cầu Bạch Đằng").
    public let patterns: [String]

    /// Creates a project.
    public init(code: String, nameVi: String, nameEn: String, patterns: [String]) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.patterns = patterns
    }
}

/// The key projects looked for in task texts.
///
/// The bundled data is `Resources/key-projects.json`, a seed list of projects the 2018 directive names; a longer list
/// can be supplied with ``init(jsonData:)``.
public struct KeyProjectCatalog: Sendable, Equatable {
    /// The projects, in file order.
    public let projects: [KeyProject]
    /// Each project's patterns folded for matching, in the same order.
    private let patternKeys: [[MatchingKey]]

    /// The projects in `Resources/key-projects.json`.
    public static let `default`: KeyProjectCatalog = BundledResource.keyProjects.loadDefault {
        try KeyProjectCatalog(jsonData: BundledResource.keyProjects.data())
    }

    /// Creates a catalogue, checking that codes are unique and every project has a pattern.
    public init(projects: [KeyProject]) throws(ReferenceDataError) {
        var codes = Set<String>()
        for project in projects {
            guard codes.insert(project.code).inserted else {
                throw ReferenceDataError(file: BundledResource.keyProjects.rawValue, reason: "code \(project.code) is used twice")
            }
            guard !project.patterns.isEmpty else {
                throw ReferenceDataError(file: BundledResource.keyProjects.rawValue, reason: "project \(project.code) has no pattern")
            }
        }
        self.projects = projects
        patternKeys = projects.map { $0.patterns.map { MatchingKey($0) } }
    }

    /// Reads a catalogue from JSON shaped like `Resources/key-projects.json`: `{"projects": [...]}`.
    public init(jsonData: Data) throws {
        struct File: Decodable {
            let projects: [KeyProject]
        }
        try self.init(projects: JSONDecoder().decode(File.self, from: jsonData).projects)
    }

    /// The codes of the projects a text names, in catalogue order.
    public func projectCodes(namedIn text: String) -> [String] {
        let key = MatchingKey(text)
        return zip(projects, patternKeys).filter { _, patterns in
            patterns.contains { key.firstOffset(ofWord: $0) != nil }
        }.map(\.0.code)
    }
}
