import Foundation

/// The PlanMonitor service that represents an agency or reports a target.
public enum MonitoringService: String, Sendable, Codable, CaseIterable {
    /// State budget revenue and spending.
    case budget
    /// Growth, investment, trade, industry, agriculture, tourism.
    case investment
    /// Transport, construction, land, environment, ports, ICT infrastructure.
    case infrastructure
    /// Education, health, labour, culture, social insurance.
    case social
    /// Defence, public security, inspection, justice, foreign affairs.
    case security
    /// City-wide coordination: the People's Committees, their offices, home affairs.
    case aggregator
}

/// The level of government an agency belongs to, used to expand collective groups.
public enum AgencyKind: String, Sendable, Codable, CaseIterable {
    /// The city People's Committee itself (the directive's issuer).
    case cityCommittee
    /// A city department, board or sector ("Sở, ban, ngành"), including central agencies' city branches.
    case cityAgency
    /// A district People's Committee.
    case districtCommittee
}

/// One real body that leads tasks, e.g. Sở Tài chính.
public struct Agency: Sendable, Codable, Equatable {
    /// A stable English code, e.g. `dept-finance`, `district-305-pc`.
    public let code: String
    /// The Vietnamese name.
    public let nameVi: String
    /// The English name.
    public let nameEn: String
    /// The level of government.
    public let kind: AgencyKind
    /// The service that represents the agency.
    public let service: MonitoringService
    /// The names the agency goes by in directives, as written ("Cục Hải Quan thành phố", "Cục Hải quan Hải Phòng").
    public let aliases: [String]
    /// Other services the agency reports figures to besides its own: Sở Nông nghiệp và Phát triển nông thôn reports
    /// new-rural development to the social service, Sở Tài nguyên và Môi trường the environment targets.
    public let alsoReportsTo: [MonitoringService]

    /// Creates an agency.
    public init(code: String, nameVi: String, nameEn: String, kind: AgencyKind, service: MonitoringService, aliases: [String], alsoReportsTo: [MonitoringService] = []) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.kind = kind
        self.service = service
        self.aliases = aliases
        self.alsoReportsTo = alsoReportsTo
    }

    private enum CodingKeys: String, CodingKey {
        case code, nameVi, nameEn, kind, service, aliases, alsoReportsTo
    }

    /// Reads an agency; `alsoReportsTo` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code), nameVi: try container.decode(String.self, forKey: .nameVi),
            nameEn: try container.decode(String.self, forKey: .nameEn), kind: try container.decode(AgencyKind.self, forKey: .kind),
            service: try container.decode(MonitoringService.self, forKey: .service), aliases: try container.decode([String].self, forKey: .aliases),
            alsoReportsTo: try container.decodeIfPresent([MonitoringService].self, forKey: .alsoReportsTo) ?? [])
    }

    /// True when the agency reports figures to `service`: its own service or one of `alsoReportsTo`.
    public func reports(to service: MonitoringService) -> Bool {
        self.service == service || alsoReportsTo.contains(service)
    }
}

/// A collective lead named in directives ("Các Sở, ban, ngành", "Ủy ban nhân dân các quận, huyện"), kept as a group
/// that expands to its members.
public struct AgencyGroup: Sendable, Codable, Equatable {
    /// A stable English code, e.g. `all-district-committees`.
    public let code: String
    /// The Vietnamese name.
    public let nameVi: String
    /// The English name.
    public let nameEn: String
    /// Every agency of these kinds is a member.
    public let memberKinds: [AgencyKind]
    /// These agencies are members too.
    public let memberCodes: [String]
    /// The names the group goes by, as written.
    public let aliases: [String]

    /// Creates a group.
    public init(code: String, nameVi: String, nameEn: String, memberKinds: [AgencyKind], memberCodes: [String], aliases: [String]) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.memberKinds = memberKinds
        self.memberCodes = memberCodes
        self.aliases = aliases
    }
}

/// The agencies and groups that directives name, with their aliases; resolves names as written to codes.
///
/// The bundled data is `Resources/agencies.json`.
public struct AgencyRegistry: Sendable, Equatable {
    /// Every agency, in file order.
    public let agencies: [Agency]
    /// Every collective group, in file order.
    public let groups: [AgencyGroup]
    /// Alias keys by their first character, longest first, so that "Sở Kế hoạch và Đầu tư" wins over a shorter name
    /// at the same place.
    private let aliasIndex: [Character: [IndexedAlias]]

    private struct IndexedAlias: Sendable, Equatable {
        let key: MatchingKey
        let reference: AgencyReference
    }

    /// The registry in `Resources/agencies.json`.
    public static let `default`: AgencyRegistry = BundledResource.agencies.loadDefault {
        try AgencyRegistry(jsonData: BundledResource.agencies.data())
    }

