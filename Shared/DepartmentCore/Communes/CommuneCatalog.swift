import Foundation

/// A unit of the lowest level of government — commune (xã), ward (phường) or township (thị trấn) — below a district.
public struct Commune: Sendable, Equatable {
    /// The GSO code, five digits: "11776".
    public let code: String
    /// The GSO code of its district: "315".
    public let districtCode: String
    /// Commune, ward or township.
    public let kind: CommuneKind
    /// The official name with its prefix: "Xã Tiên Thanh".
    public let name: String
}

/// What a commune-level unit is.
public enum CommuneKind: String, Sendable {
    /// A rural commune (xã): the unit the national new-rural criteria assess.
    case commune = "xa"
    /// An urban ward (phường).
    case ward = "phuong"
    /// A township (thị trấn), the seat of a rural district.
    case township = "thi-tran"
}

/// The commune-level units of a city by GSO code, with the district each belongs to.
///
/// ``OrgUnitScope`` knows the city and its districts; department records kept below a district (a commune's
/// new-rural assessment, a commune's drill) name their district and their commune, and this catalogue says whether the
/// commune exists and belongs to that district.
public struct CommuneCatalog: Sendable {
    /// The units in file order.
    public let communes: [Commune]
    private let byCode: [String: Commune]

    /// Reads `code,district_code,kind,name_vi` lines after that header (kind `xa`, `phuong` or `thi-tran`).
    public init(csv: String) throws(CommuneListError) {
        let lines = csv.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.first == "code,district_code,kind,name_vi" else {
            throw CommuneListError(line: 1, reason: "the header is not code,district_code,kind,name_vi")
        }
        var communes: [Commune] = []
        var byCode: [String: Commune] = [:]
        for (offset, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, fields[0].count == 5, fields[0].allSatisfy(\.isASCII), fields[0].allSatisfy(\.isNumber) else {
                throw CommuneListError(line: offset + 1, reason: "expected a five-digit code and three more fields: \(line)")
            }
            guard let kind = CommuneKind(rawValue: fields[2]) else {
                throw CommuneListError(line: offset + 1, reason: "unknown kind '\(fields[2])' (xa, phuong or thi-tran)")
            }
            let commune = Commune(code: fields[0], districtCode: fields[1], kind: kind, name: fields[3])
            guard byCode.updateValue(commune, forKey: commune.code) == nil else {
                throw CommuneListError(line: offset + 1, reason: "code \(commune.code) repeats")
            }
            communes.append(commune)
        }
        self.communes = communes
        self.byCode = byCode
    }

    /// The unit with GSO code `code`.
    public func commune(_ code: String) -> Commune? { byCode[code] }

    /// The units of district `districtCode`, in list order.
    public func communes(inDistrict districtCode: String) -> [Commune] {
        communes.filter { $0.districtCode == districtCode }
    }

    /// Why `communeCode` cannot be placed in district `districtCode`, or `nil` when it belongs there (and, with
    /// `kinds`, is one of them): "11368 (Phường Cát Dài) is in district 305, not 315".
    public func misplacement(of communeCode: String, inDistrict districtCode: String, kinds: Set<CommuneKind>? = nil) -> String? {
        guard !communeCode.isEmpty else { return "missing" }
        guard let commune = byCode[communeCode] else {
            return "unknown commune '\(communeCode)' (not in the GSO list of communes, wards and townships)"
        }
        if commune.districtCode != districtCode {
            return "\(commune.code) (\(commune.name)) is in district \(commune.districtCode), not \(districtCode)"
        }
        if let kinds, !kinds.contains(commune.kind) {
            let accepted = kinds.map(\.rawValue).sorted().joined(separator: ", ")
            return "\(commune.code) (\(commune.name)) is a \(commune.kind.englishName), not one of: \(accepted)"
        }
        return nil
    }
}

extension CommuneKind {
    /// "commune", "ward", "township".
    public var englishName: String {
        switch self {
        case .commune: "commune"
        case .ward: "ward"
        case .township: "township"
        }
    }
}

/// A line of a commune list that does not read.
public struct CommuneListError: Error, Sendable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// What is wrong.
    public var reason: String

    public var description: String { "commune list line \(line): \(reason)" }
}
