@testable import Aggregator
@testable import CityPicture
import AMQPClient
@testable import BudgetService
import DepartmentCore
import Foundation
@testable import InvestmentService
import Logging
import PlanContracts
import PlanMessaging
import ServiceRuntime
import Testing

extension ServicesAgainstTheStack {
    /// The aggregator's picture from the departments' events, over the real broker and PostgreSQL: the real January–June
    /// 2018 figures judged, a duplicate delivery counted once, the rebuild giving the same picture, the API true to its
    /// OpenAPI document, the dashboard and the briefing showing the figures.
    @Suite("Aggregator picture")
    struct AggregatorPictureTests {
        static let org = ServiceStack.orgUnit
        static let departments: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
            ("budget", { configuration, logger in buildBudgetService(configuration: configuration, logger: logger) }),
            ("investment", { configuration, logger in buildInvestmentService(configuration: configuration, logger: logger) }),
        ]
        static let realFigures = ServiceStack.repositoryRoot.appendingPathComponent("Shared/ReferenceData/data/hp2018-reported-jan-jun.csv")

        @Test("the real January–June 2018 figures and budget records give the June picture; duplicates count once; the rebuild gives the same picture")
        func juneOf2018() async throws {
            try await DepartmentFixture.runStack(Self.departments) { stack in
                let options = DepartmentFixture.options(agency: "dept-planning-investment")
                let investment = Planmonitor_Investment_V1_InvestmentService.Client(transport: stack.rpc.transport(to: ServiceStack.target("investment")))
                var csv = Planmonitor_Department_V1_ImportRecordsCsvRequest()
                csv.csv = try Data(contentsOf: Self.realFigures)
                csv.fileName = Self.realFigures.lastPathComponent
                csv.recordKind = "economic-statistic"
                _ = try await investment.importRecordsCsv(csv, options: options)

                let budget = Planmonitor_Budget_V1_BudgetService.Client(transport: stack.rpc.transport(to: ServiceStack.target("budget")))
                for month in Int32(1)...6 {
                    var record = Planmonitor_Budget_V1_BudgetRecord()
                    record.execution = .with {
                        $0.recordID = "thu-\(month)"
                        $0.orgUnitCode = Self.org
                        $0.year = 2018
                        $0.month = month
                        $0.direction = .revenue
                        $0.classificationCode = "domestic.taxes-fees"
                        $0.amount = Planmonitor_Common_V1_Money(amount: "1900", unit: .billionVnd)
                    }
                    _ = try await budget.putRecord(.with { $0.record = record }, options: DepartmentFixture.options(agency: "tax-department"))
                }
                let reports = Planmonitor_Department_V1_MonthlyReportService.Client(transport: stack.rpc.transport(to: ServiceStack.target("budget")))
                _ = try await reports.submitMonthlyReport(.with {
                    $0.report.orgUnitCode = Self.org
                    $0.report.agencyCode = "dept-finance"
                    $0.report.year = 2018
                    $0.report.month = 6
                    $0.report.tasks = [.with { $0.taskKey = "2018-I.1.1"; $0.status = .blocked; $0.note = "Chờ hướng dẫn của Bộ Tài chính" }]
                }, options: DepartmentFixture.options(agency: "dept-finance"))

                // The picture catches up with the events.
                let picture = try await waitFor(timeout: .seconds(30)) { () async throws -> Picture? in
                    let (status, body) = try await stack.get("/api/picture?month=2018-06")
                    guard status == 200 else { return nil }
                    let picture = try JSONDecoder.iso8601.decode(Picture.self, from: body)
                    let revenue = picture.targets.first { $0.code == "6" }?.latest?.value
                    let tasked = picture.tasks.byAgency.contains { $0.agencyCode == "dept-finance" && $0.blocked == 1 }
                    return revenue == 11_400 && picture.targets.first { $0.code == "1" }?.latest != nil && tasked ? picture : nil
                }
                let growth = try #require(picture.targets.first { $0.code == "1" })
                #expect(growth.latest?.value == 16.03 && growth.latest?.period == "half-year:2018-H1")
                #expect(growth.status == "onTrack" && growth.reasonVi.contains("16,03"), "\(growth.reasonVi)")
                let provenance = try #require(growth.latest?.provenance.first)
                #expect(provenance.service == "investment" && provenance.agencyCode == "dept-planning-investment" && !provenance.messageID.isEmpty)
                let port = try #require(picture.targets.first { $0.code == "7" })
                #expect(port.latest?.value == 50.96 && port.expectedByNow == 53.5, "judged against half the year: \(String(describing: port.expectedByNow))")
                #expect(port.status == "atRisk", "\(port.reasonVi)")
                let revenue = try #require(picture.targets.first { $0.code == "6" })
                #expect(revenue.latest?.origin == "derived" && revenue.series.count == 6 && revenue.forecast != nil)
                #expect(picture.targets.first { $0.code == "12" }?.status == "noData", "no figure for urban unemployment")
                let finance = try #require(picture.compliance.agencies.first { $0.agencyCode == "dept-finance" })
                #expect(finance.status == "late" && finance.daysLate > 0, "received long after 20 June 2018")
                #expect(picture.compliance.agencies.first { $0.agencyCode == "tax-department" }?.status == "missing")
                #expect(picture.compliance.toRemind.contains("tax-department"))

                // A duplicate delivery of an event already applied changes nothing.
                let logged = try #require(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.event_log"))
                // The same message id again, with a body that would change June's revenue if it were applied.
                let (messageID, body) = try #require(try await Self.firstLoggedRevenueEvent())
                var tampered = try Planmonitor_Department_V1_ObservationsRecorded(serializedBytes: body)
                tampered.observations = [.with {
                    $0.targetNumber = 6
                    $0.orgUnitCode = Self.org
                    $0.period = PeriodText.cumulative(year: 2018, through: 6)
                    $0.value = Planmonitor_Common_V1_Quantity(value: "1", unit: "billion_vnd")
                    $0.origin = .derived
                    $0.agencyCode = "tax-department"
                    $0.observedAt = .init(date: Date())
                }]
                try await Self.republish(messageID: messageID, body: try tampered.serializedData())
                try await Self.republish(messageID: UUID(), body: try Planmonitor_Department_V1_ObservationsRecorded.with {
                    $0.service = "budget"
                    $0.observations = [.with {
                        $0.targetNumber = 0
                        $0.indicator = "dấu hiệu đã xử lý"
                        $0.orgUnitCode = Self.org
                        $0.period = PeriodText.month(year: 2018, month: 6)
                        $0.value = Planmonitor_Common_V1_Quantity(value: "1", unit: "count")
                        $0.origin = .reported
                    }]
                }.serializedData())
                _ = try await waitFor(timeout: .seconds(20)) {
                    try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.event_log") == logged + 1 ? true : nil
                }
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.inbox WHERE message_id = \(messageID)") == 1)
                let (_, afterDuplicate) = try await stack.get("/api/picture?month=2018-06")
                #expect(try JSONDecoder.iso8601.decode(Picture.self, from: afterDuplicate).targets.first { $0.code == "6" }?.latest?.value == 11_400,
                        "the duplicate was not applied")

                // The rebuild gives the same picture, from the event log alone: the read models are emptied first.
                let (_, before) = try await stack.get("/api/picture?month=2018-06")
                _ = try await ServiceStack.withAdminDatabase { client in
                    try await client.query("TRUNCATE aggregator.rm_observations, aggregator.rm_reports, aggregator.rm_records", logger: ServiceStack.logger)
                }
                let (_, emptied) = try await stack.get("/api/picture?month=2018-06")
                #expect(emptied != before, "the emptied read models give another picture")
                let pictures = Planmonitor_Aggregator_V1_PictureService.Client(transport: stack.rpc.transport(to: ServiceStack.target("aggregator")))
                let rebuilt = try await pictures.rebuildReadModels(.init(), options: RPCCallOptions(timeout: .seconds(30)))
                #expect(rebuilt.eventsApplied == logged + 1 && rebuilt.observations > 0 && rebuilt.reports == 1)
                let (_, after) = try await stack.get("/api/picture?month=2018-06")
                #expect(after == before, "the rebuilt read models give the same picture")

                // The briefing shows the figures, in the usual outline.
                let briefing = try await pictures.getBriefing(.with { $0.year = 2018; $0.month = 6; $0.format = .markdown })
                let markdown = String(decoding: briefing.document, as: UTF8.self)
                #expect(briefing.fileName == "bao-cao-thang-06-2018.md")
                #expect(BriefingOutline.headings(ofMarkdown: markdown) == BriefingOutline.expected)
                #expect(markdown.contains("16,03") && markdown.contains("50,96") && markdown.contains("11.400"))
                #expect(markdown.contains("Sở Tài chính: muộn"))

                // planctl writes it as PDF through Chromium, and as Markdown.
                let pdf = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-\(UUID().uuidString).pdf")
                defer { try? FileManager.default.removeItem(at: pdf) }
                let printed = try await planctl("briefing", "--period", "2018-06", "--format", "pdf", "--output", pdf.path, "--org-unit", Self.org)
                #expect(printed.status == 0, "\(printed.standardError)")
                #expect((try? Data(contentsOf: pdf))?.starts(with: Data("%PDF".utf8)) == true)
                let text = try await planctl("briefing", "--period", "2018-06", "--format", "md", "--output", "-", "--org-unit", Self.org)
                #expect(text.status == 0 && BriefingOutline.headings(ofMarkdown: text.standardOutput) == BriefingOutline.expected)

                // Drill-down: domestic revenue → the budget records behind it.
                let (drillStatus, drillBody) = try await stack.get("/api/targets/6?month=2018-06")
                #expect(drillStatus == 200)
                let drill = try JSONDecoder.iso8601.decode(TargetDrillDown.self, from: drillBody)
                #expect(drill.records.map(\.recordID).sorted() == (1...6).map { "thu-\($0)" }.sorted())
                let (_, marchBody) = try await stack.get("/api/targets/6?month=2018-03")
                let march = try JSONDecoder.iso8601.decode(TargetDrillDown.self, from: marchBody)
                #expect(march.records.map(\.recordID).sorted() == (1...3).map { "thu-\($0)" }, "March's figure rests on January–March only")
                #expect(drill.tasks.contains { $0.key == "2018-I.1.1" && $0.status == "blocked" })
                let (missingStatus, _) = try await stack.get("/api/targets/99")
                #expect(missingStatus == 404)
                let (badMonth, badBody) = try await stack.get("/api/picture?month=2018-13")
                #expect(badMonth == 400 && String(decoding: badBody, as: UTF8.self).contains("2018-13"))

                // Compliance on its own (read from the reports alone) is the picture's.
                let (complianceStatus, complianceBody) = try await stack.get("/api/compliance?month=2018-06")
                #expect(complianceStatus == 200)
                #expect(try JSONDecoder.iso8601.decode(CompliancePicture.self, from: complianceBody) == picture.compliance)
                let (unknownUnit, _) = try await stack.get("/api/compliance?month=2018-06&unit=999")
                #expect(unknownUnit == 404)

                // An agency's reporting month by month.
                let (_, agencyBody) = try await stack.get("/api/agencies/dept-finance?month=2018-06")
                let agency = try JSONDecoder.iso8601.decode(AgencyView.self, from: agencyBody)
                #expect(agency.compliance.map(\.month) == Array(1...6) && agency.compliance.last?.status == finance.status, "\(agency.compliance)")

                // The API answers as its OpenAPI document says.
                try await OpenAPIConformance.check(stack: stack, paths: [
                    "/api/picture?month=2018-06", "/api/targets/1?month=2018-06", "/api/targets/6?month=2018-06",
                    "/api/districts/\(Self.org)?month=2018-06", "/api/agencies/dept-finance?month=2018-06",
                    "/api/compliance?month=2018-06", "/api/projects",
                ])

                // The dashboard in a real browser.
                try await DashboardBrowserCheck.check(stack: stack, picture: picture)
            }
        }

        /// The id and body of the first `ObservationsRecorded` the aggregator logged from the budget service.
        static func firstLoggedRevenueEvent() async throws -> (UUID, Data)? {
            try await ServiceStack.withAdminDatabase { client in
                let rows = try await client.query(
                    "SELECT message_id, body FROM aggregator.event_log WHERE routing_key LIKE 'budget.observations-recorded.%' ORDER BY sequence LIMIT 1",
                    logger: ServiceStack.logger)
                var found: (UUID, Data)?
                for try await row in rows.decode((UUID, Data).self) { found = row }
                return found
            }
        }

        /// Publishes an `ObservationsRecorded` as the budget service would, with the given message id.
        static func republish(messageID: UUID, body: Data) async throws {
            let connection = AMQPConnection(configuration: AMQPConfiguration(
                host: ServiceStack.amqpHost, port: ServiceStack.amqpPort, virtualHost: ServiceStack.virtualHost,
                username: "budget", password: "planmonitor-budget-dev", connectionName: "aggregator-tests-duplicate"), logger: ServiceStack.logger)
            try await connection.waitUntilConnected(timeout: .seconds(10))
            var properties = AMQPProperties()
            properties.messageID = messageID.uuidString.lowercased()
            properties.type = Planmonitor_Department_V1_ObservationsRecorded.protoMessageName
            properties.contentType = Wire.protobufContentType
            properties.userID = "budget"
            properties.appID = "budget"
            properties.persistent = true
            properties.headers = [Wire.Header.orgUnit: .string(org)]
            try await connection.publish(AMQPOutgoingMessage(
                exchange: Wire.eventsExchange, routingKey: "budget.observations-recorded.\(org)", properties: properties, body: [UInt8](body)))
            await connection.close()
        }
    }
}

extension JSONDecoder {
    /// A decoder of the aggregator's JSON (ISO 8601 dates).
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
