import Foundation

/// Facts of the OC4IDS 0.9 project package and project schemas, copied from open-contracting/infrastructure at tag
/// 0__9__4 (`schema/project-level/project-package-schema.json`, `project-schema.json` and `codelists/*.csv`), and a
/// check of a package against them: required fields, closed codelists (enums), the codelists of open ones as the
/// standard lists them, and date-time formats. Only the fields the infrastructure service writes are checked.
///
/// Note: the codes are the standard's spelling — "waterAndWaste", "cultureSportsAndRecreation" (not
/// "waterSanitation", "cultureSportsRecreation"); projectStatus in 0.9.4 is identification, preparation,
/// implementation, completion, maintenance, decommissioning, decommissioned, cancelled (0.9.1–0.9.3 had "completed"
/// instead of the last three but the register's five codes are in every 0.9 release).
enum OC4IDSProjectSchema {
    /// project-package-schema.json: `required`.
    static let packageRequired = ["uri", "publisher", "publishedDate", "projects", "version"]
    /// project-package-schema.json: `version.pattern` ("major.minor").
    static let versionPattern = #"^(\d+\.)(\d+)$"#
    /// project-schema.json: `required`.
    static let projectRequired = ["id"]
    /// project-schema.json: `status.enum` (projectStatus.csv, closed).
    static let projectStatus: Set<String> = [
        "identification", "preparation", "implementation", "completion", "maintenance", "decommissioning", "decommissioned", "cancelled",
    ]
    /// projectSector.csv (open codelist; `sector` has minItems 1 and unique items, and a subsector's parent must be listed too).
    static let projectSector: Set<String> = [
        "education", "health", "energy", "energy.solar", "energy.wind", "energy.hydropower", "energy.biomass", "energy.geothermal",
        "communications", "waterAndWaste", "governance", "economy", "cultureSportsAndRecreation", "transport", "transport.air",
        "transport.water", "transport.rail", "transport.road", "transport.urban", "transport.lowCarbon", "socialHousing",
        "naturalResources", "naturalResources.floodProtection",
    ]
    /// Milestone.status enum (milestoneStatus.csv, closed).
    static let milestoneStatus: Set<String> = ["scheduled", "met", "notMet", "partiallyMet"]
    /// milestoneType.csv (open).
    static let milestoneType: Set<String> = [
        "preProcurement", "approval", "engagement", "assessment", "delivery", "reporting", "financing", "payment", "procurement", "contractClose",
    ]
    /// modificationType.csv (open).
    static let modificationType: Set<String> = ["duration", "value", "scope"]
    /// partyRole.csv (open).
    static let partyRole: Set<String> = [
        "buyer", "procuringEntity", "supplier", "tenderer", "funder", "enquirer", "payer", "payee", "reviewBody", "interestedParty",
        "publicAuthority", "administrativeEntity", "climateFinanceFocalPoint", "independentMonitor",
    ]
    /// currency.csv (closed) holds VND ("Dong"); the only currency the register writes.
    static let currencies: Set<String> = ["VND"]
    /// `format: date-time` (RFC 3339).
    static let dateTimePattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#

    /// What in `json` (a project package) does not follow the facts above, one line each; empty when it all does.
    static func violations(in json: Data) throws -> [String] {
        guard let package = try JSONSerialization.jsonObject(with: json) as? [String: Any] else { return ["the package is not a JSON object"] }
        var found: [String] = []
        for key in packageRequired where package[key] == nil { found.append("package: missing required \(key)") }
        if let version = package["version"] as? String {
            if version.range(of: versionPattern, options: .regularExpression) == nil { found.append("package.version '\(version)' is not major.minor") }
        } else {
            found.append("package.version is not a string")
        }
        checkDateTime(package["publishedDate"], "package.publishedDate", into: &found)
        if (package["publisher"] as? [String: Any])?["name"] as? String == nil { found.append("package.publisher.name is missing") }
        guard let projects = package["projects"] as? [[String: Any]], !projects.isEmpty else {
            return found + ["package.projects is not a non-empty array of objects"]
        }
        var ids = Set<String>()
        for (index, project) in projects.enumerated() {
            let path = "projects[\(index)]"
            for key in projectRequired where (project[key] as? String)?.isEmpty != false { found.append("\(path): missing required \(key)") }
            if let id = project["id"] as? String, !ids.insert(id).inserted { found.append("\(path).id '\(id)' repeats") }
            checkProject(project, path, into: &found)
        }
        return found
    }

