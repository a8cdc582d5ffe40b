import Foundation

/// One numbered socio-economic target (chỉ tiêu) of a directive, e.g. "(5) Tổng vốn đầu tư toàn xã hội huy động đạt 82.100 tỷ đồng".
public struct Target: Sendable, Codable, Equatable {
    /// The number as written, `5` for "(5)".
    public let number: Int
    /// The group of the lettered heading above the target ("a) Các chỉ tiêu kinh tế"); `nil` when the target stands outside any group.
    public let category: TargetCategory?
    /// The Vietnamese name: the lead clause without its comparator words, value and unit (a counted noun such as
    /// "xã" or "tiêu chí" stays), an opening "phấn đấu" or a closing "so với năm 2017"; the head of a "Name: a; b"
    /// list; or, for a line of several clauses without a lead (2018 target 13), the clause names joined by "; ".
    public let name: String
    /// What the whole line asks for; `nil` when the line only lists sub-targets (2018 targets 10, 13 and 17).
    public let measure: Measure?
    /// The parts of a line that carry their own value: "trong đó" breakdowns, ";"-separated clauses and "Name: a; b" lists.
    public let subTargets: [SubTarget]
    /// The line exactly as written in the directive (NFC), including the "(5)".
    public let sourceText: String
    /// The 1-based line number in the directive text.
    public let line: Int

    /// The measure with this identifier: `"5"` for the target's own measure, `"13.b"` for a sub-target.
    public func measure(id: String) -> Measure? {
        if id == String(number) { return measure }
        return subTargets.first { $0.id == id }?.measure
    }
}

/// A part of a target line with its own value, e.g. "nhóm dịch vụ tăng 12,1%" inside target 1.
public struct SubTarget: Sendable, Codable, Equatable {
    /// A code stable within the target: the target number, a dot and a letter in order of appearance, `"1.c"`.
    public let id: String
    /// The Vietnamese name of the part, read like a target's name, e.g. "nhóm dịch vụ".
    public let name: String
    /// What the part asks for.
    public let measure: Measure
    /// The clause exactly as written.
    public let sourceText: String
}

/// The lettered group a target belongs to.
public enum TargetCategory: String, Sendable, Codable, CaseIterable {
    /// "Các chỉ tiêu kinh tế".
    case economic
    /// "Các chỉ tiêu xã hội".
    case social
    /// "Các chỉ tiêu môi trường".
    case environment
}

/// A value a target asks for: comparator, value, unit and what the value is measured against.
public struct Measure: Sendable, Codable, Equatable {
    /// How the actual figure is to be compared with `value`.
    public let comparator: TargetComparator
    /// The comparator words as written, e.g. "tăng từ … trở lên", "đạt khoảng"; empty when the value stands alone.
    public let comparatorText: String
    /// The value or range, exact as written (Vietnamese number format read: "82.100" is 82100, "2,75" is 2.75).
    public let value: TargetValue
    /// The unit, with its canonical code and its text as written.
    public let unit: MeasureUnit
    /// What the value is measured against.
    public let basis: MeasureBasis
}

/// The comparator words of a target.
public enum TargetComparator: String, Sendable, Codable, CaseIterable {
    /// "đạt" (reach), including "đạt bình quân".
    case reach
    /// "khoảng", "đạt khoảng" (about).
    case about
    /// "ở mức" (at the level of).
    case at
    /// "từ … trở lên", "tăng từ … trở lên", "ít nhất", "tối thiểu" (at least).
    case atLeast
    /// "trên", "đạt trên" (more than).
    case moreThan
    /// "dưới" (less than).
    case lessThan
    /// "tăng", "thêm", "có thêm" (increase by).
    case increase
    /// "giảm" (decrease by).
    case decrease
    /// No comparator word: the value stands alone ("Thu nội địa 24.725 tỷ đồng") or follows "là" (is).
    case unqualified
}

