import DepartmentCore
import DirectiveParser
import Foundation
import PlanAnalysis
import PlanContracts

/// Builds the ``Picture`` of one unit and month from the directive and the read models: pure, so the same inputs give
/// the same picture (which is what the rebuild relies on).
public struct PictureBuilder: Sendable {
    var directive: Planmonitor_Directive_V1_Directive
    var observations: [ReadModelStore.StoredObservation]
    var reports: [Planmonitor_Department_V1_MonthlyReport]
    var projects: [ProjectPicture] = []
    /// When the picture is taken: a month whose deadline has not passed yet counts as "not due", not "missing".
    var now: Date
    /// The aggregator's unit (the city) and the units below it.
    var scope: OrgUnitScope
    var agencies: AgencyRegistry = .default
    /// The figures by target number and sub-target code, so that judging one target reads only its own figures.
    private let figuresByTarget: [String: [ReadModelStore.StoredObservation]]

    /// A builder over the figures and reports of the directive's year.
    public init(
        directive: Planmonitor_Directive_V1_Directive, observations: [ReadModelStore.StoredObservation],
        reports: [Planmonitor_Department_V1_MonthlyReport], now: Date, scope: OrgUnitScope
    ) {
        self.directive = directive
        self.observations = observations
        self.reports = reports
        self.now = now
        self.scope = scope
        figuresByTarget = Dictionary(grouping: observations) { "\($0.observation.targetNumber)/\($0.observation.subTargetCode)" }
    }

    /// The figures of one target or sub-target.
    private func figures(of line: TargetLine) -> [ReadModelStore.StoredObservation] {
        figuresByTarget["\(line.target.number)/\(line.sub?.code ?? "")"] ?? []
    }

    /// The picture of `orgUnitCode` as of `month`.
    public func picture(orgUnitCode: String, month: Int32) -> Picture {
        let year = directive.year
        let targets = targetLines.map { judge($0, orgUnitCode: orgUnitCode, year: year, month: month) }
        let units = scope.codes.map { UnitName(code: $0, name: scope.names[$0] ?? $0) }
        let demo = observations.contains { $0.observation.source.note.lowercased().contains("demo") || $0.observation.source.publisher.lowercased().contains("demo") }
        return Picture(
            directiveID: directive.id, directiveRevision: directive.revision, year: year, month: month,
            orgUnitCode: orgUnitCode, orgUnitName: scope.names[orgUnitCode] ?? orgUnitCode,
            targets: targets,
            tasks: taskPicture(month: month, orgUnitCode: orgUnitCode),
            compliance: ComplianceJudge(directive: directive, reports: reports, agencies: agencies, scope: scope, now: now)
                .compliance(month: month, orgUnitCode: orgUnitCode),
            projects: projects, units: units, containsDemoData: demo)
    }

    // MARK: Targets

    /// The directive's targets and sub-targets in order; a target given only by its parts is listed by its parts.
    var targetLines: [TargetLine] {
        directive.targets.flatMap { target -> [TargetLine] in
            let parts = target.subTargets.map { TargetLine(target: target, sub: $0) }
            return target.value.isEmpty && target.low.isEmpty && !target.subTargets.isEmpty ? parts : [TargetLine(target: target, sub: nil)] + parts
        }
    }

    /// One target ("11", "1.a") of `orgUnitCode` judged as of `month`; nil when the directive has no such target.
    func target(code: String, orgUnitCode: String, month: Int32) -> TargetPicture? {
        targetLines.first { $0.code == code }.map { judge($0, orgUnitCode: orgUnitCode, year: directive.year, month: month) }
    }

    /// A target or one of its sub-targets, with the fields the judgement needs.
    struct TargetLine {
        var target: Planmonitor_Directive_V1_Target
        var sub: Planmonitor_Directive_V1_SubTarget?

        var code: String { sub?.code ?? String(target.number) }
        var nameVi: String { sub?.nameVi ?? target.nameVi }
        var comparator: Planmonitor_Directive_V1_Comparator { sub?.comparator ?? target.comparator }
        var value: String { sub?.value ?? target.value }
        var low: String { sub?.low ?? target.low }
        var high: String { sub?.high ?? target.high }
        var unitCode: String { sub?.unitCode ?? target.unitCode }
        var unitText: String { sub?.unitText ?? target.unitText }
        var basis: Planmonitor_Directive_V1_TargetBasis { sub?.basis ?? target.basis }
        var ownerService: String { (sub?.ownerService).flatMap { $0.isEmpty ? nil : $0 } ?? target.ownerService }
    }

