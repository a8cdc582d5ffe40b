@testable import Aggregator
@testable import CityPicture
import DepartmentCore
import Foundation
import PlanContracts
import Testing

/// The picture's arithmetic without broker or database: districts roll up into the city by sums and by numerators over
/// denominators, and reports are judged against the 20th at 23:59 in Hà Nội time.
@Suite("Picture arithmetic")
struct PictureBuilderTests {
    static let directive: Planmonitor_Directive_V1_Directive = .with {
        $0.id = "31-2018"
        $0.year = 2018
        $0.revision = 1
        $0.targets = [
            .with { $0.number = 7; $0.nameVi = "Sản lượng hàng hoá thông qua cảng"; $0.comparator = .reach; $0.value = "107"; $0.unitCode = "million_tonnes"; $0.unitText = "triệu tấn"; $0.basis = .cumulativeAmount; $0.ownerService = "investment" },
            .with { $0.number = 14; $0.nameVi = "Tỷ lệ dân số tham gia bảo hiểm y tế"; $0.comparator = .reach; $0.value = "84.5"; $0.unitCode = "percent"; $0.unitText = "%"; $0.basis = .level; $0.ownerService = "social" },
        ]
        $0.reportingCalendar = [.with { $0.kind = .monthly; $0.day = 20 }]
    }

    static func stored(_ target: Int32, unit org: String, _ value: String, _ unit: String, month: Int32, numerator: String = "", denominator: String = "", origin: Planmonitor_Common_V1_ObservationOrigin = .reported, at seconds: TimeInterval = 0) -> ReadModelStore.StoredObservation {
        ReadModelStore.StoredObservation(
            service: target == 7 ? "investment" : "social",
            observation: .with {
                $0.targetNumber = target
                $0.orgUnitCode = org
                $0.period = target == 7 ? PeriodText.cumulative(year: 2018, through: month) : PeriodText.month(year: 2018, month: month)
                $0.value = Planmonitor_Common_V1_Quantity(value: value, unit: unit)
                $0.numerator = numerator
                $0.denominator = denominator
                $0.origin = origin
                $0.agencyCode = "x"
            },
            provenance: .init(messageID: UUID(), publisher: "test", receivedAt: Date(timeIntervalSince1970: 1_530_000_000 + seconds)))
    }

    /// A city of two districts, Lê Chân and Tiên Lãng, unless another scope is given.
    func builder(
        _ observations: [ReadModelStore.StoredObservation], reports: [Planmonitor_Department_V1_MonthlyReport] = [], now: Date = Date(),
        scope: OrgUnitScope = OrgUnitScope(orgUnitCode: "31", name: "Thành phố", below: ["305": "Lê Chân", "315": "Tiên Lãng"])
    ) -> PictureBuilder {
        PictureBuilder(directive: Self.directive, observations: observations, reports: reports, now: now, scope: scope)
    }

    @Test("a rate rolls up as Σ numerators ÷ Σ denominators, not the average of the districts' percentages")
    func ratesRollUpByPopulation() throws {
        let picture = builder([
            Self.stored(14, unit: "305", "90", "percent", month: 6, numerator: "180000", denominator: "200000"),
            Self.stored(14, unit: "315", "60", "percent", month: 6, numerator: "150000", denominator: "250000"),
        ]).picture(orgUnitCode: "31", month: 6)
        let coverage = try #require(picture.targets.first { $0.code == "14" }?.latest)
        #expect(abs(coverage.value - 73.333_333) < 0.000_01, "330.000 of 450.000 people; the naive average of 90 % and 60 % would say 75 %")
        #expect(coverage.origin == "rolled-up" && coverage.provenance.map(\.orgUnitCode) == ["305", "315"])
    }

