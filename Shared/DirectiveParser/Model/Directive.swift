/// A People's Committee's annual directive (chỉ thị) on the socio-economic plan, read into structured data.
///
/// Produced by ``DirectiveTextParser``. Sections, blocks and tasks are flat lists that refer to each other by
/// section and block number, so they can be stored and queried without walking a tree.
public struct Directive: Sendable, Codable, Equatable {
    /// Who issued the directive.
    public let issuer: Issuer
    /// The plan year, from "NĂM 2018" in the title.
    public let year: Int
    /// The title as written after "CHỈ THỊ" (NFC, without the final full stop).
    public let title: String
    /// The theme of the year, the quoted text after "Chủ đề năm"; `nil` when the directive names none.
    public let theme: String?
    /// The numbered targets "(1)"…"(n)", in order.
    public let targets: [Target]
    /// The sections I, II, … of Part One ("Phần thứ nhất"), in order.
    public let sections: [Section]
    /// The lead-agency blocks ("1. Sở Tài chính chủ trì:") of all sections, in order.
    public let blocks: [LeadAgencyBlock]
    /// The tasks of all blocks, in order.
    public let tasks: [DirectiveTask]
    /// The reporting deadlines of Part Two ("Phần thứ hai"), in order of appearance.
    public let reportingCalendar: [ReportingObligation]

    /// The target with this number, if any.
    public func target(number: Int) -> Target? {
        targets.first { $0.number == number }
    }

    /// The blocks of one section, in order.
    public func blocks(inSection sectionNumber: Int) -> [LeadAgencyBlock] {
        blocks.filter { $0.sectionNumber == sectionNumber }
    }

    /// The tasks of one section, in order.
    public func tasks(inSection sectionNumber: Int) -> [DirectiveTask] {
        tasks.filter { $0.sectionNumber == sectionNumber }
    }

    /// The tasks whose lead agencies, with groups expanded through `registry`, include the agency with this code.
    public func tasks(assignedTo agencyCode: String, in registry: AgencyRegistry) -> [DirectiveTask] {
        tasks.filter { task in
            registry.expand(task.leadAgencies).contains { $0.code == agencyCode }
        }
    }
}

/// The body that issued a directive.
public struct Issuer: Sendable, Codable, Equatable {
    /// The body's name, e.g. "Ủy ban nhân dân thành phố Hải Phòng"; without the locality when it could not be found.
    public let name: String
    /// The province-level unit's kind as written in the name: "thành phố" (centrally governed city) or "tỉnh" (province).
    public let localityKind: String
    /// The city or province, e.g. "Hải Phòng"; `nil` when the text does not say.
    public let locality: String?
    /// Where the locality came from.
    public let localitySource: LocalitySource?
}

/// Where the issuer's locality was read from.
public enum LocalitySource: String, Sendable, Codable {
    /// The issuer line above "CHỈ THỊ" ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG").
    case issuerLine
    /// The most frequent "thành phố …"/"tỉnh …" mention in the body, when there is no issuer line (the 2018 text).
    case bodyMentions
}

/// A section of Part One, e.g. "I. Tăng cường kỷ cương thu - chi ngân sách nhà nước".
public struct Section: Sendable, Codable, Equatable {
    /// The section's number, 1 for "I".
    public let number: Int
    /// The Roman numeral as written.
    public let numeral: String
    /// The title as written, without the final ":" or ".".
    public let title: String
    /// The 1-based line number.
    public let line: Int
}

/// A numbered block naming who leads the tasks under it, e.g. "1. Sở Tài chính chủ trì:".
public struct LeadAgencyBlock: Sendable, Codable, Equatable {
    /// The number of the section the block belongs to.
    public let sectionNumber: Int
    /// The block's number within its section.
    public let number: Int
    /// The heading as written, without the number ("Sở Nội vụ, Ban Thi đua khen thưởng chủ trì:").
    public let heading: String
    /// The agency names as written, the heading without "chủ trì" and similar endings ("Sở Nội vụ, Ban Thi đua khen thưởng").
    public let agencyText: String
    /// The agencies and groups named, in order; each task of the block is given to each of them.
    public let leadAgencies: [AgencyReference]
    /// The 1-based line number.
    public let line: Int
}

/// A reference to an agency or a collective group of agencies in ``AgencyRegistry``.
public struct AgencyReference: Sendable, Codable, Hashable {
    /// The agency's or group's code, e.g. `dept-finance`, `all-district-committees`.
    public let code: String
    /// Whether the code names a group ("Các Sở, ban, ngành") that expands to its members.
    public let isGroup: Bool

    /// Creates a reference.
    public init(code: String, isGroup: Bool) {
        self.code = code
        self.isGroup = isGroup
    }
}

/// One task of a block: a "- …" line, or a paragraph in a block without dashes.
public struct DirectiveTask: Sendable, Codable, Equatable {
    /// A key stable across re-imports: section number, lead codes and a hash of the normalised text,
    /// e.g. `"4|dept-transport|9f0c…"`; a `#2` suffix tells apart a repeated text under the same leads.
    public let key: String
    /// The number of the section.
    public let sectionNumber: Int
    /// The number of the block within the section.
    public let blockNumber: Int
    /// The block's lead agencies and groups.
    public let leadAgencies: [AgencyReference]
    /// The task text as written, without the leading "- ".
    public let text: String
    /// Whether the task was a dash item or a paragraph.
    public let form: TaskForm
    /// The due date read from the text, or the end of the year.
    public let timing: TaskTiming
    /// GSO codes of the districts the text names ("305" for Lê Chân), in order of first mention.
    public let districtCodes: [String]
    /// Codes of the key projects the text names (``KeyProjectCatalog``), in catalogue order.
    public let keyProjectsNamed: [String]
    /// The 1-based line number.
    public let line: Int
}

/// How a task is written.
public enum TaskForm: String, Sendable, Codable {
    /// A line starting with "-".
    case dashItem
    /// A paragraph in a block that has no dash items.
    case paragraph
}

/// When a task is due.
public struct TaskTiming: Sendable, Codable, Equatable {
    /// The due date: the date the text gives, or 31 December of the plan year when it gives none.
    public let due: CalendarDay
    /// What the due date stands for.
    public let kind: DueDateKind
    /// Whether the text gave no date and `due` is the end of the plan year.
    public let isDefaulted: Bool
    /// The start date, for "từ ngày 01/01/2018" and "từ đầu năm 2018".
    public let starts: CalendarDay?
    /// The words the date was read from, as written ("Trong quý I/2018"); `nil` when defaulted.
    public let phrase: String?
}

/// What a task's due date stands for.
public enum DueDateKind: String, Sendable, Codable {
    /// A deadline day: "trước ngày 15/01/2018".
    case deadline
    /// A start day: "từ ngày 01/01/2018"; the task is due when it starts.
    case startDate
    /// The end of a month: "trong tháng 6/2018".
    case endOfMonth
    /// The end of a quarter: "Trong quý I/2018".
    case endOfQuarter
    /// The end of the first half: "6 tháng đầu năm".
    case endOfHalfYear
    /// The end of the year: "đến hết năm 2018", "trong năm 2018", or no date at all (then `isDefaulted`).
    case endOfYear
}
