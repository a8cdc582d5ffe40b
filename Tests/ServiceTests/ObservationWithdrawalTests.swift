@testable import Aggregator
@testable import CityPicture
import DepartmentCore
import Foundation
@testable import InvestmentService
import Logging
import PlanContracts
import PlanMessaging
import ServiceRuntime
import Testing

extension ServicesAgainstTheStack {
    /// A figure the records no longer determine is withdrawn: the department forgets it, announces it as withdrawn,
    /// and the aggregator's picture forgets it too.
    @Suite("Withdrawn figures")
    struct ObservationWithdrawalTests {
        static let org = ServiceStack.orgUnit

        static func cargo(indicator: String, value: String, unit: String) -> Planmonitor_Investment_V1_PutInvestmentRecordRequest {
            .with {
                $0.record.statistic = .with {
                    $0.recordID = "stat-cargo-h1"
                    $0.targetNumber = 7
                    $0.indicator = indicator
                    $0.orgUnitCode = org
                    $0.period.halfYear = .with { $0.year = 2018; $0.half = 1 }
                    $0.value = Planmonitor_Common_V1_Quantity(value: value, unit: unit)
                    $0.estimate = true
                    $0.source.publisher = "Cục Thống kê Hải Phòng"
                }
            }
        }

        @Test("a statistic amended away from its target's measure withdraws the figure, in the service and in the picture")
        func amendedAway() async throws {
            try await DepartmentFixture.runStack([("investment", { buildInvestmentService(configuration: $0, logger: $1) })]) { stack in
                let investment = Planmonitor_Investment_V1_InvestmentService.Client(transport: stack.rpc.transport(to: ServiceStack.target("investment")))
                let figures = Planmonitor_Department_V1_MonthlyReportService.Client(transport: stack.rpc.transport(to: ServiceStack.target("investment")))
                let options = DepartmentFixture.options(agency: "dept-planning-investment")
                let first = try await investment.putRecord(Self.cargo(indicator: "Cargo throughput via ports", value: "50.96", unit: "million_tonnes"), options: options)
                #expect(first.derivedObservations.map(\.value.value) == ["50.96"])
                _ = try await waitFor(timeout: .seconds(20)) { () async throws -> Bool? in
                    let (_, body) = try await stack.get("/api/picture?month=2018-06")
                    return try JSONDecoder.iso8601.decode(Picture.self, from: body).targets.first { $0.code == "7" }?.latest?.value == 50.96 ? true : nil
                }

                var amendment = Self.cargo(indicator: "Cargo throughput growth", value: "31.5", unit: "percent")
                amendment.amend = true
                amendment.reason = "Nhập nhầm: đây là tốc độ tăng, không phải sản lượng"
                let amended = try await investment.putRecord(amendment, options: options)
                #expect(amended.change.version == 2 && amended.derivedObservations.isEmpty)
                let listed = try await figures.listObservations(.with { $0.year = 2018; $0.targetNumber = 7 }, options: options)
                #expect(listed.observations.isEmpty, "the service forgot the figure")
                let announced = try await DepartmentFixture.outboxEvents(
                    Planmonitor_Department_V1_ObservationsRecorded.self, service: "investment", routingKey: "investment.observations-recorded.\(Self.org)")
                #expect(announced.count == 2 && announced.last?.withdrawn.map(\.value.value) == ["50.96"])

                let picture = try await waitFor(timeout: .seconds(20)) { () async throws -> Picture? in
                    let (_, body) = try await stack.get("/api/picture?month=2018-06")
                    let picture = try JSONDecoder.iso8601.decode(Picture.self, from: body)
                    return picture.targets.first { $0.code == "7" }?.latest == nil ? picture : nil
                }
                #expect(picture.targets.first { $0.code == "7" }?.status == "noData")
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.rm_observations WHERE target_number = 7") == 0)
            }
        }
    }
}