    private func judge(_ line: TargetLine, orgUnitCode: String, year: Int32, month: Int32) -> TargetPicture {
        let basis = Self.basis(line.basis)
        let series = series(for: line, basis: basis, orgUnitCode: orgUnitCode, year: year, month: month)
        var start: Double?
        if basis == .changeInPoints {
            start = series.isChange ? 0 : startOfYearLevel(for: line, orgUnitCode: orgUnitCode, year: year)
        }
        var picture = TargetPicture(
            code: line.code, number: line.target.number, subTargetCode: line.sub?.code ?? "", nameVi: line.nameVi,
            planText: Self.planText(line), planValue: Double(line.value), unit: line.unitCode, unitText: line.unitText, basis: basis.rawValue,
            ownerService: line.ownerService, status: TargetStatus.noData.rawValue, statusVi: TargetStatus.noData.labelVi,
            reasonVi: "", reasonEn: "", latest: series.figures.last, series: series.figures, expectedByNow: nil,
            progressRatio: nil, forecast: nil)
        // A district has no plan of its own for the city's amounts: its figure is a contribution, not judged.
        if orgUnitCode != scope.orgUnitCode, basis == .cumulativeAmount || basis == .count {
            picture.status = Self.noPlanStatus
            picture.statusVi = "Không có kế hoạch riêng"
            if let latest = series.figures.last, let plan = Double(line.value), plan > 0 {
                let share = NumberStyle.vietnamese.format(latest.value / plan * 100, maximumFractionDigits: 1)
                picture.reasonVi = "Chỉ tiêu của thành phố, đơn vị không có kế hoạch riêng; \(latest.valueText) \(line.unitText) bằng \(share)% kế hoạch thành phố."
                picture.reasonEn = "A city target without a plan of the unit's own; \(NumberStyle.english.format(latest.value)) is \(NumberStyle.english.format(latest.value / plan * 100, maximumFractionDigits: 1))% of the city's plan."
            } else {
                picture.reasonVi = "Chỉ tiêu của thành phố, đơn vị không có kế hoạch riêng; chưa có số liệu."
                picture.reasonEn = "A city target without a plan of the unit's own; no data yet."
            }
            return picture
        }
        let spec: TargetSpec
        do {
            spec = try TargetSpec(
                basis: basis, comparator: Self.comparator(line), value: Double(line.value), unit: line.unitText, startOfYearLevel: start)
        } catch {
            if series.figures.isEmpty {
                picture.reasonVi = "Chưa có số liệu."
                picture.reasonEn = "No data yet."
            } else {
                picture.reasonVi = "Chưa đánh giá được: thiếu mức đầu năm hoặc chỉ tiêu không so sánh được (\(error))."
                picture.reasonEn = "Cannot be judged: \(error)."
            }
            return picture
        }
        let points = series.figures.map { MonthlyPoint(month: Int($0.month), value: $0.value) }
        let assessment = TargetAssessment(spec: spec, points: points, asOfMonth: Int(month), previousYearProfile: profile(for: line, orgUnitCode: orgUnitCode, year: year))
        picture.status = assessment.status.rawValue
        picture.statusVi = assessment.status.labelVi
        picture.reasonVi = assessment.reasonVi
        picture.reasonEn = assessment.reasonEn
        picture.expectedByNow = assessment.expectedByNow
        picture.progressRatio = assessment.progressRatio
        if let forecast = assessment.forecast {
            picture.forecast = ForecastPicture(
                method: forecast.method.rawValue, methodVi: Self.methodVi(forecast.method), yearEnd: forecast.yearEnd,
                low: forecast.low, high: forecast.high, probabilityOfMeeting: forecast.probabilityOfMeeting)
        }
        return picture
    }

