import DepartmentCore
import Foundation
import Logging
@testable import SecurityService
import ServiceRuntime
@testable import SocialService
import Testing

extension ServicesAgainstTheStack {
    /// `planctl records` against the social and security services running in this process, over the real broker and
    /// PostgreSQL: the same commands as for budget and investment, and the security role from the officers' broker user.
    @Suite("planctl records against the social and security services")
    struct PlanCtlDepartmentRecordsTests {
        static let city = ServiceStack.orgUnit

        /// A scratch directory with `files` written into it, removed after `body`.
        static func withFiles(_ files: [String: String], _ body: (URL) async throws -> Void) async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("planctl-department-records-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
            try await body(directory)
        }

        /// Runs planctl connected to the broker as `brokerUser` (its stack password), `planctl` by default.
        static func planctl(as brokerUser: String = "planctl", _ arguments: [String]) async throws -> ProcessResult {
            var environment = ServiceStack.environment
            environment["PLANMONITOR_AMQP_USER"] = brokerUser
            environment["PLANMONITOR_AMQP_PASSWORD"] = "planmonitor-\(brokerUser)-dev"
            return try await run(builtProduct("planctl"), arguments: arguments, environment: environment)
        }

        @Test("social: rates imported from CSV, listed, amended and totalled as Σ numerators / Σ denominators with their Vietnamese names")
        func socialRecords() async throws {
            let social: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
                ("social", { configuration, logger in buildSocialService(configuration: configuration, logger: logger, cityCode: ServiceStack.orgUnit) }),
            ]
            let files = [
                "ty-le-t6-2018.csv": """
                    Mã đơn vị;Tháng;Chỉ tiêu;Tử số;Mẫu số;Ghi chú
                    305;06/2018;health-insurance;190.000;200.000;
                    315;06/2018;health-insurance;30.000;50.000;

                    """,
                "sua-315.json": """
                    {"rate": {"recordId": "rate-health-insurance-315-2018-6", "orgUnitCode": "315", "year": 2018, "month": 6,
                      "measure": "RATE_MEASURE_HEALTH_INSURANCE", "numerator": "35000", "denominator": "50000"}}
                    """,
            ]
            try await Self.withFiles(files) { directory in
                try await DepartmentFixture.run(social) { _ in
                    let caller = ["--org-unit", Self.city, "--user", "le.van.c", "--agency", "social-insurance"]
                    let imported = try await Self.planctl(["records", "import", "social", "rate-observation", directory.appendingPathComponent("ty-le-t6-2018.csv").path] + caller)
                    #expect(imported.status == 0, "stderr: \(imported.standardError)")
                    #expect(imported.standardOutput.contains("2 bản ghi mới, 0 bản ghi không thay đổi"), "\(imported.standardOutput)")

                    let listed = try await Self.planctl(["records", "list", "social", "--year", "2018", "--kind", "rate-observation"] + caller)
                    #expect(listed.status == 0, "stderr: \(listed.standardError)")
                    #expect(listed.standardOutput.contains("Số bản ghi: 2"), "\(listed.standardOutput)")
                    #expect(listed.standardOutput.contains("rate-health-insurance-305-2018-6") && listed.standardOutput.contains("tháng 6/2018"), "\(listed.standardOutput)")

                    let amended = try await Self.planctl(
                        ["records", "put", "social", directory.appendingPathComponent("sua-315.json").path, "--amend", "--reason", "Đối chiếu lại số thẻ"] + caller)
                    #expect(amended.status == 0, "stderr: \(amended.standardError)")
                    #expect(amended.standardOutput.contains("sửa đổi, phiên bản 2"), "\(amended.standardOutput)")

                    let history = try await Self.planctl(["records", "history", "social", "rate-health-insurance-315-2018-6"] + caller)
                    #expect(history.status == 0, "stderr: \(history.standardError)")
                    #expect(history.standardOutput.contains("Đối chiếu lại số thẻ") && history.standardOutput.contains("le.van.c"), "\(history.standardOutput)")

                    // 190,000 + 35,000 insured of 250,000 people: 90 %, not the average of 95 % and 70 %.
                    let totals = try await Self.planctl(["records", "ytd", "social", "--year", "2018", "--through-month", "6"] + caller)
                    #expect(totals.status == 0, "stderr: \(totals.standardError)")
                    let insuranceRow = totals.standardOutput.split(separator: "\n").first { $0.contains("tỷ lệ dân số tham gia bảo hiểm y tế") }
                    #expect(insuranceRow.map { $0.contains(" 225000 ") && $0.contains(" 250000 ") && $0.contains(" 90 ") } == true, "\(totals.standardOutput)")
                }
            }
        }