/// A single value or a range ("22 - 23%", "17 - 17,5 tiêu chí").
///
/// Encoded in JSON as `{"value": 15}` or `{"low": 22, "high": 23}`.
public enum TargetValue: Sendable, Equatable, Codable {
    /// One value.
    case exact(Decimal)
    /// A range written "low - high".
    case range(low: Decimal, high: Decimal)

    /// The lower bound; the value itself when exact.
    public var low: Decimal {
        switch self {
        case .exact(let value): value
        case .range(let low, _): low
        }
    }

    /// The upper bound; the value itself when exact.
    public var high: Decimal {
        switch self {
        case .exact(let value): value
        case .range(_, let high): high
        }
    }

    private enum CodingKeys: String, CodingKey {
        case value, low, high
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let value = try container.decodeIfPresent(Decimal.self, forKey: .value) {
            self = .exact(value)
        } else {
            self = .range(
                low: try container.decode(Decimal.self, forKey: .low),
                high: try container.decode(Decimal.self, forKey: .high))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .exact(let value):
            try container.encode(value, forKey: .value)
        case .range(let low, let high):
            try container.encode(low, forKey: .low)
            try container.encode(high, forKey: .high)
        }
    }
}

/// A unit of a target value: a canonical code and the Vietnamese text as written ("tỷ đồng").
public struct MeasureUnit: Sendable, Codable, Equatable {
    /// The canonical unit.
    public let code: UnitCode
    /// The unit as written in the directive.
    public let text: String
}

/// The units directives use for targets. Each has the Vietnamese spellings it is recognised by.
public enum UnitCode: String, Sendable, Codable, CaseIterable {
    /// "%".
    case percent
    /// "USD".
    case usd
    /// "triệu USD" (million US dollars).
    case millionUSD
    /// "tỷ USD" (billion US dollars).
    case billionUSD
    /// "triệu đồng" (million dong).
    case millionVND
    /// "tỷ đồng" (billion dong).
    case billionVND
    /// "triệu tấn" (million tonnes).
    case millionTonnes
    /// "triệu lượt khách" (million visits).
    case millionVisits
    /// "lượt người" (person-times: one person counted once per occurrence).
    case personTimes
    /// "tiêu chí" (criteria of the national new-rural-development set).
    case criteria
    /// "xã" (communes).
    case communes

    /// The spellings recognised after a number, as written in directives (matching ignores case).
    public var vietnameseSpellings: [String] {
        switch self {
        case .percent: ["%"]
        case .usd: ["USD", "đô la Mỹ"]
        case .millionUSD: ["triệu USD"]
        case .billionUSD: ["tỷ USD", "tỉ USD"]
        case .millionVND: ["triệu đồng"]
        case .billionVND: ["tỷ đồng", "tỉ đồng"]
        case .millionTonnes: ["triệu tấn"]
        case .millionVisits: ["triệu lượt khách", "triệu lượt"]
        case .personTimes: ["lượt người"]
        case .criteria: ["tiêu chí"]
        case .communes: ["xã"]
        }
    }

    /// Whether the unit is a noun that names what is counted ("15 xã", "17 tiêu chí"), and so belongs in the target's name.
    var isCountedNoun: Bool {
        switch self {
        case .criteria, .communes, .personTimes: true
        default: false
        }
    }
}

/// What a target value is measured against.
public enum MeasureBasis: String, Sendable, Codable, CaseIterable {
    /// Growth over the previous year, in percent ("tăng 22%").
    case growthOverPreviousYear
    /// A level or rate at the end of the year ("đạt 84,5%", "đạt 4.195 USD" per capita, average criteria).
    case level
    /// An amount summed over the year ("82.100 tỷ đồng", "107 triệu tấn", "54.500 lượt người").
    case cumulativeAmountForYear
    /// A change of a rate, in percentage points ("Tỷ lệ hộ nghèo … giảm 0,65%").
    case changeInPercentagePoints
    /// A number of units reaching a state ("thêm 15 xã … đạt 19 tiêu chí").
    case count
}
