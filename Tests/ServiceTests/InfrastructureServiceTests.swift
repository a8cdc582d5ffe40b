import DepartmentCore
import DirectiveParser
import Foundation
@testable import InfrastructureService
import Logging
import PlanContracts
import PlanMessaging
import ServiceRuntime
import SwiftProtobuf
import Testing

extension ServicesAgainstTheStack {
    /// The infrastructure service's register, progress, site clearance, derived public-investment disbursement, early
    /// warnings, seed register, published milestones and OC4IDS export, over the real broker and PostgreSQL.
    @Suite("Infrastructure service register")
    struct InfrastructureServiceTests {
        typealias Record = Planmonitor_Infrastructure_V1_InfrastructureRecord

        static let org = ServiceStack.orgUnit
        static let infrastructure: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
            ("infrastructure", { configuration, logger in buildInfrastructureService(configuration: configuration, logger: logger) }),
        ]

        static func client(_ rpc: RPCClient) -> Planmonitor_Infrastructure_V1_InfrastructureService.Client {
            Planmonitor_Infrastructure_V1_InfrastructureService.Client(transport: rpc.transport(to: ServiceStack.target("infrastructure")))
        }

        static func project(
            _ id: String, owner: String = "dept-transport", task: String = "2018-IV.1.3", capitalPlan: String? = nil,
            districts: [String] = [], periodStart: Planmonitor_Common_V1_LocalDate? = nil
        ) -> Record {
            .with {
                $0.project = .with {
                    $0.recordID = id
                    $0.orgUnitCode = org
                    $0.year = 2018
                    $0.title = "Dự án thử nghiệm \(id)"
                    $0.sectors = ["transport", "transport.road"]
                    $0.ownerAgencyCode = owner
                    $0.districtCodes = districts
                    $0.fundingSources = [.publicBudget]
                    $0.status = .implementation
                    $0.taskKey = task
                    if let capitalPlan { $0.capitalPlan = Planmonitor_Common_V1_Money(amount: capitalPlan, unit: .billionVnd) }
                    if let periodStart { $0.periodStart = periodStart }
                }
            }
        }

        static func progress(_ projectID: String, month: Int32, planned: String, actual: String, disbursed: String) -> Record {
            .with {
                $0.progress = .with {
                    $0.recordID = "\(projectID)/progress/2018-\(month)"
                    $0.projectID = projectID
                    $0.year = 2018
                    $0.month = month
                    $0.plannedPercent = planned
                    $0.actualPercent = actual
                    $0.disbursed = Planmonitor_Common_V1_Money(amount: disbursed, unit: .billionVnd)
                }
            }
        }

        static func clearance(_ projectID: String, month: Int32, households: (Int32, Int32), area: (String, String, String)) -> Record {
            .with {
                $0.siteClearance = .with {
                    $0.recordID = "\(projectID)/site-clearance/2018-\(month)"
                    $0.projectID = projectID
                    $0.year = 2018
                    $0.month = month
                    $0.householdsToClear = households.0
                    $0.householdsCleared = households.1
                    $0.areaToClearHa = area.0
                    $0.areaClearedHa = area.1
                    $0.areaHandedOverHa = area.2
                }
            }
        }

        static func milestone(_ projectID: String, code: String, title: String, due: Planmonitor_Common_V1_LocalDate, met: Planmonitor_Common_V1_LocalDate? = nil) -> Record {
            .with {
                $0.milestone = .with {
                    $0.recordID = "\(projectID)/milestone/\(code)"
                    $0.projectID = projectID
                    $0.year = 2018
                    $0.code = code
                    $0.title = title
                    $0.dueDate = due
                    if let met { $0.dateMet = met }
                }
            }
        }

        static func put(_ record: Record, amend: Bool = false, reason: String = "") -> Planmonitor_Infrastructure_V1_PutInfrastructureRecordRequest {
            .with { $0.record = record; $0.amend = amend; $0.reason = reason }
        }

        static func csv(_ text: String, kind: String, file: String) -> Planmonitor_Department_V1_ImportRecordsCsvRequest {
            .with { $0.csv = Data(text.utf8); $0.fileName = file; $0.recordKind = kind }
        }

        static func outbox<Event: SwiftProtobuf.Message & Sendable>(_ type: Event.Type, _ event: String) async throws -> [Event] {
            try await DepartmentFixture.outboxEvents(type, service: "infrastructure", routingKey: "infrastructure.\(event).\(org)")
        }

        // MARK: Register, progress, clearance, disbursement

