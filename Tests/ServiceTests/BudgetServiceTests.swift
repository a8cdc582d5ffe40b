@testable import BudgetService
import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import ServiceRuntime
import Testing

extension ServicesAgainstTheStack {
    /// The budget service's records, derived domestic revenue, corrections, validation and CSV import, over the real
    /// broker and PostgreSQL.
    @Suite("Budget service records")
    struct BudgetServiceTests {
        static let org = ServiceStack.orgUnit
        static let budget: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
            ("budget", { configuration, logger in buildBudgetService(configuration: configuration, logger: logger) }),
        ]

        static func execution(_ id: String, month: Int32, _ code: String, _ amount: String, direction: Planmonitor_Budget_V1_BudgetDirection = .revenue, unit: Planmonitor_Common_V1_MoneyUnit = .billionVnd) -> Planmonitor_Budget_V1_BudgetRecord {
            .with {
                $0.execution = .with {
                    $0.recordID = id
                    $0.orgUnitCode = org
                    $0.year = 2018
                    $0.month = month
                    $0.direction = direction
                    $0.classificationCode = code
                    $0.amount = Planmonitor_Common_V1_Money(amount: amount, unit: unit)
                }
            }
        }

        static func put(_ record: Planmonitor_Budget_V1_BudgetRecord, amend: Bool = false, reason: String = "") -> Planmonitor_Budget_V1_PutBudgetRecordRequest {
            .with { $0.record = record; $0.amend = amend; $0.reason = reason }
        }

        @Test("records by RPC derive domestic revenue year to date; an amendment is a new version with its audit entry and a corrected figure")
        func recordsAndDerivedRevenue() async throws {
            try await DepartmentFixture.run(Self.budget) { rpc in
                let client = Planmonitor_Budget_V1_BudgetService.Client(transport: rpc.transport(to: ServiceStack.target("budget")))
                let options = DepartmentFixture.options(agency: "tax-department")
                var line = Planmonitor_Budget_V1_BudgetLine()
                line.recordID = "dt-2018-domestic"
                line.orgUnitCode = Self.org
                line.year = 2018
                line.direction = .revenue
                line.phase = .approved
                line.classificationCode = "domestic"
                line.amount = Planmonitor_Common_V1_Money(amount: "24725", unit: .billionVnd)
                let created = try await client.putRecord(Self.put(.with { $0.line = line }), options: options)
                #expect(created.change.version == 1 && created.change.action == .created)
                #expect(created.derivedObservations.isEmpty, "an estimate determines no observation")

                _ = try await client.putRecord(Self.put(Self.execution("thu-01-taxes", month: 1, "domestic.taxes-fees", "2000")), options: options)
                _ = try await client.putRecord(Self.put(Self.execution("thu-01-land", month: 1, "domestic.land", "500000", unit: .millionVnd)), options: options)
                _ = try await client.putRecord(Self.put(Self.execution("thu-02-xnk", month: 2, "import-export", "1500")), options: options)
                let february = try await client.putRecord(Self.put(Self.execution("thu-02-taxes", month: 2, "domestic.taxes-fees", "1800.5")), options: options)
                let derived = february.derivedObservations
                #expect(derived.count == 1, "only February's cumulative figure changed: \(derived)")
                let feb = try #require(derived.first)
                #expect(feb.targetNumber == 6 && feb.value.value == "4300.5" && feb.value.unit == "billion_vnd")
                #expect(PeriodText.key(feb.period) == "cumulative:2018-01..02")
                #expect(feb.origin == .derived && feb.agencyCode == "tax-department")

                let observations = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("budget")))
                let listed = try await observations.listObservations(.with { $0.year = 2018; $0.targetNumber = 6 }, options: options)
                #expect(listed.observations.map { "\(PeriodText.key($0.period))=\($0.value.value)" } == ["cumulative:2018-01..01=2500", "cumulative:2018-01..02=4300.5"])

                let ytd = try await client.getYearToDate(.with { $0.year = 2018 }, options: options)
                #expect(ytd.throughMonth == 2)
                let domestic = try #require(ytd.lines.first { $0.classificationCode == "domestic" })
                #expect(domestic.executed.amount == "4300.5" && domestic.estimate.amount == "24725" && domestic.percentOfEstimate == "17.39")
                #expect(ytd.lines.first { $0.classificationCode == "import-export" }?.executed.amount == "1500")

