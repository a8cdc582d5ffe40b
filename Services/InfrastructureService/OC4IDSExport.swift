import DepartmentCore
import DirectiveParser
import Foundation
import PlanContracts

/// Codes of the OC4IDS 0.9 codelists the register uses (open-contracting/infrastructure, tag 0__9__4,
/// `schema/project-level/codelists/`).
enum OC4IDSCodelists {
    /// projectSector.csv.
    static let sectors: [String] = [
        "education", "health", "energy", "energy.solar", "energy.wind", "energy.hydropower", "energy.biomass", "energy.geothermal",
        "communications", "waterAndWaste", "governance", "economy", "cultureSportsAndRecreation",
        "transport", "transport.air", "transport.water", "transport.rail", "transport.road", "transport.urban", "transport.lowCarbon",
        "socialHousing", "naturalResources", "naturalResources.floodProtection",
    ]
}

/// A year's register as an OC4IDS 0.9 project package: one project per register entry, with its public authority
/// (the owner agency, also in `parties`), locations (its districts, or the city), budget (total investment, and the
/// year's capital plan as a budget breakdown), period, milestones and contract changes (as modifications of
/// contracting processes, one process per contract title). Amounts are in VND; days are written as the start of the
/// day in Vietnam (UTC+07:00).
struct OC4IDSExport {
    /// The schema version the package declares.
    static let version = "0.9"

    /// The register.
    let register: ProjectRegister
    /// The unit whose register it is.
    let orgUnitCode: String
    /// When the package is made.
    let publishedAt: Date

    /// The OC4IDS id of a register entry: `oc4ids-planmonitor-<org unit>-<record id>`. OC4IDS asks for a registered
    /// prefix; `oc4ids-planmonitor-<org unit>` stands in for one until the city registers its own.
    static func projectID(orgUnitCode: String, recordID: String) -> String {
        "oc4ids-planmonitor-\(orgUnitCode)-\(recordID)"
    }

