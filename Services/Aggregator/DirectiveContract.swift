import DirectiveParser
import Foundation
import PlanContracts
import SwiftProtobuf

/// Turns the parser's `Directive` into the `planmonitor.directive.v1.Directive` the aggregator stores and publishes:
/// targets with the service that reports each (``TargetOwnership``), sections with their blocks and tasks, the
/// agencies that lead tasks or report with the service that represents each (``AgencyRegistry``), and the
/// reporting calendar.
struct DirectiveContract: Sendable {
    /// Who reports which target.
    let ownership: TargetOwnership
    /// The agencies and groups the parser resolved lead names to.
    let registry: AgencyRegistry

    init(ownership: TargetOwnership = .default, registry: AgencyRegistry = .default) {
        self.ownership = ownership
        self.registry = registry
    }

    /// What the import knows besides the text's content.
    struct RevisionInfo {
        var orgUnitCode: String
        var revision: Int32
        var textSHA256: String
        var importedAt: Date
        var importedBy: Planmonitor_Common_V1_AuditMetadata
    }

    /// The stable identifier of a directive across revisions: `"<org unit>-<year>"`, e.g. "31-2018".
    static func directiveID(orgUnitCode: String, year: Int) -> String {
        "\(orgUnitCode)-\(year)"
    }

    /// The service that reports a target: the ownership table's, or the aggregator's for a target it does not list.
    func owner(ofTarget number: Int) -> String {
        ownership.owner(ofTarget: number)?.rawValue ?? MonitoringService.aggregator.rawValue
    }

    /// Warnings about the directive that do not stop the import, in Vietnamese for the official who imports it:
    /// targets the ownership table does not list.
    func warnings(for directive: Directive) -> [String] {
        directive.targets.filter { ownership.owner(ofTarget: $0.number) == nil }.map { target in
            "Chỉ tiêu (\(target.number)) \(target.name) chưa được giao cho sở, ngành nào trong target-ownership.json: dịch vụ tổng hợp (aggregator) theo dõi"
        }
    }

    /// The contract's key of each task, by the parser's key: `"<year>-<section numeral>.<block>.<position in block>"`.
    func taskKeys(of directive: Directive) -> [String: String] {
        let numerals = Dictionary(directive.sections.map { ($0.number, $0.numeral) }, uniquingKeysWith: { first, _ in first })
        var positions: [String: Int] = [:]
        var keys: [String: String] = [:]
        for task in directive.tasks {
            let block = "\(task.sectionNumber).\(task.blockNumber)"
            let ordinal = (positions[block] ?? 0) + 1
            positions[block] = ordinal
            let numeral = numerals[task.sectionNumber] ?? String(task.sectionNumber)
            keys[task.key] = "\(directive.year)-\(numeral).\(task.blockNumber).\(ordinal)"
        }
        return keys
    }

    /// The directive as the contract's message.
    func message(for directive: Directive, _ info: RevisionInfo) -> Planmonitor_Directive_V1_Directive {
        var message = Planmonitor_Directive_V1_Directive()
        message.id = Self.directiveID(orgUnitCode: info.orgUnitCode, year: directive.year)
        message.revision = info.revision
        message.year = Int32(directive.year)
        message.issuer = directive.issuer.name
        message.title = directive.title
        message.theme = directive.theme ?? ""
        message.targets = directive.targets.map(target)
        message.sections = sections(of: directive)
        message.agencies = agencies(of: directive)
        message.reportingCalendar = directive.reportingCalendar.map(deadline)
        message.textSha256 = info.textSHA256
        message.orgUnitCode = info.orgUnitCode
        message.importedAt = Google_Protobuf_Timestamp(date: info.importedAt)
        message.importedBy = info.importedBy
        return message
    }

    // MARK: Targets

    private func target(_ target: Target) -> Planmonitor_Directive_V1_Target {
        var message = Planmonitor_Directive_V1_Target()
        message.number = Int32(target.number)
        message.nameVi = target.name
        message.group = switch target.category {
        case .economic: .economic
        case .social: .social
        case .environment: .environment
        case nil: .unspecified
        }
        if let measure = target.measure {
            let fields = MeasureFields(measure)
            message.comparator = fields.comparator
            message.value = fields.value
            message.low = fields.low
            message.high = fields.high
            message.unitCode = fields.unitCode
            message.unitText = fields.unitText
            message.basis = fields.basis
        }
        message.subTargets = target.subTargets.map { subTarget in
            var part = Planmonitor_Directive_V1_SubTarget()
            let fields = MeasureFields(subTarget.measure)
            part.code = subTarget.id
            part.nameVi = subTarget.name
            part.comparator = fields.comparator
            part.value = fields.value
            part.low = fields.low
            part.high = fields.high
            part.unitCode = fields.unitCode
            part.unitText = fields.unitText
            part.basis = fields.basis
            part.sourceText = subTarget.sourceText
            return part
        }
        message.ownerService = owner(ofTarget: target.number)
        message.sourceText = target.sourceText
        return message
    }

    /// A measure in the contract's terms: comparator (RANGE for a range), decimal strings, unit code and basis.
    private struct MeasureFields {
        var comparator: Planmonitor_Directive_V1_Comparator
        var value = ""
        var low = ""
        var high = ""
        var unitCode: String
        var unitText: String
        var basis: Planmonitor_Directive_V1_TargetBasis