                // Amend February: a new version, the figure corrected and announced again.
                let amended = try await client.putRecord(
                    Self.put(Self.execution("thu-02-taxes", month: 2, "domestic.taxes-fees", "1900.5"), amend: true, reason: "Kho bạc đối chiếu lại số thu"),
                    options: DepartmentFixture.options(user: "tran.thi.b", agency: "state-treasury"))
                #expect(amended.change.version == 2 && amended.change.action == .amended)
                #expect(amended.derivedObservations.map(\.value.value) == ["4400.5"])
                let history = try await client.getRecordHistory(.with { $0.recordID = "thu-02-taxes" }, options: options)
                #expect(history.versions.map(\.change.version) == [1, 2])
                #expect(history.versions.map(\.record.execution.amount.amount) == ["1800.5", "1900.5"])
                #expect(history.versions[1].change.changedBy.user == "tran.thi.b" && history.versions[1].change.changedBy.agencyCode == "state-treasury")
                #expect(history.versions[1].change.reason == "Kho bạc đối chiếu lại số thu")
                let audited = try await ServiceStack.scalar(String.self, "SELECT user_name || '/' || agency_code || '/' || action FROM budget.audit_log WHERE subject = 'thu-02-taxes' ORDER BY sequence DESC LIMIT 1")
                #expect(audited == "tran.thi.b/state-treasury/record.amended")

                // Events: one per change, one announcement per changed set of figures.
                let changes = try await DepartmentFixture.outboxEvents(Planmonitor_Budget_V1_BudgetRecordChanged.self, service: "budget", routingKey: "budget.record-changed.\(Self.org)")
                #expect(changes.count == 6)
                let announced = try await DepartmentFixture.outboxEvents(Planmonitor_Department_V1_ObservationsRecorded.self, service: "budget", routingKey: "budget.observations-recorded.\(Self.org)")
                #expect(announced.flatMap(\.observations).map(\.value.value) == ["2000", "2500", "4300.5", "4400.5"])