    /// The package as JSON (keys sorted, UTF-8 text unescaped).
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(package()), as: UTF8.self)
    }

    /// The package.
    func package() -> Package {
        let unitName = OrgUnitScope(orgUnitCode: orgUnitCode).names[orgUnitCode] ?? orgUnitCode
        let stamp = ISO8601DateFormatter()
        return Package(
            uri: "urn:planmonitor:infrastructure:\(orgUnitCode):\(register.year)",
            publishedDate: stamp.string(from: publishedAt),
            publisher: Publisher(name: "PlanMonitor – dịch vụ hạ tầng, \(unitName)"),
            version: Self.version,
            projects: register.projects.map(project)
        )
    }

    private func project(_ entry: Planmonitor_Infrastructure_V1_Project) -> Project {
        let owner = Reference(id: entry.ownerAgencyCode, name: PublicInvestment.agencyName(entry.ownerAgencyCode))
        var budget: Budget?
        var breakdowns: [BudgetBreakdowns] = []
        if let plan = ProjectRegister.capitalPlan(of: entry) {
            breakdowns.append(BudgetBreakdowns(
                id: "capital-plan-\(register.year)",
                description: "Kế hoạch vốn đầu tư công năm \(register.year)",
                budgetBreakdown: [BudgetBreakdown(
                    id: "1", description: "Kế hoạch vốn năm \(register.year)", amount: Self.value(billions: plan),
                    period: Period(startDate: Self.dateTime(LocalDay.make(register.year, 1, 1)), endDate: Self.dateTime(LocalDay.make(register.year, 12, 31))))]))
        }
        let total = entry.hasTotalInvestment ? MoneyUnits.amount(entry.totalInvestment, in: .billionVnd) : nil
        let funding = entry.fundingSources.map(\.nameVi).joined(separator: "; ")
        if total != nil || !breakdowns.isEmpty || !funding.isEmpty {
            budget = Budget(
                description: funding.isEmpty ? nil : "Nguồn vốn: \(funding)",
                amount: total.map(Self.value(billions:)),
                budgetBreakdowns: breakdowns.isEmpty ? nil : breakdowns)
        }
        let milestones = (register.milestones[entry.recordID] ?? []).map(milestone)
        let processes = contractingProcesses(entry)
        var sectors: [String] = []
        for sector in entry.sectors {
            if let dot = sector.firstIndex(of: "."), !sectors.contains(String(sector[..<dot])) { sectors.append(String(sector[..<dot])) }
            if !sectors.contains(sector) { sectors.append(sector) }
        }
        let period = entry.hasPeriodStart || entry.hasPeriodEnd
            ? Period(startDate: entry.hasPeriodStart ? Self.dateTime(entry.periodStart) : nil, endDate: entry.hasPeriodEnd ? Self.dateTime(entry.periodEnd) : nil)
            : nil
        return Project(
            id: Self.projectID(orgUnitCode: orgUnitCode, recordID: entry.recordID),
            title: entry.title,
            description: entry.description_p.isEmpty ? nil : entry.description_p,
            status: entry.status.code,
            sector: sectors,
            publicAuthority: owner,
            parties: [Party(id: owner.id, name: owner.name, roles: ["publicAuthority"])],
            locations: locations(entry),
            budget: budget,
            period: period,
            milestones: milestones.isEmpty ? nil : milestones,
            contractingProcesses: processes.isEmpty ? nil : processes
        )
    }

    private func locations(_ entry: Planmonitor_Infrastructure_V1_Project) -> [Location] {
        let city = OrgUnitScope.cityName
        guard !entry.districtCodes.isEmpty else {
            return [Location(id: "1", description: city, address: Address(locality: nil, region: city, countryName: "Việt Nam"))]
        }
        return entry.districtCodes.enumerated().map { index, code in
            let name = DistrictCatalog.default.district(code: code)?.fullName ?? code
            return Location(id: "\(index + 1)", description: "\(name), \(city) (mã GSO \(code))", address: Address(locality: name, region: city, countryName: "Việt Nam"))
        }
    }

    private func milestone(_ milestone: Planmonitor_Infrastructure_V1_Milestone) -> Milestone {
        let status: String
        if milestone.hasDateMet {
            status = "met"
        } else if let month = register.reportingMonth, LocalDay.precedes(milestone.dueDate, VietnameseWording.lastDay(ofMonth: month, of: register.year)) {
            status = "notMet"
        } else {
            status = "scheduled"
        }
        return Milestone(
            id: milestone.recordID, title: milestone.title, type: "delivery", code: milestone.code,
            description: milestone.note.isEmpty ? nil : milestone.note,
            dueDate: Self.dateTime(milestone.dueDate), dateMet: milestone.hasDateMet ? Self.dateTime(milestone.dateMet) : nil, status: status)
    }

    private func contractingProcesses(_ entry: Planmonitor_Infrastructure_V1_Project) -> [ContractingProcess] {
        let changes = register.contractChanges[entry.recordID] ?? []
        var titles: [String] = []
        for change in changes where !titles.contains(change.contractTitle) { titles.append(change.contractTitle) }
        return titles.enumerated().map { index, title in
            var modifications: [Modification] = []
            for change in changes where change.contractTitle == title {
                if change.hasOldValue || change.hasNewValue {
                    modifications.append(Modification(
                        id: "\(change.recordID)/value", date: Self.dateTime(change.changedOn), description: change.reason, rationale: change.reason, type: "value",
                        oldContractValue: MoneyUnits.amount(change.oldValue, in: .billionVnd).map(Self.value(billions:)),
                        newContractValue: MoneyUnits.amount(change.newValue, in: .billionVnd).map(Self.value(billions:)),
                        oldContractPeriod: nil, newContractPeriod: nil))
                }
                if change.hasOldEndDate || change.hasNewEndDate {
                    modifications.append(Modification(
                        id: "\(change.recordID)/duration", date: Self.dateTime(change.changedOn), description: change.reason, rationale: change.reason, type: "duration",
                        oldContractValue: nil, newContractValue: nil,
                        oldContractPeriod: Period(startDate: nil, endDate: Self.dateTime(change.oldEndDate)),
                        newContractPeriod: Period(startDate: nil, endDate: Self.dateTime(change.newEndDate))))
                }
            }
            return ContractingProcess(id: "\(entry.recordID)/contract/\(index + 1)", summary: ContractingProcessSummary(title: title, modifications: modifications))
        }
    }

    /// An amount in billion VND as an OC4IDS value in VND.
    private static func value(billions: Decimal) -> Value {
        Value(amount: billions * 1_000_000_000, currency: "VND")
    }

    /// "2018-04-28T00:00:00+07:00".
    static func dateTime(_ date: Planmonitor_Common_V1_LocalDate) -> String {
        "\(LocalDay.iso(date))T00:00:00+07:00"
    }

    // MARK: The package's shape (OC4IDS field names)

    /// The project package.
    struct Package: Encodable {
        var uri: String
        var publishedDate: String
        var publisher: Publisher
        var version: String
        var projects: [Project]
    }

    /// Who publishes the package.
    struct Publisher: Encodable {
        var name: String
    }

    /// One project.
    struct Project: Encodable {
        var id: String
        var title: String
        var description: String?
        var status: String
        var sector: [String]
        var publicAuthority: Reference
        var parties: [Party]
        var locations: [Location]
        var budget: Budget?
        var period: Period?
        var milestones: [Milestone]?
        var contractingProcesses: [ContractingProcess]?
    }

    /// An organization reference.
    struct Reference: Encodable {
        var id: String
        var name: String
    }

    /// An organization with its roles.
    struct Party: Encodable {
        var id: String
        var name: String
        var roles: [String]
    }

    /// Where a project is.
    struct Location: Encodable {
        var id: String
        var description: String
        var address: Address
    }

    /// A location's address.
    struct Address: Encodable {
        var locality: String?
        var region: String
        var countryName: String
    }

    /// Amount and currency.
    struct Value: Encodable {
        var amount: Decimal
        var currency: String
    }

    /// A span of days.
    struct Period: Encodable {
        var startDate: String?
        var endDate: String?
    }

    /// A project's budget.
    struct Budget: Encodable {
        var description: String?
        var amount: Value?
        var budgetBreakdowns: [BudgetBreakdowns]?
    }

    /// A group of budget breakdowns.
    struct BudgetBreakdowns: Encodable {
        var id: String
        var description: String
        var budgetBreakdown: [BudgetBreakdown]
    }

    /// One part of a budget.
    struct BudgetBreakdown: Encodable {
        var id: String
        var description: String
        var amount: Value
        var period: Period
    }

    /// A milestone.
    struct Milestone: Encodable {
        var id: String
        var title: String
        var type: String
        var code: String
        var description: String?
        var dueDate: String
        var dateMet: String?
        var status: String
    }

    /// A contracting process, summarised.
    struct ContractingProcess: Encodable {
        var id: String
        var summary: ContractingProcessSummary
    }

    /// What the package says of a contracting process.
    struct ContractingProcessSummary: Encodable {
        var title: String
        var modifications: [Modification]
    }

    /// A change of a contract.
    struct Modification: Encodable {
        var id: String
        var date: String
        var description: String
        var rationale: String
        var type: String
        var oldContractValue: Value?
        var newContractValue: Value?
        var oldContractPeriod: Period?
        var newContractPeriod: Period?
    }
}
