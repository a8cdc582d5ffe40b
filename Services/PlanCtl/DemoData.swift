import DepartmentCore
import Foundation
import PlanContracts

/// Generates the demo year: plausible, reproducible and labelled as demo data everywhere it lands.
///
/// Everything comes from one seeded generator (SplitMix64), so the same seed gives the same figures, reports and
/// receipt times on every machine. The rules, also in `docs/demo-data.md`:
/// - **Who reports:** in a district, the district's People's Committee, to each department; elsewhere (the city),
///   every agency a department service represents that leads a task of the directive, to its department, each month. About 4 %
///   of the reports are left out (missing), about 12 % arrive 1–5 days after the 20th, the rest on the 13th–20th.
/// - **Figures:** only for targets without real published figures. A cumulative amount follows the plan pro rata
///   with a factor of 0.88–1.06 fixed per target and unit (districts get a share of the city's plan by population);
///   a growth rate is the plan × 0.85–1.12; a rate is the plan ± 3 points with its numerator and denominator (the
///   unit's population); a range is its middle × 0.9–1.1; changes in points are left to the social service.
/// - **Tasks:** up to six tasks the agency leads, moving from not started to in progress to done over the months;
///   about 5 % blocked, with a note.
/// - **Budget:** monthly collections under `domestic.*` and `import-export`, about a twelfth of the plan each month
///   (× 0.85–1.05), split 70/20/10 among taxes and fees, land and other; the approved estimate line for `domestic`.
/// - **Social:** the poverty rate at the start of the year and each month, falling about as the plan asks.
/// - **Labels:** every figure's source is "Dữ liệu minh họa (demo)" with the seed; every record's note says "demo".
struct DemoData {
    /// The seed.
    let seed: UInt64
    /// The unit generated for ("31", "305", "315").
    let orgUnitCode: String
    /// The year.
    let year: Int32

    /// People per unit, for the rates' denominators and the districts' shares of the city (approximate 2018
    /// populations, rounded: demo denominators, not statistics).
    static let population: [String: Int] = [
        "31": 2_013_800, "303": 106_000, "304": 172_000, "305": 230_400, "306": 131_000, "307": 118_000, "308": 47_000,
        "309": 58_000, "311": 330_000, "312": 190_000, "313": 147_000, "314": 142_000, "315": 155_600, "316": 185_000,
        "317": 32_000, "318": 1_000,
    ]
    /// The publisher named on every demo figure.
    static let publisher = "Dữ liệu minh họa (demo)"

    /// A generator of values in 0..<1 for one purpose, reproducible from the seed and the purpose's name.
    struct Stream {
        var state: UInt64

        init(seed: UInt64, purpose: String) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in purpose.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            state = seed ^ hash
        }

        mutating func next() -> Double {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            z ^= z >> 31
            return Double(z >> 11) / Double(1 << 53)
        }

        mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * next() }
        mutating func integer(_ low: Int, _ high: Int) -> Int { low + Int(next() * Double(high - low + 1)) }
    }

    func stream(_ purpose: String) -> Stream { Stream(seed: seed, purpose: "\(orgUnitCode)/\(purpose)") }

    /// The unit's share of the city (1 for the city).
    var shareOfCity: Double {
        guard orgUnitCode != OrgUnitScope.cityCode, let people = Self.population[orgUnitCode], let city = Self.population[OrgUnitScope.cityCode] else { return 1 }
        return Double(people) / Double(city)
    }

    // MARK: Reports

    /// When an agency's report for a month arrives, or nil when it does not.
    func receiptTime(agency: String, month: Int32) -> Date? {
        var random = stream("receipt/\(agency)/\(month)")
        let draw = random.next()
        guard draw >= 0.04 else { return nil }
        let day = draw < 0.16 ? 20 + random.integer(1, 5) : random.integer(13, 20)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        // At most the 25th: within the month.
        return calendar.date(from: DateComponents(year: Int(year), month: Int(month), day: day, hour: random.integer(8, 16), minute: random.integer(0, 59)))
    }

    /// An agency's report for a month: figures for the targets in `targets`, progress of its tasks, a highlight.
    func report(
        agency: String, month: Int32, targets: [Planmonitor_Directive_V1_Target], withRealFigures: Set<String>,
        tasks: [Planmonitor_Directive_V1_Task]
    ) -> Planmonitor_Department_V1_MonthlyReport {
        var report = Planmonitor_Department_V1_MonthlyReport()
        report.orgUnitCode = orgUnitCode
        report.agencyCode = agency
        report.year = year
        report.month = month
        for target in targets {
            let parts: [(code: String, sub: Planmonitor_Directive_V1_SubTarget?)] =
                target.value.isEmpty && target.low.isEmpty && !target.subTargets.isEmpty
                ? target.subTargets.map { ($0.code, $0) } : [(String(target.number), nil)] + target.subTargets.map { ($0.code, $0) }
            for part in parts where !withRealFigures.contains(part.code) {
                if let figure = figure(target: target, sub: part.sub, month: month) { report.observations.append(figure) }
            }
        }
        let own = tasks.filter { $0.leadAgencyCodes.contains(agency) }
        var picker = stream("tasks/\(agency)")
        let chosen = own.sorted { $0.key < $1.key }.filter { _ in picker.next() < 0.5 }.prefix(6)
        for task in chosen {
            var random = stream("task/\(task.key)")
            let start = Int32(random.integer(1, 4))
            let finish = Int32(random.integer(5, 14))
            let blocked = random.next() < 0.05
            var progress = Planmonitor_Department_V1_TaskProgress()
            progress.taskKey = task.key
            if blocked && month >= start {
                progress.status = .blocked
                progress.note = "Vướng mắc về thủ tục, đang chờ ý kiến các sở, ngành (dữ liệu minh họa)."
            } else {
                progress.status = month < start ? .notStarted : month >= finish ? .done : .inProgress
                progress.note = progress.status == .done ? "Đã hoàn thành (dữ liệu minh họa)." : ""
            }
            report.tasks.append(progress)
        }
        report.highlights = ["Báo cáo tháng \(month)/\(year) — dữ liệu minh họa (demo), sinh với seed \(seed)."]
        return report
    }

    /// A figure for a target or sub-target, by its basis; nil for changes in points (derived by the social service).
    func figure(target: Planmonitor_Directive_V1_Target, sub: Planmonitor_Directive_V1_SubTarget?, month: Int32) -> Planmonitor_Common_V1_Observation? {
        let basis = sub?.basis ?? target.basis
        let comparator = sub?.comparator ?? target.comparator
        let unit = sub?.unitCode ?? target.unitCode
        let plan = comparator == .range
            ? ((Double(sub?.low ?? target.low) ?? 0) + (Double(sub?.high ?? target.high) ?? 0)) / 2
            : Double(sub?.value ?? target.value) ?? 0
        guard plan > 0 || basis == .growthOverPreviousYear else { return nil }
        let code = sub?.code ?? String(target.number)
        var level = stream("level/\(code)")
        var noise = stream("noise/\(code)/\(month)")
        var observation = Planmonitor_Common_V1_Observation()
        observation.targetNumber = target.number
        observation.subTargetCode = sub?.code ?? ""
        observation.estimate = true
        observation.source.publisher = Self.publisher
        observation.source.note = "planctl demo load --seed \(seed)"
        switch basis {
        case .cumulativeAmount, .count:
            let factor = level.uniform(0.88, 1.06) * noise.uniform(0.98, 1.02)
            var value = plan * shareOfCity * Double(month) / 12 * factor
            if basis == .count || unit == "communes" { value = value.rounded(.down) }
            observation.period = PeriodText.cumulative(year: year, through: month)
            observation.value = Planmonitor_Common_V1_Quantity(value: Self.decimal(value, 2), unit: unit)
        case .growthOverPreviousYear:
            observation.period = PeriodText.cumulative(year: year, through: month)
            observation.value = Planmonitor_Common_V1_Quantity(value: Self.decimal(plan * level.uniform(0.85, 1.12) * noise.uniform(0.97, 1.03), 2), unit: unit)
        case .level:
            observation.period = PeriodText.month(year: year, month: month)
            if unit == "percent" {
                let rate = min(99.9, max(0.1, plan + level.uniform(-3, 3) + noise.uniform(-0.3, 0.3)))
                let denominator = Self.population[orgUnitCode] ?? 100_000
                let numerator = Int((Double(denominator) * rate / 100).rounded())
                observation.numerator = String(numerator)
                observation.denominator = String(denominator)
                observation.value = Planmonitor_Common_V1_Quantity(value: Self.decimal(Double(numerator) / Double(denominator) * 100, 2), unit: unit)
            } else {
                observation.value = Planmonitor_Common_V1_Quantity(value: Self.decimal(plan * level.uniform(0.9, 1.02), 2), unit: unit)
            }
        case .changeInPoints, .unspecified, .UNRECOGNIZED:
            return nil
        }
        return observation
    }

    // MARK: Budget

    /// The approved domestic-revenue estimate and the monthly collections through `month`.
    func budgetRecords(domesticPlan: Double, through month: Int32) -> [Planmonitor_Budget_V1_BudgetRecord] {
        var records: [Planmonitor_Budget_V1_BudgetRecord] = []
        var line = Planmonitor_Budget_V1_BudgetLine()
        line.recordID = "demo-dt-\(orgUnitCode)-\(year)-domestic"
        line.orgUnitCode = orgUnitCode
        line.year = year
        line.direction = .revenue
        line.phase = .approved
        line.classificationCode = "domestic"
        line.amount = Planmonitor_Common_V1_Money(amount: Self.decimal(domesticPlan * shareOfCity, 1), unit: .billionVnd)
        line.note = "Dữ liệu minh họa (demo)"
        records.append(.with { $0.line = line })
        for m in Int32(1)...month {
            var random = stream("budget/\(m)")
            let total = domesticPlan * shareOfCity / 12 * random.uniform(0.85, 1.05)
            for (code, share) in [("domestic.taxes-fees", 0.7), ("domestic.land", 0.2), ("domestic.other", 0.1), ("import-export", 0.8)] {
                var execution = Planmonitor_Budget_V1_BudgetExecution()
                execution.recordID = "demo-thu-\(orgUnitCode)-\(year)-\(m)-\(code)"
                execution.orgUnitCode = orgUnitCode
                execution.year = year
                execution.month = m
                execution.direction = .revenue
                execution.classificationCode = code
                execution.amount = Planmonitor_Common_V1_Money(amount: Self.decimal(total * share, 1), unit: .billionVnd)
                execution.note = "Dữ liệu minh họa (demo)"
                records.append(.with { $0.execution = execution })
            }
        }
        return records
    }

    // MARK: Social

    /// The poverty rate (poor households over households, about 3.5 people a household) at the start of the year and
    /// at each month through `month`: 2.5–4.5 % at the start, falling about as fast as a decrease of `decreasePoints`
    /// a year asks (× 0.7–1.2), so that the social service derives the change in points.
    func povertyRates(decreasePoints: Double, through month: Int32) -> [Planmonitor_Social_V1_RateObservation] {
        var random = stream("poverty")
        let households = Double(Self.population[orgUnitCode] ?? 100_000) / 3.5
        let start = random.uniform(2.5, 4.5)
        let pace = decreasePoints * random.uniform(0.7, 1.2) / 12
        return (Int32(0)...month).map { m in
            var rate = Planmonitor_Social_V1_RateObservation()
            rate.recordID = "demo-ho-ngheo-\(orgUnitCode)-\(year)-\(m)"
            rate.orgUnitCode = orgUnitCode
            rate.year = year
            rate.month = m
            rate.measure = .poorHouseholds
            rate.denominator = String(Int(households.rounded()))
            rate.numerator = String(Int((households * max(0, start - pace * Double(m)) / 100).rounded()))
            rate.note = m == 0 ? "Đầu năm — dữ liệu minh họa (demo)" : "Dữ liệu minh họa (demo)"
            return rate
        }
    }

    // MARK: Infrastructure

    /// Monthly progress of a project: planned rises steadily; about a quarter of the projects fall behind; the month's
    /// disbursement is a twelfth of the year's capital plan (billion VND) scaled by how far actual progress keeps up.
    func progress(projectID: String, capitalPlan: Planmonitor_Common_V1_Money, through month: Int32) -> [Planmonitor_Infrastructure_V1_ProgressReport] {
        let plan = MoneyUnits.amount(capitalPlan, in: .billionVnd).map { NSDecimalNumber(decimal: $0).doubleValue } ?? 0
        var random = stream("progress/\(projectID)")
        let start = random.uniform(5, 40)
        let pace = random.uniform(3, 8)
        let lag = random.next() < 0.25 ? random.uniform(2.5, 4) : random.uniform(0, 0.8)
        return (Int32(1)...month).map { m in
            var report = Planmonitor_Infrastructure_V1_ProgressReport()
            report.recordID = "demo-tien-do-\(projectID)-\(year)-\(m)"
            report.projectID = projectID
            report.year = year
            report.month = m
            let planned = min(100, start + pace * Double(m))
            report.plannedPercent = Self.decimal(planned, 1)
            let actual = max(0, min(100, planned - lag * Double(m)))
            report.actualPercent = Self.decimal(actual, 1)
            report.disbursed = Planmonitor_Common_V1_Money(amount: Self.decimal(plan / 12 * (planned > 0 ? actual / planned : 0), 1), unit: .billionVnd)
            report.note = "Dữ liệu minh họa (demo)"
            return report
        }
    }

    /// A decimal string with at most `places` decimals.
    static func decimal(_ value: Double, _ places: Int) -> String {
        UnitCodes.decimalString(Decimal(string: String(format: "%.\(places)f", value)) ?? 0, scale: places)
    }
}