        @Test("projects, progress and site clearance by RPC and CSV; public-investment disbursement derived city-wide and by owner")
        func registerProgressAndDisbursement() async throws {
            try await DepartmentFixture.run(Self.infrastructure) { rpc in
                let client = Self.client(rpc)
                let options = DepartmentFixture.options(agency: "dept-transport")
                let created = try await client.putRecord(Self.put(Self.project("nut-giao-thu-nghiem", task: "2018-IV.1.5", capitalPlan: "200", districts: ["303"])), options: options)
                #expect(created.change.version == 1 && created.change.action == .created)
                #expect(created.derivedObservations.isEmpty, "no progress yet, so no disbursement figure")

                let projects = """
                    Mã dự án;Năm;Tên dự án;Lĩnh vực;Chủ đầu tư;"Quận, huyện";Nguồn vốn;Kế hoạch vốn;Đơn vị tính;Giai đoạn;Nhiệm vụ
                    chung-cu-thu-nghiem;2018;Chung cư thử nghiệm;socialHousing;dept-construction;"304, 305";public-budget;300.000;triệu đồng;thực hiện;2018-IV.2.3
                    """
                let importedProjects = try await client.importRecordsCsv(Self.csv(projects, kind: "project", file: "du-an-2018.csv"), options: options)
                #expect(importedProjects.created == 1 && importedProjects.recordIds == ["chung-cu-thu-nghiem"])

                let january = try await client.putRecord(Self.put(Self.progress("nut-giao-thu-nghiem", month: 1, planned: "5", actual: "5", disbursed: "20")), options: options)
                #expect(january.derivedObservations.map { "\($0.indicator)|\($0.agencyCode)|\($0.value.value)" } == [
                    "Giải ngân vốn đầu tư công|dept-planning-investment|4",
                    "Giải ngân vốn đầu tư công - dept-construction|dept-construction|0",
                    "Giải ngân vốn đầu tư công - dept-transport|dept-transport|10",
                ])