        init(_ measure: Measure) {
            switch measure.value {
            case .exact(let amount):
                value = Self.decimalString(amount)
                comparator = switch measure.comparator {
                case .reach, .unqualified: .reach
                case .about: .about
                case .at: .at
                case .atLeast: .atLeast
                case .moreThan: .moreThan
                case .lessThan: .lessThan
                case .increase: .increaseBy
                case .decrease: .decreaseBy
                }
            case .range(let lowest, let highest):
                low = Self.decimalString(lowest)
                high = Self.decimalString(highest)
                comparator = .range
            }
            unitCode = Self.unitCode(measure.unit.code)
            unitText = measure.unit.text
            basis = switch measure.basis {
            case .growthOverPreviousYear: .growthOverPreviousYear
            case .level: .level
            case .cumulativeAmountForYear: .cumulativeAmount
            case .changeInPercentagePoints: .changeInPoints
            case .count: .count
            }
        }

        static func decimalString(_ value: Decimal) -> String {
            DecimalString.string(value) ?? value.description
        }

        /// The unit codes of docs/contracts.md.
        static func unitCode(_ code: UnitCode) -> String {
            switch code {
            case .percent: "percent"
            case .usd: "usd"
            case .millionUSD: "million_usd"
            case .billionUSD: "billion_usd"
            case .millionVND: "million_vnd"
            case .billionVND: "billion_vnd"
            case .millionTonnes: "million_tonnes"
            case .millionVisits: "million_visitors"
            case .personTimes: "person_times"
            case .criteria: "criteria"
            case .communes: "communes"
            }
        }
    }

    // MARK: Sections, blocks, tasks

    private func sections(of directive: Directive) -> [Planmonitor_Directive_V1_Section] {
        let keys = taskKeys(of: directive)
        return directive.sections.map { section in
            var message = Planmonitor_Directive_V1_Section()
            message.part = 1
            message.number = Int32(section.number)
            message.roman = section.numeral
            message.title = section.title
            message.blocks = directive.blocks(inSection: section.number).map { block in
                var blockMessage = Planmonitor_Directive_V1_Block()
                blockMessage.number = Int32(block.number)
                blockMessage.heading = block.heading
                blockMessage.leadAgencyCodes = block.leadAgencies.map(\.code)
                let leads = registry.expand(block.leadAgencies).map(\.code)
                let tasks = directive.tasks(inSection: section.number).filter { $0.blockNumber == block.number }
                blockMessage.tasks = tasks.enumerated().map { offset, task in
                    var taskMessage = Planmonitor_Directive_V1_Task()
                    taskMessage.key = keys[task.key] ?? task.key
                    taskMessage.sectionNumber = Int32(task.sectionNumber)
                    taskMessage.blockNumber = Int32(task.blockNumber)
                    taskMessage.leadAgencyCodes = leads
                    taskMessage.text = task.text
                    taskMessage.dueDate = Self.localDate(task.timing.due)
                    taskMessage.dueDateDefaulted = task.timing.isDefaulted
                    taskMessage.districtCodes = task.districtCodes
                    taskMessage.keyProjectCodes = task.keyProjectsNamed
                    taskMessage.ordinal = Int32(offset + 1)
                    return taskMessage
                }
                return blockMessage
            }
            return message
        }
    }

    /// The agencies that lead tasks (groups expanded), report or receive reports, in registry order.
    private func agencies(of directive: Directive) -> [Planmonitor_Directive_V1_Agency] {
        let references = directive.blocks.flatMap(\.leadAgencies)
            + directive.reportingCalendar.flatMap { $0.reporters + $0.recipients }
        let named = Set(registry.expand(references).map(\.code))
        return registry.agencies.filter { named.contains($0.code) }.map { agency in
            var message = Planmonitor_Directive_V1_Agency()
            message.code = agency.code
            message.nameVi = agency.nameVi
            message.nameEn = agency.nameEn
            message.service = agency.service.rawValue
            message.aliasesVi = agency.aliases.filter { $0 != agency.nameVi }
            return message
        }
    }

    // MARK: Reporting calendar

    private func deadline(_ obligation: ReportingObligation) -> Planmonitor_Directive_V1_ReportingDeadline {
        var message = Planmonitor_Directive_V1_ReportingDeadline()
        switch obligation.recurrence {
        case .monthly:
            message.kind = .monthly
        case .quarterly:
            message.kind = .quarterly
        case .once:
            message.kind = obligation.kind == .yearEndReview ? .yearly : .oneOff
            message.month = Int32(obligation.date?.month ?? 0)
        }
        message.day = Int32(obligation.date?.day ?? obligation.dayOfMonth)
        message.text = obligation.text
        message.recipientAgencyCode = obligation.recipients.first?.code ?? ""
        return message
    }

    private static func localDate(_ day: CalendarDay) -> Planmonitor_Common_V1_LocalDate {
        var date = Planmonitor_Common_V1_LocalDate()
        date.year = Int32(day.year)
        date.month = Int32(day.month)
        date.day = Int32(day.day)
        return date
    }
}