    /// The figures of a target for a unit, one per month (the best source of the month), rolled up from the
    /// districts when the unit has none of its own: amounts only when every district has a figure for the month.
    private func series(for line: TargetLine, basis: TargetBasis, orgUnitCode: String, year: Int32, month: Int32) -> (figures: [Figure], isChange: Bool) {
        let candidates = figures(of: line).filter { stored in
            let observation = stored.observation
            return PeriodText.year(observation.period) == year && PeriodText.lastMonth(observation.period) <= month
                && Self.periodFits(observation.period, basis: basis)
        }
        let isChange = basis == .changeInPoints && candidates.contains { $0.observation.value.unit == "percentage_points" }
        let unit = isChange ? "percentage_points" : line.unitCode
        var byMonth: [Int32: Figure] = [:]
        for stored in candidates where stored.observation.orgUnitCode == orgUnitCode {
            guard let figure = Self.figure(stored, unit: unit) else { continue }
            if let current = byMonth[figure.month], !Self.prefer(stored, over: current) { continue }
            byMonth[figure.month] = figure
        }
        // Roll-up: months without a figure of the unit's own, from the units below it.
        if orgUnitCode == scope.orgUnitCode {
            let districts = Set(scope.codes.dropFirst())
            var perMonth: [Int32: [String: ReadModelStore.StoredObservation]] = [:]
            for stored in candidates where districts.contains(stored.observation.orgUnitCode) {
                let lastMonth = PeriodText.lastMonth(stored.observation.period)
                // Each district's best figure of the month, as its own picture chooses it.
                if let existing = perMonth[lastMonth]?[stored.observation.orgUnitCode], !Self.prefer(stored, over: existing) { continue }
                perMonth[lastMonth, default: [:]][stored.observation.orgUnitCode] = stored
            }
            for (lastMonth, byDistrict) in perMonth where byMonth[lastMonth] == nil {
                // A sum needs every district; a rate is the districts' that reported, weighted by their denominators.
                let complete = byDistrict.count == districts.count
                guard complete || basis == .level || basis == .changeInPoints else { continue }
                if let figure = Self.rollUp(Array(byDistrict.values), month: lastMonth, unit: unit, basis: basis) { byMonth[lastMonth] = figure }
            }
        }
        return (byMonth.values.sorted { $0.month < $1.month }, isChange)
    }

    /// The districts' figures of one month combined: amounts and counts add up; rates are Σ numerators ÷ Σ
    /// denominators (never an average of percentages); anything else does not roll up.
    static func rollUp(_ parts: [ReadModelStore.StoredObservation], month: Int32, unit: String, basis: TargetBasis) -> Figure? {
        guard !parts.isEmpty else { return nil }
        var value: Double
        switch basis {
        case .cumulativeAmount, .count:
            let values = parts.compactMap { figure($0, unit: unit)?.value }
            guard values.count == parts.count else { return nil }
            value = values.reduce(0, +)
        case .level, .changeInPoints:
            let fractions = parts.compactMap { part -> (Double, Double)? in
                guard let numerator = Double(part.observation.numerator), let denominator = Double(part.observation.denominator), denominator > 0 else { return nil }
                return (numerator, denominator)
            }
            guard fractions.count == parts.count, unit == "percent" else { return nil }
            value = fractions.map(\.0).reduce(0, +) / fractions.map(\.1).reduce(0, +) * 100
        case .growth:
            return nil
        }
        let sorted = parts.sorted { $0.observation.orgUnitCode < $1.observation.orgUnitCode }
        return Figure(
            month: month, value: value, valueText: NumberStyle.vietnamese.format(value), period: PeriodText.key(sorted[0].observation.period),
            origin: "rolled-up", estimate: sorted.contains { $0.observation.estimate }, sourceURL: "",
            provenance: sorted.map(provenance))
    }

    /// A stored figure in `unit`, nil when it cannot be converted.
    static func figure(_ stored: ReadModelStore.StoredObservation, unit: String) -> Figure? {
        let observation = stored.observation
        guard let decimal = DecimalString.decimal(observation.value.value),
            let converted = UnitCodes.convert(decimal, from: observation.value.unit, to: unit)
        else { return nil }
        let value = NSDecimalNumber(decimal: converted).doubleValue
        return Figure(
            month: PeriodText.lastMonth(observation.period), value: value, valueText: NumberStyle.vietnamese.format(value),
            period: PeriodText.key(observation.period), origin: ObservationKey.originCode(observation.origin), estimate: observation.estimate,
            sourceURL: observation.source.url, provenance: [provenance(stored)])
    }

    static func provenance(_ stored: ReadModelStore.StoredObservation) -> Provenance {
        Provenance(
            messageID: stored.provenance.messageID.uuidString.lowercased(), service: stored.service,
            agencyCode: stored.observation.agencyCode, orgUnitCode: stored.observation.orgUnitCode, receivedAt: stored.provenance.receivedAt)
    }

    /// Published statistics over reported figures over derived ones; then the later.
    private static func prefer(_ candidate: ReadModelStore.StoredObservation, over current: Figure) -> Bool {
        isBetter(ObservationKey.originCode(candidate.observation.origin), candidate.provenance.receivedAt,
                 than: current.origin, current.provenance.first?.receivedAt ?? .distantPast)
    }

