@testable import Aggregator
@testable import BudgetService
@testable import CityPicture
import DepartmentCore
import Foundation
@testable import InfrastructureService
@testable import InvestmentService
import Logging
import PlanContracts
import PlanMessaging
@testable import SecurityService
import ServiceRuntime
@testable import SocialService
import Testing

extension ServicesAgainstTheStack {
    /// The demo year: `planctl demo load` fills every department from the seeded generator, everything it makes says
    /// it is demo data, a second run adds nothing, and the picture shows it.
    @Suite("Demo data")
    struct DemoDataTests {
        static let org = ServiceStack.orgUnit

        /// A department built with the demo setting on: reports may carry their generated receipt time.
        static func demo(_ build: @escaping @Sendable (ServiceConfiguration, Logger) -> ServiceApplication) -> @Sendable (ServiceConfiguration, Logger) -> ServiceApplication {
            { configuration, logger in
                var configuration = configuration
                configuration.settings[MonthlyReportDesk.demoReceiptTimesVariable] = "on"
                return build(configuration, logger)
            }
        }

        static let departments: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
            ("budget", demo { buildBudgetService(configuration: $0, logger: $1) }),
            ("investment", demo { buildInvestmentService(configuration: $0, logger: $1) }),
            ("infrastructure", demo { buildInfrastructureService(configuration: $0, logger: $1) }),
            ("social", demo { buildSocialService(configuration: $0, logger: $1) }),
            ("security", demo { buildSecurityService(configuration: $0, logger: $1) }),
        ]

        @Test("planctl demo load: reports of every agency with generated receipt times, budget and progress records, labelled demo; again: nothing new")
        func demoYear() async throws {
            try await DepartmentFixture.runStack(Self.departments) { stack in
                let seeded = try await planctl("infrastructure", "seed", "--org-unit", Self.org)
                #expect(seeded.status == 0, "\(seeded.standardError)")
                let first = try await planctl("demo", "load", "--seed", "7", "--through-month", "3", "--org-unit", Self.org)
                #expect(first.status == 0, "\(first.standardError)")
                #expect(first.standardOutput.contains("budget: 13 bản ghi thu ngân sách mới"), "\(first.standardOutput)")
                #expect(first.standardOutput.contains("social: 4 bản ghi tỷ lệ hộ nghèo mới"), "start of year and three months: \(first.standardOutput)")
                let reports = try #require(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.monthly_reports"))
                #expect(reports > 0)
                let receipts = try #require(try await ServiceStack.scalar(String.self, "SELECT min(received_at)::text || ' ' || max(received_at)::text FROM budget.monthly_reports"))
                #expect(receipts.hasPrefix("2018-01") && receipts.contains(" 2018-0"), "generated receipt times in 2018: \(receipts)")
                for schema in ["budget", "investment", "infrastructure", "social", "security"] {
                    let counts = try await ServiceStack.scalar(String.self, """
                        SELECT count(*)::text || '/' || count(*) FILTER (WHERE position(convert_to('minh họa', 'UTF8') in report) = 0)::text
                        FROM \(unescaped: "\"\(schema)\"").monthly_reports
                        """)
                    let parts = (counts ?? "0/0").split(separator: "/").compactMap { Int($0) }
                    #expect(parts.count == 2 && parts[0] > 0 && parts[1] == 0, "\(schema): reports/unlabelled = \(counts ?? "none")")
                }

                let again = try await planctl("demo", "load", "--seed", "7", "--through-month", "3", "--org-unit", Self.org)
                #expect(again.status == 0 && again.standardOutput.contains("budget: 0 bản ghi thu ngân sách mới"), "\(again.standardOutput)")
                #expect(again.standardOutput.contains("social: 0 bản ghi tỷ lệ hộ nghèo mới"), "\(again.standardOutput)")
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.monthly_reports") == reports)

                let picture = try await waitFor(timeout: .seconds(30)) { () async throws -> Picture? in
                    let (status, body) = try await stack.get("/api/picture?month=2018-03")
                    guard status == 200 else { return nil }
                    let picture = try JSONDecoder.iso8601.decode(Picture.self, from: body)
                    return picture.containsDemoData && picture.compliance.onTime > 0 && picture.targets.first { $0.code == "6" }?.latest != nil
                        && picture.targets.first { $0.code == "15" }?.latest != nil ? picture : nil
                }
                // The poverty rate fell: target 15 is the change in points the social service derived from the demo rates.
                let poverty = try #require(picture.targets.first { $0.code == "15" }?.latest)
                #expect(poverty.value < 0 && poverty.origin == "derived", "\(poverty)")
                #expect(picture.compliance.onTime + picture.compliance.late + picture.compliance.missing == picture.compliance.agencies.count)
                let (_, page) = try await stack.get("/?month=2018-03")
                #expect(String(decoding: page, as: UTF8.self).contains("Có số liệu minh họa (demo)"))
            }
        }

        @Test("in a city instance the demo poverty rates are the districts' (the city's own rate is computed from them), and target 15 follows")
        func cityPovertyRates() async throws {
            let social: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
                ("social", Self.demo { buildSocialService(configuration: $0, logger: $1, cityCode: ServiceStack.orgUnit) }),
            ]
            try await DepartmentFixture.run(social) { rpc in
                let loaded = try await planctl("demo", "load", "--seed", "7", "--through-month", "2", "--districts-reporting-here", "305,315", "--org-unit", Self.org)
                #expect(loaded.status == 0, "\(loaded.standardError)")
                #expect(loaded.standardOutput.contains("social: 6 bản ghi tỷ lệ hộ nghèo mới"), "start of year and two months, two districts: \(loaded.standardOutput)")
                let observations = try await Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("social")))
                    .listObservations(.with { $0.year = 2018; $0.targetNumber = 15 }, options: RPCCallOptions(timeout: .seconds(10)))
                let units = Set(observations.observations.filter { $0.origin == .derived }.map(\.orgUnitCode))
                #expect(units == [Self.org, "305", "315"], "\(observations.observations.map { "\($0.orgUnitCode) \($0.value.value)" })")
                // The rate as a fraction and its change in points since the start of the year: the poverty rate fell.
                let changes = observations.observations.filter { $0.orgUnitCode == Self.org && $0.value.unit == "percentage_points" }
                #expect(changes.count == 2 && changes.allSatisfy { (Double($0.value.value) ?? 0) < 0 }, "\(changes.map(\.value.value))")
            }
        }

        @Test("a receipt time given by a caller is refused unless the service is a demo deployment")
        func receiptTimesAreTheServices() async throws {
            try await DepartmentFixture.run([("budget", { buildBudgetService(configuration: $0, logger: $1) })]) { rpc in
                let reports = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("budget")))
                let options = RPCCallOptions(timeout: .seconds(10), metadata: [MonthlyReportDesk.demoReceiptTimeKey: "2018-06-18T09:00:00Z", "agency": "dept-finance"])
                let refused = try await #require(throws: RPCError.self) {
                    try await reports.submitMonthlyReport(.with {
                        $0.report.orgUnitCode = Self.org
                        $0.report.agencyCode = "dept-finance"
                        $0.report.year = 2018
                        $0.report.month = 6
                    }, options: options)
                }
                #expect(refused.code == .permissionDenied && refused.message.contains(MonthlyReportDesk.demoReceiptTimesVariable))
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.monthly_reports") == 0)
            }
        }
    }
}
