import DirectiveParser

/// The org units a department instance keeps records and reports for: its own unit and, for the city, the districts
/// below it (from the GSO list bundled with `DirectiveParser`).
public struct OrgUnitScope: Sendable, Equatable {
    /// The instance's own unit ("31" the city, "305" Lê Chân).
    public let orgUnitCode: String
    /// GSO code → official Vietnamese name, for every unit in scope.
    public let names: [String: String]
    /// The instance's own unit first, then the units below it by code.
    public let codes: [String]
    /// The code of the unit above the instance's own, when the instance is a district.
    public let parentCode: String?

    /// The scope of an instance serving `orgUnitCode`, with the districts of `catalog`.
    ///
    /// The city code is the parent code the districts share; an instance serving a code the list does not know keeps
    /// only that code (a test deployment on a unit of its own).
    public init(orgUnitCode: String, catalog: DistrictCatalog = .default, cityCode: String = OrgUnitScope.cityCode, cityName: String = OrgUnitScope.cityName) {
        self.orgUnitCode = orgUnitCode
        if orgUnitCode == cityCode {
            var names = [cityCode: cityName]
            for district in catalog.districts { names[district.code] = district.fullName }
            self.names = names
            parentCode = nil
        } else if let district = catalog.districts.first(where: { $0.code == orgUnitCode }) {
            names = [district.code: district.fullName]
            parentCode = cityCode
        } else {
            names = [orgUnitCode: "Đơn vị \(orgUnitCode)"]
            parentCode = nil
        }
        codes = Self.codes(of: orgUnitCode, names: names)
    }

    /// A scope of units given by name: `orgUnitCode` named `name`, with `below` (code → name) under it — for other
    /// provinces and for benchmarks at national scale.
    public init(orgUnitCode: String, name: String, below: [String: String]) {
        self.orgUnitCode = orgUnitCode
        var names = below
        names[orgUnitCode] = name
        self.names = names
        parentCode = nil
        codes = Self.codes(of: orgUnitCode, names: names)
    }

    private static func codes(of orgUnitCode: String, names: [String: String]) -> [String] {
        [orgUnitCode] + names.keys.filter { $0 != orgUnitCode }.sorted()
    }

    /// Hải Phòng's GSO code.
    public static let cityCode = "31"
    /// Hải Phòng's official name.
    public static let cityName = "Thành phố Hải Phòng"

    /// True when `code` is the instance's unit or one below it.
    public func contains(_ code: String) -> Bool { names[code] != nil }

    /// The units whose figures include `code`'s: itself and, when it is below the instance's unit, the instance's unit.
    public func unitsIncluding(_ code: String) -> [String] {
        code == orgUnitCode ? [code] : [code, orgUnitCode]
    }

    /// "unknown org unit '999' (this instance serves 31 and the units below it: 303, 304, …)".
    public func unknownUnitReason(_ code: String) -> String {
        let others = codes.dropFirst()
        let served = others.isEmpty ? orgUnitCode : "\(orgUnitCode) and the units below it: \(others.joined(separator: ", "))"
        return code.isEmpty ? "missing (this instance serves \(served))" : "unknown org unit '\(code)' (this instance serves \(served))"
    }
}

extension OrgUnitScope {
    /// The units records are kept for: the units below the instance's own (the districts of a city instance), or the
    /// instance's own unit when it has none below it (a district instance). Figures of a unit above them are
    /// computed from theirs, never recorded.
    public var recordingUnits: [String] {
        let below = codes.filter { $0 != orgUnitCode }
        return below.isEmpty ? [orgUnitCode] : below
    }

    /// Why `code` is not a unit records are kept for, or `nil` when it is.
    public func recordingUnitReason(_ code: String) -> String? {
        if recordingUnits.contains(code) { return nil }
        if code == orgUnitCode {
            return "\(code) is the instance's own unit: its figures are computed from its districts' records (one of \(recordingUnits.joined(separator: ", ")))"
        }
        return unknownUnitReason(code)
    }

    /// True when the records of `code` count for `unit`: `code` is the unit, or the unit is the instance's own above it.
    public func includes(_ code: String, in unit: String) -> Bool {
        unitsIncluding(code).contains(unit)
    }

    /// The units that have figures when `codes` have records: those units and the instance's own above them, in code
    /// order.
    public func units(above codes: some Sequence<String>) -> [String] {
        Set(codes.flatMap { unitsIncluding($0) }).sorted()
    }
}