                // Taken ids, amendments of nothing, amendments without a reason.
                await #expect { try await client.putRecord(Self.put(Self.execution("thu-01-taxes", month: 1, "domestic.taxes-fees", "1")), options: options) } throws: { error in
                    (error as? RPCError)?.code == .alreadyExists && (error as? RPCError)?.message.contains("thu-01-taxes") == true
                }
                await #expect { try await client.putRecord(Self.put(Self.execution("thu-09-none", month: 9, "domestic.taxes-fees", "1"), amend: true, reason: "x"), options: options) } throws: { error in
                    (error as? RPCError)?.code == .notFound
                }
                await #expect { try await client.putRecord(Self.put(Self.execution("thu-01-taxes", month: 1, "domestic.taxes-fees", "1"), amend: true), options: options) } throws: { error in
                    guard let error = error as? RPCError else { return false }
                    return error.code == .invalidArgument && DepartmentFixture.reason(error, field: "reason")?.contains("missing") == true
                }
            }
        }

        @Test("every validation rule is answered with the field and the reason, and nothing is stored")
        func validation() async throws {
            try await DepartmentFixture.run(Self.budget) { rpc in
                let client = Planmonitor_Budget_V1_BudgetService.Client(transport: rpc.transport(to: ServiceStack.target("budget")))
                let options = DepartmentFixture.options(agency: "tax-department")
                var bad = Self.execution("thu-bad", month: 13, "domestic", "-5", direction: .expenditure, unit: .millionUsd)
                bad.execution.orgUnitCode = "999"
                bad.execution.year = 2019
                let error = try await #require(throws: RPCError.self) { try await client.putRecord(Self.put(bad), options: options) }
                #expect(error.code == .invalidArgument)
                let reasons = Dictionary(error.fieldViolations.map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
                #expect(reasons["record.budget-execution.org_unit_code"]?.contains("unknown org unit '999'") == true)
                #expect(reasons["record.budget-execution.year"]?.contains("outside the directive's year") == true)
                #expect(reasons["record.budget-execution.month"]?.contains("13 is not a month") == true)
                #expect(reasons["record.budget-execution.classification_code"]?.contains("is a total") == true)
                #expect(reasons["record.budget-execution.direction"]?.contains("does not match") == true)
                #expect(reasons["record.budget-execution.amount.amount"]?.contains("negative") == true)
                #expect(reasons["record.budget-execution.amount.unit"]?.contains("million_usd does not fit") == true)
                let empty = try await #require(throws: RPCError.self) { try await client.putRecord(.with { $0.record = .init() }, options: options) }
                #expect(empty.code == .invalidArgument && empty.fieldViolations.first?.field == "record")
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.records") == 0)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.outbox WHERE routing_key LIKE 'budget.%'") == 0)
            }
        }

        @Test("a CSV with Vietnamese headers imports all or nothing: a bad row is named by its line; a second import changes nothing")
        func csvImport() async throws {
            try await DepartmentFixture.run(Self.budget) { rpc in
                let client = Planmonitor_Budget_V1_BudgetService.Client(transport: rpc.transport(to: ServiceStack.target("budget")))
                let options = DepartmentFixture.options(agency: "tax-department")
                let org = Self.org
                let bad = """
                Mã đơn vị;Tháng;Mục;Số tiền;Ghi chú
                \(org);01/2018;domestic.taxes-fees;2.000,5;thuế tháng 1
                \(org);02/2018;domestic.taxes-fees;-12;
                \(org);03/2018;domestic.unknown;10;
                """
                let refused = try await #require(throws: RPCError.self) {
                    try await client.importRecordsCsv(.with { $0.csv = Data(bad.utf8); $0.fileName = "thu-2018.csv"; $0.recordKind = "budget-execution" }, options: options)
                }
                #expect(refused.code == .invalidArgument)
                #expect(refused.fieldViolations.contains { $0.field.hasPrefix("line 3") && $0.reason.contains("-12 is negative") }, "\(refused)")
                #expect(refused.fieldViolations.contains { $0.field.hasPrefix("line 4") && $0.reason.contains("unknown code 'domestic.unknown'") }, "\(refused)")
                #expect(!refused.fieldViolations.contains { $0.field.hasPrefix("line 2") })
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.records") == 0)

                let good = "\u{FEFF}Mã đơn vị,Tháng,Mục,Số tiền,Đơn vị tính\r\n\(org),01/2018,domestic.taxes-fees,\"2.000,5\",tỷ đồng\r\n\(org),T2/2018,domestic.land,300000,triệu đồng\r\n"
                let request = Planmonitor_Department_V1_ImportRecordsCsvRequest.with { $0.csv = Data(good.utf8); $0.fileName = "thu-2018.csv"; $0.recordKind = "budget-execution" }
                let imported = try await client.importRecordsCsv(request, options: options)
                #expect(imported.created == 2 && imported.unchanged == 0)
                #expect(imported.recordIds == ["thu-\(org)-2018-1-domestic.taxes-fees", "thu-\(org)-2018-2-domestic.land"])
                #expect(imported.derivedObservations.map(\.value.value) == ["2000.5", "2300.5"])
                let again = try await client.importRecordsCsv(request, options: options)
                #expect(again.created == 0 && again.unchanged == 2 && again.derivedObservations.isEmpty)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.records") == 2)
                let importsAudited = try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.audit_log WHERE action = 'csv.imported' AND subject = 'thu-2018.csv'")
                #expect(importsAudited == 2)

                // A file whose only problem is an id taken by a different record: ALREADY_EXISTS.
                let changed = "Mã đơn vị,Tháng,Mục,Số tiền\n\(org),01/2018,domestic.taxes-fees,1\n"
                let taken = try await #require(throws: RPCError.self) {
                    try await client.importRecordsCsv(.with { $0.csv = Data(changed.utf8); $0.fileName = "sua.csv"; $0.recordKind = "budget-execution" }, options: options)
                }
                #expect(taken.code == .alreadyExists && taken.fieldViolations.first?.field == "line 2.record_id")

                // A year no record field holds (a slip of the keyboard, or a hostile file) is named; the service keeps serving.
                let hugeYear = "Mã đơn vị,Năm,Giai đoạn,Mục,Số tiền\n\(org),99999999999,được giao,domestic.taxes-fees,100\n"
                let outOfRange = try await #require(throws: RPCError.self) {
                    try await client.importRecordsCsv(.with { $0.csv = Data(hugeYear.utf8); $0.fileName = "du-toan.csv"; $0.recordKind = "budget-line" }, options: options)
                }
                #expect(outOfRange.code == .invalidArgument)
                #expect(outOfRange.fieldViolations.contains { $0.field.hasPrefix("line 2") && $0.reason.contains("\"99999999999\" is out of range") }, "\(outOfRange)")
                // A file of garbage gets a reply of bounded size: the first 1,000 problems and how many more there are.
                let garbage = "Mã đơn vị,Tháng,Mục,Số tiền\n" + String(repeating: "\(org),01/2018,domestic.taxes-fees,không rõ\n", count: 3_000)
                let flood = try await #require(throws: RPCError.self) {
                    try await client.importRecordsCsv(.with { $0.csv = Data(garbage.utf8); $0.fileName = "rac.csv"; $0.recordKind = "budget-execution" }, options: options)
                }
                #expect(flood.code == .invalidArgument && flood.message.hasSuffix("3000 problems"), "\(flood.message)")
                #expect(flood.fieldViolations.count == 1_001)
                #expect(flood.fieldViolations.first?.field == "line 2.amount")
                #expect(flood.fieldViolations.last?.reason.hasPrefix("and 2000 more problems not listed") == true)
                let after = try await client.listRecords(.with { $0.year = 2018 }, options: options)
                #expect(after.records.count == 2)
            }
        }
    }
}