        @Test("security: planctl-security with --role security enters and reads cases; planctl, or no role, is refused; totals need no role and show no case")
        func securityRecords() async throws {
            let description = "Cố ý gây thương tích tại chợ Hàng Kênh"
            // The readers are the service's default: its own broker user and planctl-security.
            let security: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
                ("security", { configuration, logger in buildSecurityService(configuration: configuration, logger: logger, cityCode: ServiceStack.orgUnit) }),
            ]
            let files = [
                "vu-an.json": """
                    {"securityCase": {"recordId": "hs-2018-0301", "orgUnitCode": "305", "communeCode": "11392",
                      "occurredOn": {"year": 2018, "month": 3, "day": 8}, "category": "CASE_CATEGORY_CRIMINAL", "suspects": 2,
                      "description": "\(description)"}}
                    """,
            ]
            try await Self.withFiles(files) { directory in
                try await DepartmentFixture.run(security) { _ in
                    let file = directory.appendingPathComponent("vu-an.json").path
                    let officer = ["--org-unit", Self.city, "--user", "tran.van.d", "--agency", "city-police"]

                    let withoutRole = try await Self.planctl(as: "planctl-security", ["records", "put", "security", file, "--org-unit", Self.city])
                    #expect(withoutRole.status == 1)
                    #expect(withoutRole.standardError.contains("security role") && withoutRole.standardError.contains("role none"), "\(withoutRole.standardError)")

                    let put = try await Self.planctl(as: "planctl-security", ["records", "put", "security", file, "--role", "security", "--org-unit", Self.city, "--user", "tran.van.d", "--agency", "city-police"])
                    #expect(put.status == 0, "stderr: \(put.standardError)")
                    #expect(put.standardOutput.contains("Bản ghi hs-2018-0301: tạo mới, phiên bản 1"), "\(put.standardOutput)")
                    #expect(!put.standardOutput.contains(description))

                    let asPlanctl = try await Self.planctl(["records", "list", "security", "--year", "2018", "--role", "security"] + officer)
                    #expect(asPlanctl.status == 1)
                    #expect(asPlanctl.standardError.contains("broker user 'planctl'"), "\(asPlanctl.standardError)")
                    #expect(!asPlanctl.standardOutput.contains(description) && !asPlanctl.standardError.contains(description))

                    let listed = try await Self.planctl(as: "planctl-security", ["records", "list", "security", "--year", "2018", "--role", "security", "--org-unit", Self.city])
                    #expect(listed.status == 0, "stderr: \(listed.standardError)")
                    #expect(listed.standardOutput.contains("hs-2018-0301") && listed.standardOutput.contains(description), "\(listed.standardOutput)")
                    #expect(listed.standardOutput.contains("ngày 08/03/2018") && listed.standardOutput.contains("tran.van.d (city-police)"), "\(listed.standardOutput)")

                    let totals = try await Self.planctl(["records", "ytd", "security", "--year", "2018"] + officer)
                    #expect(totals.status == 0, "stderr: \(totals.standardError)")
                    let criminalRow = totals.standardOutput.split(separator: "\n").first { $0.contains("Vụ phạm pháp hình sự") }
                    #expect(criminalRow.map { $0.split(separator: " ").contains("1") } == true, "\(totals.standardOutput)")
                    #expect(!totals.standardOutput.contains(description) && !totals.standardOutput.contains("hs-2018-0301"))
                }
            }
        }
    }
}
