@testable import BudgetService
import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import ServiceRuntime
@testable import SocialService
import Testing

extension ServicesAgainstTheStack {
    /// Monthly reports: versions and corrections, receipt time, events once, and validation of figures and tasks.
    @Suite("Monthly reports")
    struct MonthlyReportTests {
        static let org = ServiceStack.orgUnit
        static let departments: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
            ("budget", { configuration, logger in buildBudgetService(configuration: configuration, logger: logger) }),
            ("social", { configuration, logger in buildSocialService(configuration: configuration, logger: logger) }),
        ]

        static func report(agency: String, month: Int32 = 6, _ configure: (inout Planmonitor_Department_V1_MonthlyReport) -> Void = { _ in }) -> Planmonitor_Department_V1_SubmitMonthlyReportRequest {
            var report = Planmonitor_Department_V1_MonthlyReport()
            report.orgUnitCode = org
            report.agencyCode = agency
            report.year = 2018
            report.month = month
            configure(&report)
            return .with { $0.report = report }
        }

        static func figure(target: Int32, _ value: String, unit: String = "", sub: String = "", numerator: String = "", denominator: String = "") -> Planmonitor_Common_V1_Observation {
            .with {
                $0.targetNumber = target
                $0.subTargetCode = sub
                $0.value = Planmonitor_Common_V1_Quantity(value: value, unit: unit)
                $0.numerator = numerator
                $0.denominator = denominator
                $0.estimate = true
            }
        }

        @Test("a report is version 1 with the service's receipt time; a correction is version 2 with its reason, and both are announced once")
        func versionsAndCorrections() async throws {
            try await DepartmentFixture.run(Self.departments) { rpc in
                let reports = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("budget")))
                let before = Date()
                let first = try await reports.submitMonthlyReport(Self.report(agency: "dept-finance") { report in
                    report.observations = [Self.figure(target: 6, "11375.1")]
                    report.tasks = [.with { $0.taskKey = "2018-I.1.1"; $0.status = .inProgress; $0.note = "Đang rà soát nguồn thu" }]
                    report.highlights = ["Thu nội địa 6 tháng ước đạt 46% dự toán."]
                    report.receivedAt = .init(date: Date(timeIntervalSince1970: 0))
                    report.version = 7
                }, options: DepartmentFixture.options(agency: "dept-finance"))
                #expect(first.report.version == 1 && !first.correction)
                #expect(first.report.reportID == "budget/\(Self.org)/dept-finance/2018-06")
                let received = first.report.receivedAt.date
                #expect(received >= before.addingTimeInterval(-1) && received <= Date(), "the service's receipt time, not the client's")
                #expect(first.report.submittedBy.user == "nguyen.van.a")
                let figure = try #require(first.report.observations.first)
                #expect(figure.origin == .reported && figure.agencyCode == "dept-finance" && figure.value.unit == "billion_vnd")
                #expect(PeriodText.key(figure.period) == "cumulative:2018-01..06", "a cumulative target's figure is year to date")