    private static func prefer(_ candidate: ReadModelStore.StoredObservation, over current: ReadModelStore.StoredObservation) -> Bool {
        isBetter(ObservationKey.originCode(candidate.observation.origin), candidate.provenance.receivedAt,
                 than: ObservationKey.originCode(current.observation.origin), current.provenance.receivedAt)
    }

    /// The better of two figures for the same unit and month: published over reported over derived, then the later.
    private static func isBetter(_ origin: String, _ receivedAt: Date, than otherOrigin: String, _ otherReceivedAt: Date) -> Bool {
        let rank = ["published": 3, "reported": 2, "derived": 1]
        let (candidateRank, currentRank) = (rank[origin] ?? 0, rank[otherOrigin] ?? 0)
        if candidateRank != currentRank { return candidateRank > currentRank }
        return receivedAt >= otherReceivedAt
    }

    /// Which periods are figures of a basis: year-to-date periods for amounts and growth; any for levels.
    static func periodFits(_ period: Planmonitor_Common_V1_Period, basis: TargetBasis) -> Bool {
        switch basis {
        case .cumulativeAmount, .count, .growth:
            switch period.kind {
            case .cumulative, .year: return true
            case .halfYear(let half): return half.half == 1
            case .quarter(let quarter): return quarter.quarter == 1
            case .month(let month): return month.month == 1
            case .day, nil: return false
            }
        case .level, .changeInPoints:
            return period.kind != nil
        }
    }

    /// The level at the start of the year: a figure of the previous year's December (or the whole previous year).
    private func startOfYearLevel(for line: TargetLine, orgUnitCode: String, year: Int32) -> Double? {
        figures(of: line).filter { stored in
            stored.observation.orgUnitCode == orgUnitCode && PeriodText.year(stored.observation.period) == year - 1
                && PeriodText.lastMonth(stored.observation.period) == 12
        }.compactMap { Self.figure($0, unit: line.unitCode)?.value }.last
    }

    /// Last year's cumulative profile when all twelve months are known.
    private func profile(for line: TargetLine, orgUnitCode: String, year: Int32) -> SeasonalProfile? {
        guard Self.basis(line.basis) == .cumulativeAmount else { return nil }
        var totals: [Int32: Double] = [:]
        for stored in figures(of: line) where stored.observation.orgUnitCode == orgUnitCode
            && PeriodText.year(stored.observation.period) == year - 1 && Self.periodFits(stored.observation.period, basis: .cumulativeAmount)
        {
            if let figure = Self.figure(stored, unit: line.unitCode) { totals[figure.month] = figure.value }
        }
        guard totals.count == 12 else { return nil }
        return SeasonalProfile(cumulativeTotals: (1...12).map { totals[Int32($0)] ?? 0 })
    }

    /// The status of a district's figure for a city amount: the district has no plan of its own to judge it by.
    static let noPlanStatus = "noPlan"

    // MARK: Mapping the directive

    static func basis(_ basis: Planmonitor_Directive_V1_TargetBasis) -> TargetBasis {
        switch basis {
        case .growthOverPreviousYear: .growth
        case .level: .level
        case .cumulativeAmount: .cumulativeAmount
        case .changeInPoints: .changeInPoints
        case .count: .count
        case .unspecified, .UNRECOGNIZED: .level
        }
    }

    static func comparator(_ line: TargetLine) -> PlanAnalysis.TargetComparator {
        switch line.comparator {
        case .atLeast: .atLeast
        case .reach, .unspecified, .UNRECOGNIZED: .reach
        case .about: .about
        case .at: .at
        case .decreaseBy: .decreaseBy
        case .increaseBy: .increaseBy
        case .range: .range(low: Double(line.low) ?? 0, high: Double(line.high) ?? 0)
        case .moreThan: .moreThan
        case .lessThan: .lessThan
        }
    }

