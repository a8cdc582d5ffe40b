import DepartmentCore
import DirectiveParser
import Foundation
import Synchronization
import PlanContracts

/// A year's seed register, bundled as `Resources/project-register-<year>.json`: the key works the year's directive
/// names, each with the key of the task that names it, its owner, sectors, districts, funding and status, kept as
/// reviewable data. An entry with a `keyProjectCode` is a project of the directive parser's key-project catalogue
/// (`key-projects.json`) and takes its Vietnamese name from there unless it gives a `title`.
struct ProjectSeed: Sendable {
    /// One project of the seed file.
    struct Entry: Decodable, Sendable {
        /// The project's record id.
        var id: String
        /// Its code in `key-projects.json`, when it is one of the catalogue's.
        var keyProjectCode: String?
        /// Its Vietnamese name; the catalogue's when omitted.
        var title: String?
        /// What is built.
        var description: String?
        /// The key of the directive task that names it ("2018-IV.1.3").
        var taskKey: String
        /// The agency accountable for it.
        var ownerAgencyCode: String
        /// OC4IDS sector codes.
        var sectors: [String]
        /// GSO codes of its districts.
        var districtCodes: [String]
        /// Funding source codes ("public-budget", "oda-jica", …).
        var fundingSources: [String]
        /// OC4IDS status code.
        var status: String
        /// Total investment, billion VND, when known.
        var totalInvestmentBillionVnd: String?
        /// The year's capital plan, billion VND, when known.
        var capitalPlanBillionVnd: String?
        /// Names under which statistics and the press publish it (English), to match published milestones.
        var publishedNames: [String]
        /// Remark.
        var note: String?
    }

    /// A seed file that cannot be turned into project records.
    struct Invalid: Error, CustomStringConvertible {
        /// The file.
        var file: String
        /// What is wrong.
        var reason: String

        var description: String { "\(file): \(reason)" }
    }

    /// The plan year.
    let year: Int32
    /// The entries, in file order.
    let entries: [Entry]
    /// The file's name, for messages.
    let fileName: String

    /// The seed register of `year` bundled with the service; `nil` when there is none.
    static func bundled(year: Int32) throws -> ProjectSeed? {
        if let known = bundledByYear.withLock({ $0[year] }) { return known }
        let name = "project-register-\(year)"
        let seed = try Bundle.module.url(forResource: name, withExtension: "json").map {
            try ProjectSeed(jsonData: Data(contentsOf: $0), fileName: "\(name).json")
        }
        bundledByYear.withLock { $0[year] = seed }
        return seed
    }

    /// The bundled seeds read so far, by year (a file of published milestones asks for the year's seed on each row).
    private static let bundledByYear = Mutex<[Int32: ProjectSeed?]>([:])

    /// Reads a seed file: `{"year": 2018, "projects": [...]}`.
    init(jsonData: Data, fileName: String) throws {
        struct File: Decodable {
            var year: Int32
            var projects: [Entry]
        }
        let file = try JSONDecoder().decode(File.self, from: jsonData)
        year = file.year
        entries = file.projects
        self.fileName = fileName
    }

    /// The entries as project records of the register of `orgUnitCode`.
    func projects(orgUnitCode: String) throws(Invalid) -> [Planmonitor_Infrastructure_V1_Project] {
        try entries.map { (entry) throws(Invalid) in try project(entry, orgUnitCode: orgUnitCode) }
    }

    private func project(_ entry: Entry, orgUnitCode: String) throws(Invalid) -> Planmonitor_Infrastructure_V1_Project {
        func invalid(_ reason: String) -> Invalid { Invalid(file: fileName, reason: "project \(entry.id): \(reason)") }
        var project = Planmonitor_Infrastructure_V1_Project()
        project.recordID = entry.id
        project.orgUnitCode = orgUnitCode
        project.year = year
        if let code = entry.keyProjectCode {
            guard let known = KeyProjectCatalog.default.projects.first(where: { $0.code == code }) else {
                throw invalid("key project \(code) is not in key-projects.json")
            }
            project.keyProjectCode = code
            project.title = entry.title ?? known.nameVi
        } else {
            guard let title = entry.title else { throw invalid("no title and no keyProjectCode to take one from") }
            project.title = title
        }
        project.description_p = entry.description ?? ""
        project.taskKey = entry.taskKey
        project.ownerAgencyCode = entry.ownerAgencyCode
        project.sectors = entry.sectors
        project.districtCodes = entry.districtCodes
        project.fundingSources = try entry.fundingSources.map { (code) throws(Invalid) in
            guard let source = Planmonitor_Infrastructure_V1_FundingSource(code: code) else { throw invalid("unknown funding source \(code)") }
            return source
        }
        guard let status = Planmonitor_Infrastructure_V1_ProjectStatus(code: entry.status) else { throw invalid("unknown status \(entry.status)") }
        project.status = status
        if let total = entry.totalInvestmentBillionVnd { project.totalInvestment = Planmonitor_Common_V1_Money(amount: total, unit: .billionVnd) }
        if let plan = entry.capitalPlanBillionVnd { project.capitalPlan = Planmonitor_Common_V1_Money(amount: plan, unit: .billionVnd) }
        project.note = entry.note ?? ""
        return project
    }

    /// The ids of the entries one of whose published names `text` contains (ignoring case and diacritics).
    func projectIDs(publishedIn text: String) -> [String] {
        let folded = Self.fold(text)
        return entries.filter { entry in entry.publishedNames.contains { folded.contains(Self.fold($0)) } }.map(\.id)
    }

    /// Lower case, without diacritics, "đ" as "d".
    private static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).replacingOccurrences(of: "đ", with: "d")
    }
}
