@testable import BudgetService
import Foundation
import Logging
import ServiceRuntime
import Testing

extension ServicesAgainstTheStack {
    /// `planctl records` against the budget service running in this process, over the real broker and PostgreSQL.
    @Suite("planctl records against the budget service")
    struct PlanCtlRecordsTests {
        @Test("import a CSV: target 6 derived; again: unchanged; history: version 1; a file with a bad row: exit 1 naming the line")
        func importAgainHistoryAndRefusal() async throws {
            let org = ServiceStack.orgUnit
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("planctl-records-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let collections = directory.appendingPathComponent("thu-ngan-sach-2018.csv")
            try Data("""
                Mã đơn vị,Tháng,Mục,Số tiền
                \(org),2018-01,domestic.taxes-fees,1000
                \(org),2018-02,domestic.taxes-fees,2000.5

                """.utf8).write(to: collections)
            let withBadRow = directory.appendingPathComponent("thu-ngan-sach-2018-loi.csv")
            try Data("""
                Mã đơn vị,Tháng,Mục,Số tiền
                \(org),2018-03,domestic.taxes-fees,1500
                \(org),2018-04,domestic.taxes-fees,một nghìn

                """.utf8).write(to: withBadRow)
            let budget: (service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication) = (
                "budget", { configuration, logger in ServiceApplication(definition: budgetServiceDefinition, configuration: configuration, logger: logger) }
            )

            try await DepartmentFixture.run([budget]) { _ in
                func importExecutions(_ file: URL) async throws -> ProcessResult {
                    try await planctl(
                        "records", "import", "budget", "budget-execution", file.path,
                        "--org-unit", org, "--user", "nguyen.van.a", "--agency", "tax-department")
                }
                let imported = try await importExecutions(collections)
                #expect(imported.status == 0, "stderr: \(imported.standardError)")
                #expect(imported.standardOutput.contains("2 bản ghi mới, 0 bản ghi không thay đổi"), "\(imported.standardOutput)")
                let targetSixRows = imported.standardOutput.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("(6)") }
                #expect(
                    targetSixRows.contains { $0.contains("lũy kế đến tháng 2/2018") && $0.contains(" 3000.5 ") && $0.contains("billion_vnd") },
                    "a derived observation of target 6 for January–February: \(imported.standardOutput)")

                let again = try await importExecutions(collections)
                #expect(again.status == 0, "stderr: \(again.standardError)")
                #expect(again.standardOutput.contains("0 bản ghi mới, 2 bản ghi không thay đổi"), "\(again.standardOutput)")

                // The CSV layout makes the id of an execution row from its direction, unit, year, month and code.
                let history = try await planctl("records", "history", "budget", "thu-\(org)-2018-1-domestic.taxes-fees", "--org-unit", org)
                #expect(history.status == 0, "stderr: \(history.standardError)")
                let firstVersion = history.standardOutput.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("1  tạo mới") }
                #expect(firstVersion?.contains("CSV thu-ngan-sach-2018.csv, line 2") == true, "\(history.standardOutput)")
                #expect(firstVersion.map { $0.contains("nguyen.van.a") && $0.contains("tax-department") } == true, "\(history.standardOutput)")

                let refused = try await importExecutions(withBadRow)
                #expect(refused.status == 1)
                #expect(refused.standardError.contains("\n  line 3, column \"Số tiền\""), "the violation names line 3: \(refused.standardError)")
                let listed = try await planctl("records", "list", "budget", "--year", "2018", "--org-unit", org)
                #expect(listed.status == 0, "stderr: \(listed.standardError)")
                #expect(listed.standardOutput.hasPrefix("Số bản ghi: 2\n"), "the refused file's good row was not stored either: \(listed.standardOutput)")
            }
        }
    }
}