    static func planText(_ line: TargetLine) -> String {
        let words: String
        switch line.comparator {
        case .atLeast: words = "từ … trở lên"
        case .reach: words = "đạt"
        case .about: words = "khoảng"
        case .at: words = "ở mức"
        case .decreaseBy: words = "giảm"
        case .increaseBy: words = "tăng"
        case .range: words = ""
        case .moreThan: words = "trên"
        case .lessThan: words = "dưới"
        case .unspecified, .UNRECOGNIZED: words = ""
        }
        let value: String
        if line.comparator == .range {
            value = "\(NumberStyle.vietnamese.format(Double(line.low) ?? 0)) - \(NumberStyle.vietnamese.format(Double(line.high) ?? 0))"
        } else {
            value = NumberStyle.vietnamese.format(Double(line.value) ?? 0)
        }
        return [words, value, line.unitText].filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func methodVi(_ method: ForecastMethod) -> String {
        switch method {
        case .seasonalProfile: "theo cơ cấu các tháng năm trước"
        case .linearTrend: "theo xu hướng tuyến tính"
        case .latestLevel: "giữ mức mới nhất"
        }
    }

    // MARK: Tasks

    /// Every task of the directive with the progress the latest report up to `month` gave it (of `orgUnitCode`'s
    /// reports, every unit's for the aggregator's own unit).
    func taskItems(month: Int32, orgUnitCode: String) -> [TaskItem] {
        // The latest version of each report up to `month`.
        var latestByReport: [String: Planmonitor_Department_V1_MonthlyReport] = [:]
        for report in reports where report.month <= month && report.year == directive.year && (orgUnitCode == scope.orgUnitCode || report.orgUnitCode == orgUnitCode) {
            if let existing = latestByReport[report.reportID], existing.version > report.version { continue }
            latestByReport[report.reportID] = report
        }
        var progress: [String: (Planmonitor_Department_V1_TaskProgress, Planmonitor_Department_V1_MonthlyReport)] = [:]
        for report in latestByReport.values.sorted(by: { ($0.month, $0.receivedAt.date) < ($1.month, $1.receivedAt.date) }) {
            for item in report.tasks { progress[item.taskKey] = (item, report) }
        }
        return directive.sections.flatMap(\.blocks).flatMap(\.tasks).map { task in
            let reported = progress[task.key]
            return TaskItem(
                key: task.key, text: task.text, dueDate: task.dueDate.year > 0 ? LocalDay.iso(task.dueDate) : "",
                leadAgencyCodes: task.leadAgencyCodes, status: Self.taskStatusCode(reported?.0.status),
                statusVi: Self.taskStatusVi(reported?.0.status), note: reported?.0.note ?? "", reportID: reported?.1.reportID ?? "")
        }
    }

    private func taskPicture(month: Int32, orgUnitCode: String) -> TaskPicture {
        let items = taskItems(month: month, orgUnitCode: orgUnitCode)
        // Overdue: not done, and due before the month's end or today (Hà Nội time), whichever comes first; ISO dates
        // compare as text.
        let monthEnd = LocalDay.iso(LocalDay.make(directive.year, month, LocalDay.daysInMonth(year: directive.year, month: month)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ComplianceJudge.timeZone
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        let todayText = String(format: "%04d-%02d-%02d", today.year ?? 0, today.month ?? 0, today.day ?? 0)
        let cutoff = min(monthEnd, todayText)
        let overdue = items.filter { !$0.dueDate.isEmpty && $0.dueDate < cutoff && $0.status != "done" }
        var byAgency: [String: AgencyTasks] = [:]
        let overdueKeys = Set(overdue.map(\.key))
        for item in items {
            for code in item.leadAgencyCodes {
                var entry = byAgency[code] ?? AgencyTasks(agencyCode: code, agencyName: agencies.agency(code: code)?.nameVi ?? agencies.group(code: code)?.nameVi ?? code, total: 0, done: 0, blocked: 0, overdue: 0)
                entry.total += 1
                if item.status == "done" { entry.done += 1 }
                if item.status == "blocked" { entry.blocked += 1 }
                if overdueKeys.contains(item.key) { entry.overdue += 1 }
                byAgency[code] = entry
            }
        }
        return TaskPicture(
            total: items.count, reported: items.filter { $0.status != "not_reported" }.count,
            done: items.filter { $0.status == "done" }.count, blocked: items.filter { $0.status == "blocked" }.count,
            overdue: overdue, byAgency: byAgency.values.sorted {
                if $0.overdue != $1.overdue { return $0.overdue > $1.overdue }
                if $0.blocked != $1.blocked { return $0.blocked > $1.blocked }
                return $0.agencyCode < $1.agencyCode
            })
    }

    static func taskStatusCode(_ status: Planmonitor_Department_V1_TaskStatus?) -> String {
        switch status {
        case .notStarted: "not_started"
        case .inProgress: "in_progress"
        case .done: "done"
        case .blocked: "blocked"
        case nil, .unspecified, .UNRECOGNIZED: "not_reported"
        }
    }

    static func taskStatusVi(_ status: Planmonitor_Department_V1_TaskStatus?) -> String {
        switch status {
        case .notStarted: "Chưa triển khai"
        case .inProgress: "Đang triển khai"
        case .done: "Đã hoàn thành"
        case .blocked: "Vướng mắc"
        case nil, .unspecified, .UNRECOGNIZED: "Chưa báo cáo"
        }
    }
}