    /// Creates a registry, checking that codes are unique, that no alias names two bodies and that group members exist.
    public init(agencies: [Agency], groups: [AgencyGroup]) throws(ReferenceDataError) {
        func invalid(_ reason: String) -> ReferenceDataError {
            ReferenceDataError(file: BundledResource.agencies.rawValue, reason: reason)
        }
        var codes = Set<String>()
        for code in agencies.map(\.code) + groups.map(\.code) where !codes.insert(code).inserted {
            throw invalid("code \(code) is used twice")
        }
        let agencyCodes = Set(agencies.map(\.code))
        for group in groups {
            if let missing = group.memberCodes.first(where: { !agencyCodes.contains($0) }) {
                throw invalid("group \(group.code) lists unknown member \(missing)")
            }
        }
        var owners: [String: String] = [:]
        var index: [IndexedAlias] = []
        let named =
            agencies.map { (AgencyReference(code: $0.code, isGroup: false), [$0.nameVi] + $0.aliases) }
            + groups.map { (AgencyReference(code: $0.code, isGroup: true), [$0.nameVi] + $0.aliases) }
        for (reference, names) in named {
            for name in names {
                let key = MatchingKey(name)
                if let owner = owners[key.string] {
                    guard owner == reference.code else {
                        throw invalid("alias “\(name)” names both \(owner) and \(reference.code)")
                    }
                    continue
                }
                owners[key.string] = reference.code
                index.append(IndexedAlias(key: key, reference: reference))
            }
        }
        self.agencies = agencies
        self.groups = groups
        aliasIndex = Dictionary(grouping: index) { $0.key.characters.first ?? " " }
            .mapValues { $0.sorted { $0.key.characters.count > $1.key.characters.count } }
    }

    /// Reads a registry from JSON shaped like `Resources/agencies.json`: `{"agencies": [...], "groups": [...]}`.
    public init(jsonData: Data) throws {
        struct File: Decodable {
            let agencies: [Agency]
            let groups: [AgencyGroup]
        }
        let file = try JSONDecoder().decode(File.self, from: jsonData)
        try self.init(agencies: file.agencies, groups: file.groups)
    }

    /// The agency with this code.
    public func agency(code: String) -> Agency? {
        agencies.first { $0.code == code }
    }

    /// The group with this code.
    public func group(code: String) -> AgencyGroup? {
        groups.first { $0.code == code }
    }

    /// The members of a group, in registry order.
    public func members(of group: AgencyGroup) -> [Agency] {
        agencies.filter { group.memberKinds.contains($0.kind) || group.memberCodes.contains($0.code) }
    }

    /// The agencies behind references, groups expanded, each agency once, in order of first appearance.
    public func expand(_ references: [AgencyReference]) -> [Agency] {
        var seen = Set<String>()
        var expanded: [Agency] = []
        for reference in references {
            let found: [Agency]
            if reference.isGroup {
                found = group(code: reference.code).map(members(of:)) ?? []
            } else {
                found = agency(code: reference.code).map { [$0] } ?? []
            }
            for agency in found where seen.insert(agency.code).inserted {
                expanded.append(agency)
            }
        }
        return expanded
    }

    /// The agencies a service represents, in registry order.
    public func agencies(representedBy service: MonitoringService) -> [Agency] {
        agencies.filter { $0.service == service }
    }

    /// The agency or group whose name or alias is exactly `name` (ignoring case, tone-mark placement and spacing).
    public func resolve(name: String) -> AgencyReference? {
        let key = MatchingKey(name.trimmingCharacters(in: .whitespaces))
        return key.characters.first.flatMap { aliasIndex[$0] }?.first { $0.key == key }?.reference
    }

    /// Reads a list of lead names as written in a block heading ("Sở Nội vụ, Ban Thi đua khen thưởng",
    /// "Các Sở, ban, ngành, quận, huyện"): names separated by ",", ";" or "và", each a known alias.
    /// Fails with the first part that no alias covers.
    func resolveList(_ text: String) -> Result<[AgencyReference], UnresolvedName> {
        let key = MatchingKey(text)
        var furthest = 0
        func parse(from start: Int) -> [AgencyReference]? {
            furthest = max(furthest, start)
            for alias in aliases(startingAt: start, in: key) where key.hasWord(alias.key, at: start) {
                let end = start + alias.key.characters.count
                if end == key.characters.count {
                    return [alias.reference]
                }
                if let next = Self.endOfSeparator(in: key.characters, at: end), let rest = parse(from: next) {
                    return [alias.reference] + rest
                }
            }
            return nil
        }
        if let references = parse(from: 0) {
            var seen = Set<AgencyReference>()
            return .success(references.filter { seen.insert($0).inserted })
        }
        let rest = String(text.dropFirst(key.sourceOffset(ofKeyIndex: furthest, sourceLength: text.count)))
        return .failure(UnresolvedName(text: rest.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))))
    }

    /// A part of a list of names that no alias covers.
    struct UnresolvedName: Error {
        let text: String
    }

    /// Every agency or group named in running text, in order, the longest name winning at each place, with the
    /// character offset in `text` where it starts.
    func mentions(in text: String) -> [(reference: AgencyReference, offset: Int)] {
        let key = MatchingKey(text)
        var found: [(AgencyReference, Int)] = []
        var position = 0
        while position < key.characters.count {
            if key.isBoundary(before: position),
                let alias = aliases(startingAt: position, in: key).first(where: { key.hasWord($0.key, at: position) })
            {
                found.append((alias.reference, key.sourceOffsets[position]))
                position += alias.key.characters.count
            } else {
                position += 1
            }
        }
        return found
    }

    /// The aliases that begin with the character at `position`, longest first.
    private func aliases(startingAt position: Int, in key: MatchingKey) -> [IndexedAlias] {
        position < key.characters.count ? aliasIndex[key.characters[position]] ?? [] : []
    }

    /// The position after a list separator (",", ";" or "và" with spaces) that starts at `position`, if there is one.
    private static func endOfSeparator(in characters: [Character], at position: Int) -> Int? {
        var index = position
        func skipSpaces() {
            while index < characters.count, characters[index] == " " { index += 1 }
        }
        skipSpaces()
        guard index < characters.count else { return nil }
        if characters[index] == "," || characters[index] == ";" {
            index += 1
        } else if characters[index...].starts(with: "và "), index > position {
            index += 3
        } else {
            return nil
        }
        skipSpaces()
        return index < characters.count ? index : nil
    }
}