    private static func checkProject(_ project: [String: Any], _ path: String, into found: inout [String]) {
        if let status = project["status"], !projectStatus.contains(status as? String ?? "") { found.append("\(path).status '\(status)' is not in projectStatus") }
        if let sectors = project["sector"] {
            guard let sectors = sectors as? [String], !sectors.isEmpty, Set(sectors).count == sectors.count else {
                found.append("\(path).sector is not a non-empty array of unique codes")
                return
            }
            for sector in sectors where !projectSector.contains(sector) { found.append("\(path).sector '\(sector)' is not in projectSector") }
            for sector in sectors where sector.contains(".") {
                let parent = String(sector.prefix { $0 != "." })
                if !sectors.contains(parent) { found.append("\(path).sector lists \(sector) without its parent \(parent)") }
            }
        }
        if let authority = project["publicAuthority"] as? [String: Any] {
            if (authority["name"] as? String)?.isEmpty != false || (authority["id"] as? String)?.isEmpty != false {
                found.append("\(path).publicAuthority lacks a name or an id")
            }
        }
        for (index, party) in (project["parties"] as? [[String: Any]] ?? []).enumerated() {
            for role in party["roles"] as? [String] ?? [] where !partyRole.contains(role) { found.append("\(path).parties[\(index)] role '\(role)' is not in partyRole") }
        }
        for (index, location) in (project["locations"] as? [[String: Any]] ?? []).enumerated() where (location["id"] as? String)?.isEmpty != false {
            found.append("\(path).locations[\(index)]: missing required id")
        }
        if let budget = project["budget"] as? [String: Any] {
            checkValue(budget["amount"], "\(path).budget.amount", into: &found)
            for (index, breakdowns) in (budget["budgetBreakdowns"] as? [[String: Any]] ?? []).enumerated() {
                if (breakdowns["id"] as? String)?.isEmpty != false { found.append("\(path).budget.budgetBreakdowns[\(index)]: missing required id") }
                let parts = breakdowns["budgetBreakdown"] as? [[String: Any]] ?? []
                if parts.isEmpty { found.append("\(path).budget.budgetBreakdowns[\(index)].budgetBreakdown has no item") }
                for (part, breakdown) in parts.enumerated() {
                    if (breakdown["id"] as? String)?.isEmpty != false { found.append("\(path).budget.budgetBreakdowns[\(index)].budgetBreakdown[\(part)]: missing required id") }
                    checkValue(breakdown["amount"], "\(path).budget.budgetBreakdowns[\(index)].budgetBreakdown[\(part)].amount", into: &found)
                    checkPeriod(breakdown["period"], "\(path).budget.budgetBreakdowns[\(index)].budgetBreakdown[\(part)].period", into: &found)
                }
            }
        }
        checkPeriod(project["period"], "\(path).period", into: &found)
        for (index, milestone) in (project["milestones"] as? [[String: Any]] ?? []).enumerated() {
            let place = "\(path).milestones[\(index)]"
            if (milestone["id"] as? String)?.isEmpty != false { found.append("\(place): missing required id") }
            if let status = milestone["status"], !milestoneStatus.contains(status as? String ?? "") { found.append("\(place).status '\(status)' is not in milestoneStatus") }
            if let type = milestone["type"], !milestoneType.contains(type as? String ?? "") { found.append("\(place).type '\(type)' is not in milestoneType") }
            checkDateTime(milestone["dueDate"], "\(place).dueDate", into: &found)
            checkDateTime(milestone["dateMet"], "\(place).dateMet", into: &found)
        }
        for (index, process) in (project["contractingProcesses"] as? [[String: Any]] ?? []).enumerated() {
            let place = "\(path).contractingProcesses[\(index)]"
            if (process["id"] as? String)?.isEmpty != false { found.append("\(place): missing required id") }
            let modifications = (process["summary"] as? [String: Any])?["modifications"] as? [[String: Any]] ?? []
            for (number, modification) in modifications.enumerated() {
                let at = "\(place).summary.modifications[\(number)]"
                if (modification["id"] as? String)?.isEmpty != false { found.append("\(at): missing required id") }
                if let type = modification["type"], !modificationType.contains(type as? String ?? "") { found.append("\(at).type '\(type)' is not in modificationType") }
                checkDateTime(modification["date"], "\(at).date", into: &found)
                checkValue(modification["oldContractValue"], "\(at).oldContractValue", into: &found)
                checkValue(modification["newContractValue"], "\(at).newContractValue", into: &found)
                checkPeriod(modification["oldContractPeriod"], "\(at).oldContractPeriod", into: &found)
                checkPeriod(modification["newContractPeriod"], "\(at).newContractPeriod", into: &found)
            }
        }
    }

    /// A Value, when present: a number amount and a currency of the codelist.
    private static func checkValue(_ value: Any?, _ path: String, into found: inout [String]) {
        guard let value else { return }
        guard let object = value as? [String: Any] else { return found.append("\(path) is not an object") }
        if !(object["amount"] is NSNumber) { found.append("\(path).amount is not a number") }
        if !currencies.contains(object["currency"] as? String ?? "") { found.append("\(path).currency '\(object["currency"] ?? "")' is not VND") }
    }

    /// A Period, when present: its dates are date-times.
    private static func checkPeriod(_ value: Any?, _ path: String, into found: inout [String]) {
        guard let value else { return }
        guard let period = value as? [String: Any] else { return found.append("\(path) is not an object") }
        checkDateTime(period["startDate"], "\(path).startDate", into: &found)
        checkDateTime(period["endDate"], "\(path).endDate", into: &found)
    }

    /// A date-time, when present.
    private static func checkDateTime(_ value: Any?, _ path: String, into found: inout [String]) {
        guard let value else { return }
        guard let text = value as? String, text.range(of: dateTimePattern, options: .regularExpression) != nil else {
            return found.append("\(path) '\(value)' is not an RFC 3339 date-time")
        }
    }
}