    @Test("amounts roll up as sums; the city's own figure wins over the sum; published figures win over reported ones")
    func amountsRollUp() throws {
        let rolled = builder([
            Self.stored(7, unit: "305", "10", "million_tonnes", month: 3),
            Self.stored(7, unit: "315", "5000000", "tonnes", month: 3),
        ]).picture(orgUnitCode: "31", month: 3)
        #expect(rolled.targets.first { $0.code == "7" }?.latest?.value == 15)
        let partial = builder([Self.stored(7, unit: "305", "10", "million_tonnes", month: 3)], scope: OrgUnitScope(orgUnitCode: "31", name: "Thành phố", below: ["305": "Lê Chân", "315": "Tiên Lãng", "303": "Hồng Bàng"]))
            .picture(orgUnitCode: "31", month: 3)
        #expect(partial.targets.first { $0.code == "7" }?.latest == nil, "a sum of some districts is not the city's")
        // Within the sum, each district counts with the figure its own picture shows: published over a later derived one.
        let sources = builder([
            Self.stored(7, unit: "305", "10", "million_tonnes", month: 3, origin: .published),
            Self.stored(7, unit: "305", "12", "million_tonnes", month: 3, origin: .derived, at: 60),
            Self.stored(7, unit: "315", "5", "million_tonnes", month: 3),
        ])
        #expect(sources.picture(orgUnitCode: "305", month: 3).targets.first { $0.code == "7" }?.latest?.value == 10)
        #expect(sources.picture(orgUnitCode: "31", month: 3).targets.first { $0.code == "7" }?.latest?.value == 15)
        let own = builder([
            Self.stored(7, unit: "305", "10", "million_tonnes", month: 3),
            Self.stored(7, unit: "31", "24.5", "million_tonnes", month: 3, origin: .derived, at: 1),
            Self.stored(7, unit: "31", "25", "million_tonnes", month: 3, origin: .published),
        ]).picture(orgUnitCode: "31", month: 3)
        let figure = try #require(own.targets.first { $0.code == "7" }?.latest)
        #expect(figure.value == 25 && figure.origin == "published")
        #expect(own.targets.first { $0.code == "7" }?.status == "atRisk", "25 of 26,75 expected by March: 93 %")
        let district = builder([Self.stored(7, unit: "305", "10", "million_tonnes", month: 3)]).picture(orgUnitCode: "305", month: 3)
        let contribution = try #require(district.targets.first { $0.code == "7" })
        #expect(contribution.latest?.value == 10 && contribution.status == "noPlan", "a district has no plan of its own for the city's cargo")
        #expect(contribution.reasonVi.contains("9,3% kế hoạch thành phố"))
        #expect(district.targets.first { $0.code == "14" }?.status == "noData")
    }

    @Test("a task not done is overdue once its due day has passed, by the month's end or today, whichever comes first")
    func overdueTasks() {
        var directive = Self.directive
        directive.sections = [.with {
            $0.blocks = [.with {
                $0.tasks = [.with { $0.key = "2018-I.1.1"; $0.text = "Hoàn thành đề án"; $0.dueDate = LocalDay.make(2018, 6, 25); $0.leadAgencyCodes = ["dept-finance"] }]
            }]
        }]
        /// The overdue tasks of `month`'s picture taken on `today` (month, day of 2018) at 09:00 in Hà Nội.
        func overdue(month: Int32, today: (month: Int, day: Int)) -> [String] {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = ComplianceJudge.timeZone
            let now = calendar.date(from: DateComponents(year: 2018, month: today.month, day: today.day, hour: 9))!
            let builder = PictureBuilder(directive: directive, observations: [], reports: [], now: now, scope: OrgUnitScope(orgUnitCode: "31", name: "Thành phố", below: [:]))
            return builder.picture(orgUnitCode: "31", month: month).tasks.overdue.map(\.key)
        }
        #expect(overdue(month: 6, today: (6, 10)) == [], "on 10 June the task is not due yet")
        #expect(overdue(month: 6, today: (6, 25)) == [], "due that day")
        #expect(overdue(month: 6, today: (7, 1)) == ["2018-I.1.1"], "on 1 July June's picture shows it overdue")
        #expect(overdue(month: 5, today: (7, 1)) == [], "May's picture: due after May")
    }

    @Test("reports are on time until the 20th at 23:59:59 Asia/Ho_Chi_Minh, late by whole days after, missing once the deadline has passed")
    func compliance() throws {
        func report(_ agency: String, _ iso: String) -> Planmonitor_Department_V1_MonthlyReport {
            .with {
                $0.agencyCode = agency
                $0.year = 2018
                $0.month = 6
                $0.version = 1
                $0.receivedAt = .init(date: ISO8601DateFormatter().date(from: iso)!)
            }
        }
        let reports = [
            report("dept-finance", "2018-06-20T16:59:59Z"),
            report("tax-department", "2018-06-20T17:00:30Z"),
            report("customs", "2018-06-23T10:00:00Z"),
        ]
        let july = builder([], reports: reports, now: ISO8601DateFormatter().date(from: "2018-07-01T00:00:00Z")!).picture(orgUnitCode: "31", month: 6).compliance
        #expect(july.deadline == "2018-06-20T23:59:59+07:00")
        let byAgency = Dictionary(uniqueKeysWithValues: july.agencies.map { ($0.agencyCode, $0) })
        #expect(byAgency["dept-finance"]?.status == "on_time")
        #expect(byAgency["tax-department"]?.status == "late" && byAgency["tax-department"]?.daysLate == 1)
        #expect(byAgency["customs"]?.status == "late" && byAgency["customs"]?.daysLate == 3)
        #expect(byAgency["state-treasury"]?.status == "missing")
        #expect(byAgency["district-305-pc"]?.status == "missing", "district committees report too")
        #expect(july.agencies.first?.agencyCode == "dept-finance" && july.toRemind.first == "tax-department")
        #expect(!july.toRemind.contains("dept-finance"))
        let early = builder([], reports: reports, now: ISO8601DateFormatter().date(from: "2018-06-10T00:00:00Z")!).picture(orgUnitCode: "31", month: 6).compliance
        #expect(early.agencies.first { $0.agencyCode == "state-treasury" }?.status == "not_due")
    }
}