                let progressFile = """
                    Mã dự án,Tháng,Kế hoạch (%),Thực hiện (%),Giải ngân trong tháng
                    nut-giao-thu-nghiem,02/2018,12,11,30
                    chung-cu-thu-nghiem,T1/2018,3,3,30
                    chung-cu-thu-nghiem,2018-02,8,"7,5",15
                    """
                let imported = try await client.importRecordsCsv(Self.csv(progressFile, kind: "progress", file: "tien-do-2018-02.csv"), options: options)
                #expect(imported.created == 3)
                #expect(imported.recordIds == ["nut-giao-thu-nghiem/progress/2018-02", "chung-cu-thu-nghiem/progress/2018-01", "chung-cu-thu-nghiem/progress/2018-02"])
                let figures = Dictionary(uniqueKeysWithValues: imported.derivedObservations.map { ("\($0.indicator)@\(PeriodText.key($0.period))", $0.value.value) })
                #expect(figures == [
                    "Giải ngân vốn đầu tư công@cumulative:2018-01..01": "10",
                    "Giải ngân vốn đầu tư công - dept-construction@cumulative:2018-01..01": "10",
                    "Giải ngân vốn đầu tư công@cumulative:2018-01..02": "19",
                    "Giải ngân vốn đầu tư công - dept-construction@cumulative:2018-01..02": "15",
                    "Giải ngân vốn đầu tư công - dept-transport@cumulative:2018-01..02": "25",
                ], "only the figures that changed are announced")
                let city = try #require(imported.derivedObservations.first { $0.indicator == "Giải ngân vốn đầu tư công" && PeriodText.key($0.period) == "cumulative:2018-01..02" })
                #expect(city.numerator == "95" && city.denominator == "500" && city.value.unit == "percent" && city.origin == .derived && city.targetNumber == 0)
                #expect(city.orgUnitCode == Self.org)
                #expect(city.derivation == "giải ngân vốn đầu tư công tháng 1–2/2018: 95 tỷ đồng trên kế hoạch vốn năm 500 tỷ đồng của 2 dự án")

                let ytd = try await client.getYearToDate(.with { $0.year = 2018 }, options: options)
                #expect(ytd.throughMonth == 2)
                #expect(ytd.city.capitalPlan.amount == "500" && ytd.city.disbursed.amount == "95" && ytd.city.percentOfPlan == "19" && ytd.city.projectCount == 2)
                #expect(ytd.byOwner.map { "\($0.ownerAgencyCode)|\($0.ownerNameVi)|\($0.capitalPlan.amount)|\($0.disbursed.amount)|\($0.percentOfPlan)" } == [
                    "dept-construction|Sở Xây dựng|300|45|15", "dept-transport|Sở Giao thông vận tải|200|50|25",
                ])
                let january2018 = try await client.getYearToDate(.with { $0.year = 2018; $0.throughMonth = 1 }, options: options)
                #expect(january2018.city.disbursed.amount == "50" && january2018.city.percentOfPlan == "10")

                // Site clearance by RPC, then by CSV with Vietnamese headers.
                _ = try await client.putRecord(Self.put(Self.clearance("nut-giao-thu-nghiem", month: 1, households: (120, 50), area: ("6", "2.5", "1"))), options: options)
                let clearanceFile = """
                    Mã dự án;Tháng;Số hộ phải giải phóng;Số hộ đã giải phóng;Diện tích phải giải phóng (ha);Diện tích đã giải phóng (ha);Diện tích đã bàn giao (ha);Vướng mắc
                    nut-giao-thu-nghiem;T2/2018;120;80;6;4;3;"Còn 40 hộ chưa nhận tiền bồi thường"
                    """
                let clearances = try await client.importRecordsCsv(Self.csv(clearanceFile, kind: "site-clearance", file: "gpmb-2018-02.csv"), options: options)
                #expect(clearances.recordIds == ["nut-giao-thu-nghiem/site-clearance/2018-02"])

                let register = try await client.listProjects(.with { $0.year = 2018 }, options: options)
                #expect(register.projects.map(\.project.recordID) == ["chung-cu-thu-nghiem", "nut-giao-thu-nghiem"])
                let junction = try #require(register.projects.last)
                #expect(junction.latestProgress.month == 2 && junction.latestProgress.actualPercent == "11")
                #expect(junction.latestSiteClearance.month == 2 && junction.latestSiteClearance.householdsCleared == 80)
                #expect(junction.latestSiteClearance.obstacles == "Còn 40 hộ chưa nhận tiền bồi thường")
                #expect(junction.disbursed.amount == "50" && junction.percentOfPlan == "25")
                let housing = try #require(register.projects.first)
                #expect(housing.project.capitalPlan.amount == "300000" && housing.project.capitalPlan.unit == .millionVnd)
                #expect(housing.project.districtCodes == ["304", "305"] && housing.project.status == .implementation)
                #expect(housing.disbursed.amount == "45" && housing.percentOfPlan == "15")
                #expect(housing.warnings.isEmpty && junction.warnings.isEmpty)

                let listed = try await Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("infrastructure")))
                    .listObservations(.with { $0.year = 2018 }, options: options)
                let cityFigures = listed.observations.filter { $0.indicator == PublicInvestment.indicator }
                #expect(cityFigures.map { "\(PeriodText.key($0.period))=\($0.value.value)" } == ["cumulative:2018-01..01=10", "cumulative:2018-01..02=19"])

                let announced = try await Self.outbox(Planmonitor_Department_V1_ObservationsRecorded.self, "observations-recorded")
                #expect(announced.count == 2 && announced.map { $0.observations.count } == [3, 5])
                let changes = try await Self.outbox(Planmonitor_Infrastructure_V1_InfrastructureRecordChanged.self, "record-changed")
                #expect(changes.count == 8)
                let history = try await client.getRecordHistory(.with { $0.recordID = "chung-cu-thu-nghiem/progress/2018-02" }, options: options)
                #expect(history.versions.map(\.record.progress.actualPercent) == ["7.5"])
                #expect(history.versions.first?.change.reason == "CSV tien-do-2018-02.csv, line 4")
            }
        }

        // MARK: Early warnings

        @Test("each warning is raised once while its condition holds and cleared once when it ends, with the reason in words")
        func earlyWarnings() async throws {
            try await DepartmentFixture.run(Self.infrastructure) { rpc in
                let client = Self.client(rpc)
                let options = DepartmentFixture.options(agency: "dept-transport")
                let bridge = "cau-thu-nghiem"
                let road = "duong-thu-nghiem"
                _ = try await client.putRecord(Self.put(Self.project(bridge, capitalPlan: "100", periodStart: LocalDay.make(2017, 1, 1))), options: options)
                _ = try await client.putRecord(Self.put(Self.project(road, task: "2018-IV.1.4", capitalPlan: "200")), options: options)
                _ = try await client.putRecord(Self.put(Self.milestone(bridge, code: "hop-long", title: "Hợp long cầu", due: LocalDay.make(2018, 3, 15))), options: options)

                // January: on plan, clearance begun.
                _ = try await client.putRecord(Self.put(Self.progress(bridge, month: 1, planned: "10", actual: "8", disbursed: "10")), options: options)
                _ = try await client.putRecord(Self.put(Self.clearance(bridge, month: 1, households: (300, 100), area: ("10", "4", "2"))), options: options)
                #expect(try await Self.outbox(Planmonitor_Infrastructure_V1_ProjectWarningRaised.self, "project-warning-raised").isEmpty)

                // February: 13 points behind — raised.
                _ = try await client.putRecord(Self.put(Self.progress(bridge, month: 2, planned: "25", actual: "12", disbursed: "10")), options: options)
                _ = try await client.putRecord(Self.put(Self.clearance(bridge, month: 2, households: (300, 100), area: ("10", "4", "2"))), options: options)

                // March: still behind (nothing raised again); the milestone is overdue; the road disburses slowly;
                // clearance has not moved for two months.
                let march = """
                    project_id,month,planned_percent,actual_percent,disbursed
                    \(bridge),2018-03,35,20,10
                    \(road),2018-03,20,18,10
                    """
                _ = try await client.importRecordsCsv(Self.csv(march, kind: "progress", file: "tien-do-2018-03.csv"), options: options)
                _ = try await client.putRecord(Self.put(Self.clearance(bridge, month: 3, households: (300, 100), area: ("10", "4", "2"))), options: options)

                let raised = try await Self.outbox(Planmonitor_Infrastructure_V1_ProjectWarningRaised.self, "project-warning-raised")
                #expect(raised.map { "\($0.warning.projectID)|\(WarningKey.code(of: $0.warning.kind))|\($0.warning.subject)|\($0.warning.month)" } == [
                    "\(bridge)|behind-schedule||2", "\(bridge)|milestone-overdue|hop-long|3", "\(road)|slow-disbursement||3", "\(bridge)|clearance-stalled||3",
                ])
                let reasons = Dictionary(uniqueKeysWithValues: raised.map { ($0.warning.kind, $0.warning.reason) })
                #expect(reasons[.behindSchedule] == "Tiến độ thực tế hết tháng 2/2018 đạt 12% so với kế hoạch 25%, chậm 13 điểm phần trăm, quá ngưỡng cảnh báo 10 điểm.")
                #expect(reasons[.milestoneOverdue] == "Mốc “Hợp long cầu” đến hạn ngày 15/03/2018, đến hết tháng 3/2018 chưa đạt (quá hạn 16 ngày).")
                #expect(reasons[.slowDisbursement] == "Giải ngân đến hết tháng 3/2018 được 10 tỷ đồng, bằng 5% kế hoạch vốn năm 200 tỷ đồng, dưới mức 12,5% (0,5 × 25% thời gian của năm đã qua).")
                #expect(reasons[.clearanceStalled] == "Giải phóng mặt bằng không tiến triển 2 tháng, từ tháng 1/2018 đến hết tháng 3/2018 (ngưỡng cảnh báo 2 tháng): đã giải phóng 100/300 hộ, 4/10 ha, đã bàn giao 2 ha.")
                #expect(raised.allSatisfy { $0.raisedBy.user == "nguyen.van.a" && $0.warning.projectTitle.hasPrefix("Dự án thử nghiệm") })

                let during = try await client.listProjects(.with { $0.year = 2018 }, options: options)
                #expect(during.projects.map { "\($0.project.recordID)=\($0.warnings.count)" } == ["\(bridge)=3", "\(road)=1"])
                let behind = try #require(during.projects.first?.warnings.first { $0.kind == .behindSchedule })
                #expect(behind.month == 3 && behind.reason.contains("đạt 20% so với kế hoạch 35%, chậm 15 điểm"), "the warning in force follows the figures: \(behind.reason)")

                // April: back within the margin, milestone met, the road catches up, clearance moves.
                _ = try await client.putRecord(Self.put(Self.progress(bridge, month: 4, planned: "45", actual: "40", disbursed: "10")), options: options)
                _ = try await client.putRecord(
                    Self.put(Self.milestone(bridge, code: "hop-long", title: "Hợp long cầu", due: LocalDay.make(2018, 3, 15), met: LocalDay.make(2018, 4, 10)), amend: true, reason: "Đã hợp long"),
                    options: options)
                _ = try await client.putRecord(Self.put(Self.progress(road, month: 4, planned: "30", actual: "28", disbursed: "60")), options: options)
                _ = try await client.putRecord(Self.put(Self.clearance(bridge, month: 4, households: (300, 150), area: ("10", "6", "5"))), options: options)
                // A further on-plan report changes nothing.
                _ = try await client.putRecord(Self.put(Self.progress(bridge, month: 5, planned: "55", actual: "52", disbursed: "10")), options: options)

                let cleared = try await Self.outbox(Planmonitor_Infrastructure_V1_ProjectWarningCleared.self, "project-warning-cleared")
                #expect(cleared.map { "\($0.warning.projectID)|\(WarningKey.code(of: $0.warning.kind))|\($0.clearedMonth)" } == [
                    "\(bridge)|behind-schedule|4", "\(bridge)|milestone-overdue|4", "\(road)|slow-disbursement|4", "\(bridge)|clearance-stalled|4",
                ])
                let clearedReasons = Dictionary(uniqueKeysWithValues: cleared.map { ($0.warning.kind, $0.reason) })
                #expect(clearedReasons[.behindSchedule] == "Tiến độ thực tế hết tháng 4/2018 đạt 40% so với kế hoạch 45%, chậm 5 điểm phần trăm, trong ngưỡng 10 điểm.")
                #expect(clearedReasons[.milestoneOverdue] == "Mốc “Hợp long cầu” đến hạn ngày 15/03/2018 đã đạt ngày 10/04/2018.")
                #expect(clearedReasons[.slowDisbursement] == "Giải ngân đến hết tháng 4/2018 được 70 tỷ đồng, bằng 35% kế hoạch vốn năm 200 tỷ đồng, đạt mức tối thiểu 16,67% (0,5 × 33,33% thời gian của năm đã qua).")
                #expect(clearedReasons[.clearanceStalled] == "Giải phóng mặt bằng có tiến triển trong tháng 4/2018: đã giải phóng 150/300 hộ, 6/10 ha, đã bàn giao 5 ha.")
                #expect(try await Self.outbox(Planmonitor_Infrastructure_V1_ProjectWarningRaised.self, "project-warning-raised").count == 4, "raised once each, never again")
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM infrastructure.project_warnings") == 0)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM infrastructure.audit_log WHERE action IN ('warning.raised', 'warning.cleared')") == 8)
                let after = try await client.listProjects(.with { $0.year = 2018 }, options: options)
                #expect(after.projects.allSatisfy { $0.warnings.isEmpty })
            }
        }

        @Test("a change and the warnings it raises commit together: when the review cannot run, the change is not stored")
        func warningsInTheChangesTransaction() async throws {
            try await DepartmentFixture.run(Self.infrastructure) { rpc in
                let client = Self.client(rpc)
                let options = DepartmentFixture.options(agency: "dept-transport")
                let bridge = "cau-thu-nghiem"
                _ = try await client.putRecord(Self.put(Self.project(bridge, capitalPlan: "100", periodStart: LocalDay.make(2017, 1, 1))), options: options)
                _ = try await client.putRecord(Self.put(Self.progress(bridge, month: 1, planned: "10", actual: "8", disbursed: "10")), options: options)
                let records = try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM infrastructure.records")
                let outbox = try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM infrastructure.outbox")

                // The warnings table is out of reach: February's report, 13 points behind, cannot be reviewed.
                _ = try await ServiceStack.withAdminDatabase { database in
                    try await database.query("ALTER TABLE infrastructure.project_warnings RENAME TO project_warnings_away", logger: ServiceStack.logger)
                }
                let february = Self.put(Self.progress(bridge, month: 2, planned: "25", actual: "12", disbursed: "10"))
                let failed = try await #require(throws: RPCError.self) { try await client.putRecord(february, options: options) }
                #expect(failed.code == .internal)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM infrastructure.records") == records, "the report is not stored")
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM infrastructure.outbox") == outbox, "nothing is announced")

                _ = try await ServiceStack.withAdminDatabase { database in
                    try await database.query("ALTER TABLE infrastructure.project_warnings_away RENAME TO project_warnings", logger: ServiceStack.logger)
                }
                let stored = try await client.putRecord(february, options: options)
                #expect(stored.change.version == 1)
                let raised = try await Self.outbox(Planmonitor_Infrastructure_V1_ProjectWarningRaised.self, "project-warning-raised")
                #expect(raised.map { "\($0.warning.projectID)|\(WarningKey.code(of: $0.warning.kind))|\($0.warning.month)" } == ["\(bridge)|behind-schedule|2"])
            }
        }

        // MARK: Validation

        @Test("invalid records are refused with every field and reason named, and nothing is stored")
        func validation() async throws {
            try await DepartmentFixture.run(Self.infrastructure) { rpc in
                let client = Self.client(rpc)
                let options = DepartmentFixture.options(agency: "dept-transport")
                _ = try await client.putRecord(Self.put(Self.project("cau-thu-nghiem", periodStart: LocalDay.make(2017, 6, 1))), options: options)
                let stored = try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM infrastructure.records")

                func reasons(_ record: Record) async throws -> [String: String] {
                    let error = try await #require(throws: RPCError.self) { try await client.putRecord(Self.put(record), options: options) }
                    #expect(error.code == .invalidArgument)
                    return Dictionary(error.fieldViolations.map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
                }

                let above = try await reasons(Self.progress("cau-thu-nghiem", month: 6, planned: "100", actual: "104.5", disbursed: "1"))
                #expect(above["record.progress.actual_percent"] == "104.5 % is above 100 %")

                let overCleared = try await reasons(Self.clearance("cau-thu-nghiem", month: 6, households: (300, 350), area: ("10", "12", "13")))
                #expect(overCleared["record.site-clearance.households_cleared"] == "350 households cleared is more than the 300 to clear (households_to_clear)")
                #expect(overCleared["record.site-clearance.area_cleared_ha"] == "12 ha cleared is more than the 10 ha to clear (area_to_clear_ha)")
                #expect(overCleared["record.site-clearance.area_handed_over_ha"] == "13 ha handed over is more than the 12 ha cleared (area_cleared_ha)")

                let early = try await reasons(Self.milestone("cau-thu-nghiem", code: "khoi-cong", title: "Khởi công", due: LocalDay.make(2017, 1, 10), met: LocalDay.make(2017, 1, 15)))
                #expect(early["record.milestone.date_met"] == "met on 2017-01-15, before project cau-thu-nghiem existed: it began on 2017-06-01 (its period_start)")

                let orphan = try await reasons(Self.progress("khong-co-du-an", month: 6, planned: "10", actual: "10", disbursed: "0"))
                #expect(orphan["record.progress.project_id"] == "unknown project khong-co-du-an (register it with a project record first)")

                var misplaced = Self.project("duong-sai", task: "2018-IV.9.9", districts: ["305", "399"])
                misplaced.project.keyProjectCode = "bach-dang-bridge"
                misplaced.project.sectors = ["transport.road", "roads"]
                misplaced.project.ownerAgencyCode = "ban-qlda-khong-co"
                let project = try await reasons(misplaced)
                #expect(project["record.project.district_codes[1]"]?.hasPrefix("unknown district '399' (a GSO code of the city's districts: 303, 304,") == true)
                #expect(project["record.project.task_key"] == "there is no task 2018-IV.9.9 in the 2018 directive of \(Self.org) (revision 1)")
                #expect(project["record.project.sectors[1]"]?.hasPrefix("'roads' is not an OC4IDS sector") == true)
                #expect(project["record.project.owner_agency_code"]?.hasPrefix("unknown agency 'ban-qlda-khong-co'") == true)

                var wrongTask = Self.project("cau-bach-dang-sai", task: "2018-IV.1.4")
                wrongTask.project.keyProjectCode = "bach-dang-bridge"
                let task = try await reasons(wrongTask)
                #expect(task["record.project.key_project_code"] == "task 2018-IV.1.4 does not name key project bach-dang-bridge (it names: coastal-road, ho-sen-cau-rao-2-axis, bac-song-cam-urban-area)")

                // A CSV with one bad row imports nothing and names the line.
                let file = """
                    project_id,month,households_to_clear,households_cleared,area_to_clear_ha,area_cleared_ha,area_handed_over_ha
                    cau-thu-nghiem,2018-05,300,120,10,4,2
                    cau-thu-nghiem,2018-06,300,350,10,4,2
                    """
                let refused = try await #require(throws: RPCError.self) {
                    try await client.importRecordsCsv(Self.csv(file, kind: "site-clearance", file: "gpmb.csv"), options: options)
                }
                #expect(refused.code == .invalidArgument)
                #expect(refused.fieldViolations.map(\.field) == ["line 3.households_cleared"])
                #expect(refused.fieldViolations.first?.reason == "line 3: 350 households cleared is more than the 300 to clear (households_to_clear)")
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM infrastructure.records") == stored)
            }
        }

        // MARK: Seed register and published milestones

        @Test("the seed register holds every key work the directive names, each linked to a task that names it; seeding again stores nothing")
        func seedRegister() async throws {
            try await DepartmentFixture.run(Self.infrastructure) { rpc in
                let seeded = try await planctl("infrastructure", "seed", "--org-unit", Self.org, "--user", "nguyen.van.a", "--agency", "dept-transport")
                #expect(seeded.status == 0, "stderr: \(seeded.standardError)")
                #expect(seeded.standardOutput.hasPrefix("Danh mục công trình trọng điểm năm 2018: 36 dự án mới, 0 dự án đã có, 0 dự án đã sửa nên giữ nguyên."), "\(seeded.standardOutput)")

                let client = Self.client(rpc)
                let options = DepartmentFixture.options(agency: "dept-transport")
                let register = try await client.listProjects(.with { $0.year = 2018 }, options: options)
                let projects = Dictionary(uniqueKeysWithValues: register.projects.map { ($0.project.recordID, $0.project) })
                #expect(projects.count == 36)

                // Every key project of the parser's catalogue, and every key work the issue lists.
                let catalogued = Set(KeyProjectCatalog.default.projects.map(\.code))
                #expect(catalogued.count == 20)
                #expect(catalogued.subtracting(projects.values.map(\.keyProjectCode)).isEmpty)
                let keyWorks = [
                    "coastal-road", "ho-sen-cau-rao-2-axis", "bac-song-cam-urban-area", "city-administrative-center", "nam-cau-binh-interchange",
                    "road-359-upgrade", "cat-ba-tourism-roads", "nguyen-trai-bridge", "tan-vu-lach-huyen-2", "urban-transport-world-bank",
                    "drainage-solid-waste-jica", "national-road-10", "bach-dang-bridge", "old-apartments-van-my", "city-funeral-home",
                    "vsip-industrial-park", "an-duong-industrial-park", "ben-rung-main-road", "dinh-vu-cat-hai-economic-zone",
                    "traditional-medicine-hospital", "tien-lang-general-hospital", "emergency-centre-115", "hict-lach-huyen",
                ]
                #expect(keyWorks.filter { projects[$0] == nil } == [])

                // Each links to a task of the directive; a key project's task names it.
                let directive = try await Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: ServiceStack.target("aggregator")))
                    .getDirective(.with { $0.year = 2018 }, options: options).directive
                let tasks = Dictionary(uniqueKeysWithValues: directive.sections.flatMap(\.blocks).flatMap(\.tasks).map { ($0.key, $0) })
                for project in projects.values {
                    let task = tasks[project.taskKey]
                    #expect(task != nil, "\(project.recordID): no task \(project.taskKey)")
                    if !project.keyProjectCode.isEmpty {
                        #expect(task?.keyProjectCodes.contains(project.keyProjectCode) == true, "\(project.recordID): task \(project.taskKey) does not name it")
                    }
                }
                #expect(projects["bach-dang-bridge"]?.taskKey == "2018-IV.1.3" && projects["bach-dang-bridge"]?.title == "Cầu Bạch Đằng")
                #expect(projects["bach-dang-bridge"]?.totalInvestment.amount == "7300" && projects["bach-dang-bridge"]?.fundingSources == [.pppBot])
                #expect(projects["emergency-centre-115"]?.taskKey == "2018-VIII.2.5" && projects["emergency-centre-115"]?.ownerAgencyCode == "dept-health")
                #expect(tasks["2018-VIII.2.5"]?.text.contains("Trung tâm cấp cứu 115") == true)
                #expect(projects["cat-ba-tourism-roads"]?.taskKey == "2018-IV.1.5" && tasks["2018-IV.1.5"]?.text.contains("du lịch trên đảo Cát Bà") == true)
                #expect(projects["an-duong-industrial-park"]?.taskKey == "2018-VI.5.1" && tasks["2018-VI.5.1"]?.text.contains("khu công nghiệp An Dương") == true)
                #expect(projects["old-apartments-van-my"]?.taskKey == "2018-IV.2.3" && tasks["2018-IV.2.3"]?.text.contains("chung cư Vạn Mỹ") == true)
                #expect(projects.values.allSatisfy { $0.orgUnitCode == Self.org && $0.year == 2018 })

                let again = try await client.seedRegister(.with { $0.year = 2018 }, options: options)
                #expect(again.createdIds.isEmpty && again.unchangedIds.count == 36 && again.keptIds.isEmpty)
                #expect(try await Self.outbox(Planmonitor_Infrastructure_V1_InfrastructureRecordChanged.self, "record-changed").count == 36)
                let noSeed = try await #require(throws: RPCError.self) { try await client.seedRegister(.with { $0.year = 2019 }, options: options) }
                #expect(noSeed.code == .failedPrecondition && noSeed.message == "the service has no seed register for 2019")

                // The register's records through `planctl records`, as for every department.
                let listed = try await planctl("records", "list", "infrastructure", "--year", "2018", "--kind", "project", "--org-unit", Self.org)
                #expect(listed.status == 0, "stderr: \(listed.standardError)")
                #expect(listed.standardOutput.hasPrefix("Số bản ghi: 36"), "\(listed.standardOutput)")
                #expect(listed.standardOutput.contains("bach-dang-bridge") && listed.standardOutput.contains("Cầu Bạch Đằng"), "\(listed.standardOutput)")
                let totals = try await planctl("records", "ytd", "infrastructure", "--year", "2018", "--org-unit", Self.org)
                #expect(totals.status == 0, "stderr: \(totals.standardError)")
                #expect(totals.standardOutput.hasPrefix("Giải ngân vốn đầu tư công năm 2018"), "\(totals.standardOutput)")
            }
        }

        @Test("the real 2018 milestones (Bạch Đằng bridge closure, HICT opening) load as milestones of their projects")
        func publishedMilestones() async throws {
            let published = ServiceStack.repositoryRoot.appendingPathComponent("Shared/ReferenceData/data/hp2018-reported-jan-jun.csv")
            try await DepartmentFixture.run(Self.infrastructure) { rpc in
                let client = Self.client(rpc)
                let options = DepartmentFixture.options(agency: "dept-transport")
                _ = try await client.seedRegister(.with { $0.year = 2018 }, options: options)

                // The whole file is not a milestone file: the service names the first row that is not a milestone.
                let whole = try await #require(throws: RPCError.self) {
                    try await client.importRecordsCsv(.with {
                        $0.csv = try Data(contentsOf: published)
                        $0.fileName = published.lastPathComponent
                        $0.recordKind = "published-milestone"
                    }, options: options)
                }
                #expect(whole.code == .invalidArgument)
                #expect(whole.fieldViolations.first?.field == "line 2.indicator")
                #expect(whole.fieldViolations.first?.reason.contains("\"GRDP (2010 prices)\" is not an infrastructure milestone") == true, "\(whole.fieldViolations.first?.reason ?? "")")

                let loaded = try await planctl("infrastructure", "load-milestones", published.path, "--org-unit", Self.org, "--user", "nguyen.van.a", "--agency", "dept-transport")
                #expect(loaded.status == 0, "stderr: \(loaded.standardError)")
                #expect(loaded.standardOutput == """
                    Tệp hp2018-reported-jan-jun.csv: 2 mốc mới, 0 mốc đã có.
                      bach-dang-bridge/milestone/published-2018-04-28
                      hict-lach-huyen/milestone/published-2018-05-13

                    """)
                let milestones = try await client.listRecords(.with { $0.year = 2018; $0.recordKind = "milestone" }, options: options).records.map(\.record.milestone)
                #expect(milestones.map { "\($0.projectID)|\(LocalDay.iso($0.dateMet))|\(LocalDay.iso($0.dueDate))" } == [
                    "bach-dang-bridge|2018-04-28|2018-04-28", "hict-lach-huyen|2018-05-13|2018-05-13",
                ])
                #expect(milestones.first?.title == "Bach Dang bridge final segments joined (5.4 km, BOT, 7.3 trillion VND)")
                #expect(milestones.first?.sourceURL == "https://en.vietnamplus.vn/final-sections-of-bach-dang-bridge-joined/130244.vnp")
                #expect(milestones.last?.title == "Hai Phong International Container Terminal (HICT), Lach Huyen port, officially opened")
                let events = try await Self.outbox(Planmonitor_Infrastructure_V1_InfrastructureRecordChanged.self, "record-changed")
                    .filter { $0.record.milestone.recordID.contains("/milestone/") }
                #expect(events.map(\.change.recordID) == ["bach-dang-bridge/milestone/published-2018-04-28", "hict-lach-huyen/milestone/published-2018-05-13"])
                #expect(events.map(\.change.reason) == ["CSV hp2018-reported-jan-jun.csv, line 36", "CSV hp2018-reported-jan-jun.csv, line 41"], "the lines of the original file")

                let again = try await planctl("infrastructure", "load-milestones", published.path, "--org-unit", Self.org)
                #expect(again.status == 0 && again.standardOutput.hasPrefix("Tệp hp2018-reported-jan-jun.csv: 0 mốc mới, 2 mốc đã có."), "\(again.standardOutput) \(again.standardError)")
            }
        }

        // MARK: OC4IDS

        @Test("planctl infrastructure export --oc4ids writes a package that follows the OC4IDS 0.9 project schema's facts")
        func oc4idsExport() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("oc4ids-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let output = directory.appendingPathComponent("register-2018.json")
            try await DepartmentFixture.run(Self.infrastructure) { rpc in
                let client = Self.client(rpc)
                let options = DepartmentFixture.options(agency: "dept-transport")
                _ = try await client.seedRegister(.with { $0.year = 2018 }, options: options)
                var bridge = try #require(try await client.getRecordHistory(.with { $0.recordID = "bach-dang-bridge" }, options: options).versions.last?.record)
                bridge.project.capitalPlan = Planmonitor_Common_V1_Money(amount: "450", unit: .billionVnd)
                bridge.project.periodStart = LocalDay.make(2014, 6, 1)
                bridge.project.periodEnd = LocalDay.make(2018, 9, 1)
                _ = try await client.putRecord(Self.put(bridge, amend: true, reason: "Bổ sung kế hoạch vốn năm 2018"), options: options)
                _ = try await client.putRecord(Self.put(Self.milestone("bach-dang-bridge", code: "thong-xe", title: "Thông xe cầu", due: LocalDay.make(2018, 9, 1))), options: options)
                _ = try await client.putRecord(Self.put(.with {
                    $0.contractChange = .with {
                        $0.recordID = "bach-dang-bridge/contract-change/1"
                        $0.projectID = "bach-dang-bridge"
                        $0.year = 2018
                        $0.contractTitle = "Gói thầu xây lắp cầu chính"
                        $0.changedOn = LocalDay.make(2018, 3, 20)
                        $0.oldValue = Planmonitor_Common_V1_Money(amount: "7000", unit: .billionVnd)
                        $0.newValue = Planmonitor_Common_V1_Money(amount: "7300", unit: .billionVnd)
                        $0.oldEndDate = LocalDay.make(2018, 6, 30)
                        $0.newEndDate = LocalDay.make(2018, 9, 1)
                        $0.reason = "Điều chỉnh thiết kế trụ tháp"
                    }
                }), options: options)

                let exported = try await planctl("infrastructure", "export", "--oc4ids", "--output", output.path, "--org-unit", Self.org)
                #expect(exported.status == 0, "stderr: \(exported.standardError)")
                #expect(exported.standardOutput == "Đã ghi 36 dự án theo OC4IDS 0.9 vào \(output.path).\n")
                let json = try Data(contentsOf: output)
                #expect(try OC4IDSProjectSchema.violations(in: json) == [])

                let package = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
                #expect(package["version"] as? String == "0.9" && package["uri"] as? String == "urn:planmonitor:infrastructure:\(Self.org):2018")
                let projects = try #require(package["projects"] as? [[String: Any]])
                #expect(projects.count == 36)
                let exportedBridge = try #require(projects.first { $0["id"] as? String == "oc4ids-planmonitor-\(Self.org)-bach-dang-bridge" })
                #expect(exportedBridge["title"] as? String == "Cầu Bạch Đằng" && exportedBridge["status"] as? String == "implementation")
                #expect(exportedBridge["sector"] as? [String] == ["transport", "transport.road"])
                let authority = try #require(exportedBridge["publicAuthority"] as? [String: String])
                #expect(authority == ["id": "dept-transport", "name": "Sở Giao thông vận tải"])
                let budget = try #require(exportedBridge["budget"] as? [String: Any])
                #expect((budget["amount"] as? [String: Any])?["amount"] as? Int64 == 7_300_000_000_000)
                #expect(budget["description"] as? String == "Nguồn vốn: Đối tác công - tư (PPP, BOT)")
                let breakdown = try #require(((budget["budgetBreakdowns"] as? [[String: Any]])?.first?["budgetBreakdown"] as? [[String: Any]])?.first)
                #expect((breakdown["amount"] as? [String: Any])?["amount"] as? Int64 == 450_000_000_000)
                #expect(exportedBridge["period"] as? [String: String] == ["startDate": "2014-06-01T00:00:00+07:00", "endDate": "2018-09-01T00:00:00+07:00"])
                let locations = try #require(exportedBridge["locations"] as? [[String: Any]])
                #expect(locations.map { $0["description"] as? String } == ["Quận Hải An, Thành phố Hải Phòng (mã GSO 306)"])
                let milestones = try #require(exportedBridge["milestones"] as? [[String: Any]])
                #expect(milestones.map { "\($0["code"] ?? "")|\($0["status"] ?? "")|\($0["dueDate"] ?? "")" } == ["thong-xe|scheduled|2018-09-01T00:00:00+07:00"])
                let process = try #require((exportedBridge["contractingProcesses"] as? [[String: Any]])?.first)
                let modifications = try #require((process["summary"] as? [String: Any])?["modifications"] as? [[String: Any]])
                #expect(modifications.map { $0["type"] as? String } == ["value", "duration"])
                #expect((modifications.first?["newContractValue"] as? [String: Any])?["amount"] as? Int64 == 7_300_000_000_000)
                #expect((modifications.last?["newContractPeriod"] as? [String: String])?["endDate"] == "2018-09-01T00:00:00+07:00")
                #expect(modifications.first?["rationale"] as? String == "Điều chỉnh thiết kế trụ tháp")

                let byRPC = try await client.exportOc4ids(.with { $0.year = 2018 }, options: options)
                let violations = try OC4IDSProjectSchema.violations(in: Data(byRPC.packageJson.utf8))
                #expect(byRPC.projectCount == 36 && violations.isEmpty)
            }
        }
    }
}
