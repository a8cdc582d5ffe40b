import Foundation

/// A district of the city, from the GSO org-units list.
public struct District: Sendable, Codable, Equatable {
    /// The GSO administrative code, e.g. "305".
    public let code: String
    /// The name without its prefix, as directives mention it: "Lê Chân".
    public let name: String
    /// The official name with its prefix: "Quận Lê Chân".
    public let fullName: String
    /// The English name: "Le Chan District".
    public let nameEn: String
    /// Whether it is urban ("quận") or rural ("huyện").
    public let kind: DistrictKind
}

/// Urban or rural district.
public enum DistrictKind: String, Sendable, Codable {
    /// "quận".
    case urban = "quan"
    /// "huyện".
    case rural = "huyen"
}

/// The districts whose names are looked for in task texts.
///
/// The bundled data is `Resources/org-units.csv`, a copy of `Shared/ReferenceData/data/org-units-hai-phong-2018.csv`.
public struct DistrictCatalog: Sendable, Equatable {
    /// The districts, in file order.
    public let districts: [District]
    /// The districts' names folded for matching, in the same order.
    private let nameKeys: [MatchingKey]

    /// The districts in `Resources/org-units.csv`.
    public static let `default`: DistrictCatalog = BundledResource.orgUnits.loadDefault {
        try DistrictCatalog(csvData: BundledResource.orgUnits.data())
    }

    /// Creates a catalogue from districts.
    public init(districts: [District]) {
        self.districts = districts
        nameKeys = districts.map { MatchingKey($0.name, foldingCase: false) }
    }

    /// Reads the GSO org-units CSV (`code,parent_code,level,kind,name_vi,name_en`), keeping the rows of level `district`.
    public init(csvData: Data) throws(ReferenceDataError) {
        func invalid(_ reason: String) -> ReferenceDataError {
            ReferenceDataError(file: BundledResource.orgUnits.rawValue, reason: reason)
        }
        guard let text = String(data: csvData, encoding: .utf8) else {
            throw invalid("not UTF-8")
        }
        let rows = SourceText.lines(of: text.precomposedStringWithCanonicalMapping).filter { !$0.text.isEmpty }
        let expectedHeader = ["code", "parent_code", "level", "kind", "name_vi", "name_en"]
        guard let header = rows.first,
            header.text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) == expectedHeader
        else {
            throw invalid("the header is not \(expectedHeader.joined(separator: ","))")
        }
        var districts: [District] = []
        for row in rows.dropFirst() {
            let fields = row.text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == expectedHeader.count else {
                throw invalid("line \(row.number) has \(fields.count) fields, expected \(expectedHeader.count)")
            }
            guard fields[2] == "district" else { continue }
            guard let kind = DistrictKind(rawValue: fields[3]) else {
                throw invalid("line \(row.number): unknown district kind \(fields[3])")
            }
            let fullName = fields[4]
            guard let space = fullName.firstIndex(of: " ") else {
                throw invalid("line \(row.number): “\(fullName)” has no Quận/Huyện prefix")
            }
            districts.append(
                District(
                    code: fields[0], name: String(fullName[fullName.index(after: space)...]), fullName: fullName,
                    nameEn: fields[5], kind: kind))
        }
        self.init(districts: districts)
    }

    /// The district with this GSO code.
    public func district(code: String) -> District? {
        districts.first { $0.code == code }
    }

    /// The codes of the districts a text names, with or without "quận"/"huyện", in order of first mention.
    ///
    /// Names are matched as whole words with their capitals ("Kiến An", not "ý kiến an toàn").
    public func districtCodes(mentionedIn text: String) -> [String] {
        let key = MatchingKey(text, foldingCase: false)
        var firstMention: [(code: String, offset: Int)] = []
        for (district, name) in zip(districts, nameKeys) {
            if let offset = key.firstOffset(ofWord: name) {
                firstMention.append((district.code, offset))
            }
        }
        return firstMention.sorted { $0.offset < $1.offset }.map(\.code)
    }
}