                // A second submission without a reason is refused; with one it is version 2.
                let unexplained = try await #require(throws: RPCError.self) {
                    try await reports.submitMonthlyReport(Self.report(agency: "dept-finance") { $0.observations = [Self.figure(target: 6, "11400")] }, options: DepartmentFixture.options(agency: "dept-finance"))
                }
                #expect(DepartmentFixture.reason(unexplained, field: "report.correction_reason")?.contains("correction") == true)
                let second = try await reports.submitMonthlyReport(Self.report(agency: "dept-finance") { report in
                    report.observations = [Self.figure(target: 6, "11400")]
                    report.correctionReason = "Cập nhật số liệu Kho bạc"
                }, options: DepartmentFixture.options(user: "le.van.c", agency: "dept-finance"))
                #expect(second.report.version == 2 && second.correction)

                let fetched = try await reports.getMonthlyReport(.with { $0.orgUnitCode = Self.org; $0.agencyCode = "dept-finance"; $0.year = 2018; $0.month = 6 })
                #expect(fetched.report.version == 2 && fetched.report.observations.first?.value.value == "11400")
                #expect(fetched.versions.map(\.version) == [1, 2])
                #expect(fetched.versions.map(\.correctionReason) == ["", "Cập nhật số liệu Kho bạc"])
                let original = try await reports.getMonthlyReport(.with { $0.orgUnitCode = Self.org; $0.agencyCode = "dept-finance"; $0.year = 2018; $0.month = 6; $0.version = 1 })
                #expect(original.report.observations.first?.value.value == "11375.1", "the first version is kept as it was")

                let submitted = try await DepartmentFixture.outboxEvents(Planmonitor_Department_V1_MonthlyReportSubmitted.self, service: "budget", routingKey: "budget.report-submitted.\(Self.org)")
                #expect(submitted.map(\.report.version) == [1, 2] && submitted.map(\.previousVersion) == [0, 1])
                let figures = try await DepartmentFixture.outboxEvents(Planmonitor_Department_V1_ObservationsRecorded.self, service: "budget", routingKey: "budget.observations-recorded.\(Self.org)")
                #expect(figures.flatMap(\.observations).map(\.value.value) == ["11375.1", "11400"])
                #expect(try await ServiceStack.scalar(String.self, "SELECT string_agg(action, ',' ORDER BY sequence) FROM budget.audit_log") == "report.submitted,report.corrected", "before the third version")

                // A correction without the figure withdraws it.
                let third = try await reports.submitMonthlyReport(Self.report(agency: "dept-finance") { report in
                    report.correctionReason = "Số thu chuyển sang báo cáo của Cục Thuế"
                }, options: DepartmentFixture.options(agency: "dept-finance"))
                #expect(third.report.version == 3)
                let withdrawn = try await DepartmentFixture.outboxEvents(Planmonitor_Department_V1_ObservationsRecorded.self, service: "budget", routingKey: "budget.observations-recorded.\(Self.org)")
                #expect(withdrawn.last?.withdrawn.map(\.value.value) == ["11400"])
                #expect(try await reports.listObservations(.with { $0.year = 2018; $0.targetNumber = 6 }).observations.isEmpty)

                await #expect { try await reports.getMonthlyReport(.with { $0.orgUnitCode = Self.org; $0.agencyCode = "dept-finance"; $0.year = 2018; $0.month = 5 }) } throws: { error in
                    (error as? RPCError)?.code == .notFound
                }
            }
        }

        @Test("figures, tasks and the reporting agency are checked against the department's share of the directive")
        func validation() async throws {
            try await DepartmentFixture.run(Self.departments) { rpc in
                let budget = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("budget")))
                let social = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("social")))
                let options = DepartmentFixture.options(agency: "dept-finance")

                let wrong = try await #require(throws: RPCError.self) {
                    try await budget.submitMonthlyReport(Self.report(agency: "dept-health", month: 13) { report in
                        report.orgUnitCode = "999"
                        report.observations = [Self.figure(target: 1, "16.03"), Self.figure(target: 6, "12", unit: "percent"), Self.figure(target: 6, "-3")]
                        report.tasks = [.with { $0.taskKey = "2018-XX.1.1"; $0.status = .done }, .with { $0.taskKey = "2018-I.1.1"; $0.status = .blocked }]
                    }, options: options)
                }
                #expect(wrong.code == .invalidArgument)
                let reasons = Dictionary(wrong.fieldViolations.map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
                #expect(reasons["report.org_unit_code"]?.contains("unknown org unit '999'") == true)
                #expect(reasons["report.agency_code"]?.contains("reports to the social service") == true)
                #expect(reasons["report.month"]?.contains("13 is not a month") == true)
                #expect(reasons["report.observations[0].target_number"]?.contains("target 1 is not reported by budget") == true)
                #expect(reasons["report.observations[1].value.unit"]?.contains("does not match target 6") == true)
                #expect(reasons["report.observations[2].value.value"]?.contains("negative") == true)
                #expect(reasons["report.tasks[0].task_key"]?.contains("2018-XX.1.1 is not among") == true)
                #expect(reasons["report.tasks[1].note"]?.contains("blocked task needs a note") == true)

                let flood = try await #require(throws: RPCError.self) {
                    try await budget.submitMonthlyReport(Self.report(agency: "dept-finance") { report in
                        report.tasks = (0...MonthlyReportValidator.maxEntries).map { index in .with { $0.taskKey = "2018-I.1.\(index)"; $0.status = .done } }
                    }, options: options)
                }
                #expect(DepartmentFixture.reason(flood, field: "report.tasks")?.contains("at most 1000") == true)

                let otherYear = try await #require(throws: RPCError.self) {
                    try await budget.submitMonthlyReport(Self.report(agency: "dept-finance") { $0.year = 2019 }, options: options)
                }
                #expect(DepartmentFixture.reason(otherYear, field: "report.year")?.contains("outside the directive's year (2018)") == true)

                // Rates: within 0–100 %, a numerator no larger than its denominator, a value that agrees with them.
                let rates = try await #require(throws: RPCError.self) {
                    try await social.submitMonthlyReport(Self.report(agency: "social-insurance") { report in
                        report.observations = [
                            Self.figure(target: 14, "", numerator: "2100000", denominator: "2000000"),
                            Self.figure(target: 17, "104", sub: "17.a"),
                            Self.figure(target: 18, "50", numerator: "10", denominator: "40"),
                        ]
                    }, options: DepartmentFixture.options(agency: "social-insurance"))
                }
                let rateReasons = Dictionary(rates.fieldViolations.map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
                #expect(rateReasons["report.observations[0].numerator"]?.contains("larger than its denominator") == true, "\(rates)")
                #expect(rateReasons["report.observations[1].value.value"]?.contains("outside 0–100 %") == true, "\(rates)")
                #expect(rateReasons["report.observations[2].value.value"]?.contains("disagrees with numerator/denominator = 25") == true, "\(rates)")

                // A rate given as a fraction only gets its value computed.
                let coverage = try await social.submitMonthlyReport(Self.report(agency: "social-insurance") { report in
                    report.observations = [Self.figure(target: 14, "", numerator: "1700000", denominator: "2000000")]
                }, options: DepartmentFixture.options(agency: "social-insurance"))
                let rate = try #require(coverage.report.observations.first)
                #expect(rate.value.value == "85" && rate.value.unit == "percent")
                #expect(PeriodText.key(rate.period) == "month:2018-06", "a level's figure is for the month")
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.monthly_reports") == 0)

                // Sở Nông nghiệp và PTNT belongs to the investment service but reports new-rural figures to social.
                let rural = try await social.submitMonthlyReport(Self.report(agency: "dept-agriculture-rural-development") { report in
                    report.observations = [Self.figure(target: 10, "16.8", sub: "10.a")]
                }, options: DepartmentFixture.options(agency: "dept-agriculture-rural-development"))
                #expect(rural.report.version == 1 && rural.report.observations.first?.value.unit == "criteria")
                let elsewhere = try await #require(throws: RPCError.self) {
                    try await budget.submitMonthlyReport(Self.report(agency: "dept-agriculture-rural-development"), options: options)
                }
                #expect(DepartmentFixture.reason(elsewhere, field: "report.agency_code")?.contains("reports to the investment service") == true)
            }
        }
    }
}
