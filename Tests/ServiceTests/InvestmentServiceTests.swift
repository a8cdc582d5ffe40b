@testable import Aggregator
@testable import DepartmentCore
import DirectiveParser
import Foundation
@testable import InvestmentService
import Logging
import PlanContracts
import PlanMessaging
import ServiceRuntime
import Testing

extension ServicesAgainstTheStack {
    /// The investment service's records: published statistics read from the real file, FDI derived from projects and
    /// adjustments, validation and all-or-nothing CSV import, over the real broker and PostgreSQL.
    @Suite("Investment service records")
    struct InvestmentServiceTests {
        static let org = ServiceStack.orgUnit
        static let investment: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
            ("investment", { configuration, logger in buildInvestmentService(configuration: configuration, logger: logger) }),
        ]
        static let options = DepartmentFixture.options(agency: "dept-planning-investment")
        static let reportedFile = ServiceStack.repositoryRoot.appendingPathComponent("Shared/ReferenceData/data/hp2018-reported-jan-jun.csv")

        /// Runs `body` with the clients of a fresh investment service that holds its share of the 2018 directive.
        private static func withInvestment(
            _ body: (Planmonitor_Investment_V1_InvestmentService.Client, Planmonitor_Department_V1_MonthlyReportService.Client) async throws -> Void
        ) async throws {
            try await DepartmentFixture.run(investment) { rpc in
                let transport = rpc.transport(to: ServiceStack.target("investment"))
                try await body(.init(transport: transport), .init(transport: transport))
            }
        }

        static func project(
            _ id: String, kind: Planmonitor_Investment_V1_InvestmentKind = .fdi, country: String = "JP", capital: String,
            unit: Planmonitor_Common_V1_MoneyUnit = .millionUsd, certifiedOn: Planmonitor_Common_V1_LocalDate
        ) -> Planmonitor_Investment_V1_InvestmentProject {
            .with {
                $0.recordID = id
                $0.orgUnitCode = org
                $0.kind = kind
                $0.name = "Dự án \(id)"
                $0.investor = "Công ty \(id)"
                $0.investorCountry = country
                $0.registeredCapital = Planmonitor_Common_V1_Money(amount: capital, unit: unit)
                $0.certifiedOn = certifiedOn
                $0.status = .active
            }
        }

        static func adjustment(_ id: String, project: String, amount: String, unit: Planmonitor_Common_V1_MoneyUnit, on day: Planmonitor_Common_V1_LocalDate) -> Planmonitor_Investment_V1_CapitalAdjustment {
            .with {
                $0.recordID = id
                $0.projectID = project
                $0.adjustedOn = day
                $0.amount = Planmonitor_Common_V1_Money(amount: amount, unit: unit)
            }
        }

        static func put(_ record: Planmonitor_Investment_V1_InvestmentRecord, amend: Bool = false, reason: String = "") -> Planmonitor_Investment_V1_PutInvestmentRecordRequest {
            .with { $0.record = record; $0.amend = amend; $0.reason = reason }
        }

        static func importRequest(_ csv: Data, fileName: String, kind: String) -> Planmonitor_Department_V1_ImportRecordsCsvRequest {
            .with { $0.csv = csv; $0.fileName = fileName; $0.recordKind = kind }
        }

        @Test("the statistics office's file: targets' own measures become published observations, the rest stays statistics with a note; importing it again changes nothing")
        func publishedStatistics() async throws {
            let csv = try Data(contentsOf: Self.reportedFile)
            let lines = String(decoding: csv, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            let rowCount = lines.dropFirst().filter { !$0.isEmpty }.count
            #expect(rowCount == 58)
            /// The line numbers of the rows of target `number`.
            func linesOf(target number: Int) -> [Int] {
                lines.enumerated().filter { $0.element.hasPrefix("\(number),") }.map { $0.offset + 1 }
            }
            try await Self.withInvestment { investment, reports in
                let request = Self.importRequest(csv, fileName: "hp2018-reported-jan-jun.csv", kind: "economic-statistic")
                let first = try await investment.importRecordsCsv(request, options: RPCCallOptions(timeout: .seconds(60), metadata: Self.options.metadata))
                #expect(first.created == Int32(rowCount) && first.unchanged == 0)
                #expect(Set(first.recordIds).count == rowCount, "the two GRDP rows that differ slightly stay two records")
                #expect(first.recordIds.allSatisfy { $0.hasPrefix("stat-") && $0.count == 21 })

                let published = first.derivedObservations
                #expect(published.allSatisfy { $0.origin == .published && $0.agencyCode == "dept-planning-investment" && $0.orgUnitCode == Self.org })
                func figure(_ target: Int32, _ subTarget: String = "", period: String) -> Planmonitor_Common_V1_Observation? {
                    published.first { $0.targetNumber == target && $0.subTargetCode == subTarget && PeriodText.key($0.period) == period }
                }
                let growth = try #require(figure(1, period: "half-year:2018-H1"))
                #expect((growth.value.value, growth.value.unit, growth.estimate) == ("16.03", "percent", true))
                #expect(growth.indicator == "Tốc độ tăng trưởng GRDP")
                #expect(figure(1, "1.a", period: "half-year:2018-H1")?.value.value == "2.77")
                let industry = try #require(figure(1, "1.b", period: "half-year:2018-H1"))
                #expect((industry.value.value, industry.value.unit) == ("25.02", "percent"))
                #expect(figure(1, "1.c", period: "half-year:2018-H1")?.value.value == "10.37")
                let perCapita = try #require(figure(2, period: "half-year:2018-H1"))
                #expect((perCapita.value.value, perCapita.value.unit) == ("3694", "usd"))
                let cargo = try #require(figure(7, period: "half-year:2018-H1"))
                #expect((cargo.value.value, cargo.value.unit) == ("50.96", "million_tonnes"))
                let tourists = try #require(figure(9, period: "half-year:2018-H1"))
                #expect((tourists.value.value, tourists.value.unit, tourists.estimate) == ("3.551804", "million_visitors", false),
                        "the official count (3,551,804 visitors) wins over the estimate (3.55 million) under one key")
                #expect(tourists.indicator == "Lượt khách du lịch")
                #expect(tourists.source.url.contains("kinhtedothi.vn"))
                let fdi = try #require(figure(11, period: "cumulative:2018-01..03:2018-01-01..2018-03-26"))
                #expect((fdi.value.value, fdi.value.unit) == ("0.91909", "billion_usd"))
                #expect(LocalDay.iso(fdi.period.dateTo) == "2018-03-26" && fdi.period.cumulative.throughMonth == 3)
                let iip = published.filter { $0.targetNumber == 3 }.map { "\(PeriodText.key($0.period))=\($0.value.value)" }.sorted()
                #expect(iip == ["cumulative:2018-01..04=24.01", "cumulative:2018-01..05=23.78", "half-year:2018-H1=24.2"],
                        "a single month's year-on-year growth is not target 3's measure")
                #expect(published.count == 11)
                #expect(!published.contains { [6, 10, 13].contains($0.targetNumber) || $0.targetNumber == 0 })

                // The rows of other services' targets, a plan and the figures that are not a target's measure say why.
                for line in linesOf(target: 6) + linesOf(target: 13) {
                    #expect(first.notes.contains { $0.hasPrefix("line \(line): ") && $0.contains("reported by another service") }, "line \(line): \(first.notes)")
                }
                #expect(first.notes.contains { $0.hasPrefix("line \(linesOf(target: 10)[0]): ") && $0.contains("a planned figure") })
                #expect(first.notes.contains { $0.contains("'Cargo throughput growth'") && $0.contains("is not the measure of target 7 (million_tonnes)") })
                #expect(first.notes.contains { $0.contains("'IIP growth year-on-year'") && $0.contains("for a single month is not the measure of target 3") })
                #expect(first.notes.contains { $0.contains("'FDI attracted as % of 2018 plan, to 26 Mar'") && $0.contains("is not the measure of target 11 (billion_usd)") })

                // Stored, and listed with the service's other figures.
                let listed = try await reports.listObservations(.with { $0.year = 2018 }, options: Self.options)
                #expect(listed.observations.count == 11)
                let statistics = try await investment.listRecords(.with { $0.year = 2018; $0.recordKind = "economic-statistic" }, options: Self.options)
                #expect(statistics.records.count == rowCount - 1, "one row is of 2017 (the Tân Vũ–Lạch Huyện bridge context)")
                let unknownUnit = try #require(statistics.records.first { $0.record.statistic.indicator == "Infrastructure: HICT (Lach Huyen berths 1-2) annual capacity" })
                #expect(unknownUnit.record.statistic.value.unit == "text:million TEU/yr")
                let plan = try #require(statistics.records.first { $0.record.statistic.targetNumber == 10 })
                #expect(plan.record.statistic.plan && PeriodText.key(plan.record.statistic.period) == "year:2018" && plan.change.version == 1)

                // The same file again: nothing new, nothing announced.
                let announcedBefore = try await DepartmentFixture.outboxEvents(
                    Planmonitor_Department_V1_ObservationsRecorded.self, service: "investment", routingKey: "investment.observations-recorded.\(Self.org)")
                #expect(announcedBefore.count == 1 && announcedBefore.first?.observations.count == 11)
                let second = try await investment.importRecordsCsv(request, options: RPCCallOptions(timeout: .seconds(60), metadata: Self.options.metadata))
                #expect(second.created == 0 && second.unchanged == Int32(rowCount))
                #expect(second.recordIds.isEmpty && second.derivedObservations.isEmpty)
                let announcedAfter = try await DepartmentFixture.outboxEvents(
                    Planmonitor_Department_V1_ObservationsRecorded.self, service: "investment", routingKey: "investment.observations-recorded.\(Self.org)")
                #expect(announcedAfter.count == 1)
                let changes = try await DepartmentFixture.outboxEvents(
                    Planmonitor_Investment_V1_InvestmentRecordChanged.self, service: "investment", routingKey: "investment.record-changed.\(Self.org)")
                #expect(changes.count == rowCount)
            }
        }

        @Test("FDI attracted is derived from new FDI projects and their adjustments in billion USD; a revocation is counted")
        func derivedFDI() async throws {
            try await Self.withInvestment { investment, reports in
                _ = try await investment.putRecord(Self.put(.with {
                    $0.project = Self.project("fdi-2018-0001", capital: "500", certifiedOn: LocalDay.make(2018, 2, 10))
                }), options: Self.options)
                _ = try await investment.putRecord(Self.put(.with {
                    $0.project = Self.project("fdi-2018-0002", country: "KR", capital: "300000000", unit: .usd, certifiedOn: LocalDay.make(2018, 3, 5))
                }), options: Self.options)
                let domestic = try await investment.putRecord(Self.put(.with {
                    $0.project = Self.project("ddi-2018-0001", kind: .domestic, country: "", capital: "1200", unit: .billionVnd, certifiedOn: LocalDay.make(2018, 3, 8))
                }), options: Self.options)
                #expect(domestic.derivedObservations.isEmpty, "a domestic project is not FDI")
                let adjusted = try await investment.putRecord(Self.put(.with {
                    $0.adjustment = Self.adjustment("dc-2018-0001", project: "fdi-2018-0001", amount: "0.2", unit: .billionUsd, on: LocalDay.make(2018, 3, 20))
                }), options: Self.options)
                let march = try #require(adjusted.derivedObservations.first { PeriodText.key($0.period) == "cumulative:2018-01..03" })
                #expect((march.targetNumber, march.value.value, march.value.unit, march.origin) == (11, "1", "billion_usd", .derived))
                #expect(march.agencyCode == "dept-planning-investment")
                #expect(march.derivation == "vốn cấp mới 2 dự án + vốn điều chỉnh 1 lượt, tháng 1–3/2018")
                #expect(adjusted.derivedObservations.count == 1, "only March's figure changed")

                let fdi = try await reports.listObservations(.with { $0.year = 2018; $0.targetNumber = 11 }, options: Self.options)
                #expect(fdi.observations.map { "\(PeriodText.key($0.period))=\($0.value.value)" }
                        == ["cumulative:2018-01..01=0", "cumulative:2018-01..02=0.5", "cumulative:2018-01..03=1"])

                // Revoking the Korean project's certificate: an amendment, counted as a revocation in April.
                var revoked = Self.project("fdi-2018-0002", country: "KR", capital: "300000000", unit: .usd, certifiedOn: LocalDay.make(2018, 3, 5))
                revoked.status = .revoked
                revoked.revokedOn = LocalDay.make(2018, 4, 16)
                revoked.revocationReason = "chậm triển khai quá 12 tháng"
                let revocation = try await investment.putRecord(
                    Self.put(.with { $0.project = revoked }, amend: true, reason: "Quyết định thu hồi giấy chứng nhận"), options: Self.options)
                #expect(revocation.change.version == 2 && revocation.change.action == .amended)
                let april = try #require(revocation.derivedObservations.first { $0.indicator == "Dự án bị thu hồi giấy chứng nhận" && PeriodText.key($0.period) == "cumulative:2018-01..04" })
                #expect((april.targetNumber, april.value.value, april.value.unit) == (0, "1", "count"))
                #expect(!revocation.derivedObservations.contains { $0.targetNumber == 11 }, "the capital was attracted when the certificate was issued")

                let ytd = try await investment.getYearToDate(.with { $0.year = 2018 }, options: Self.options)
                #expect(ytd.throughMonth == 4 && ytd.orgUnitCode == Self.org)
                #expect((ytd.fdiAttracted.amount, ytd.fdiNewCapital.amount, ytd.fdiAdditionalCapital.amount) == ("1", "0.8", "0.2"))
                #expect(ytd.fdiAttracted.unit == .billionUsd && ytd.fdiProjectsCertified == 2 && ytd.projectsRevoked == 1)
                #expect(ytd.domesticRegistered.amount == "1200" && ytd.domesticRegistered.unit == .billionVnd)
                #expect(ytd.enterprisesActive == -1)
                let february = try await investment.getYearToDate(.with { $0.year = 2018; $0.throughMonth = 2 }, options: Self.options)
                #expect((february.fdiAttracted.amount, february.fdiProjectsCertified, february.projectsRevoked) == ("0.5", 1, 0))

                // A project certified in 2016, registered for its 2018 adjustment: the adjustment counts in May's
                // figure; the project's own capital does not (it was attracted in 2016).
                let older = try await investment.putRecord(Self.put(.with {
                    $0.project = Self.project("fdi-2016-0007", capital: "100", certifiedOn: LocalDay.make(2016, 5, 10))
                }), options: Self.options)
                #expect(!older.derivedObservations.contains { $0.targetNumber == 11 })
                let may = try await investment.putRecord(Self.put(.with {
                    $0.adjustment = Self.adjustment("dc-2018-0002", project: "fdi-2016-0007", amount: "50", unit: .millionUsd, on: LocalDay.make(2018, 5, 8))
                }), options: Self.options)
                let mayFigure = try #require(may.derivedObservations.first { $0.targetNumber == 11 && PeriodText.key($0.period) == "cumulative:2018-01..05" })
                #expect(mayFigure.value.value == "1.05" && mayFigure.derivation == "vốn cấp mới 2 dự án + vốn điều chỉnh 2 lượt, tháng 1–5/2018", "\(mayFigure)")
                let mayTotals = try await investment.getYearToDate(.with { $0.year = 2018 }, options: Self.options)
                #expect((mayTotals.fdiAttracted.amount, mayTotals.fdiAdditionalCapital.amount, mayTotals.fdiProjectsCertified) == ("1.05", "0.25", 2))
                // Certified before the first foreign-investment law, or after the directive's year: refused.
                let tooEarly = try await #require(throws: RPCError.self) {
                    try await investment.putRecord(Self.put(.with {
                        $0.project = Self.project("fdi-1985-0001", capital: "1", certifiedOn: LocalDay.make(1985, 1, 2))
                    }), options: Self.options)
                }
                #expect(tooEarly.fieldViolations.first { $0.field.hasSuffix("certified_on") }?.reason.hasPrefix("1985 is not a year from 1988") == true, "\(tooEarly)")
            }
        }

        @Test("invalid records are refused with the field and the reason")
        func validation() async throws {
            try await Self.withInvestment { investment, _ in
                _ = try await investment.putRecord(Self.put(.with {
                    $0.project = Self.project("fdi-2018-0001", capital: "500", certifiedOn: LocalDay.make(2018, 2, 10))
                }), options: Self.options)

                let missingProject = try await #require(throws: RPCError.self) {
                    try await investment.putRecord(Self.put(.with {
                        $0.adjustment = Self.adjustment("dc-x", project: "fdi-2018-9999", amount: "10", unit: .millionUsd, on: LocalDay.make(2018, 3, 1))
                    }), options: Self.options)
                }
                #expect(missingProject.code == .invalidArgument)
                #expect(DepartmentFixture.reason(missingProject, field: "record.capital-adjustment.project_id")?.hasPrefix("there is no project fdi-2018-9999") == true)

                let early = try await #require(throws: RPCError.self) {
                    try await investment.putRecord(Self.put(.with {
                        $0.adjustment = Self.adjustment("dc-early", project: "fdi-2018-0001", amount: "10", unit: .millionUsd, on: LocalDay.make(2018, 1, 15))
                    }), options: Self.options)
                }
                #expect(DepartmentFixture.reason(early, field: "record.capital-adjustment.adjusted_on")
                        == "2018-01-15 is before project fdi-2018-0001's certification on 2018-02-10")

                let wrongCurrency = try await #require(throws: RPCError.self) {
                    try await investment.putRecord(Self.put(.with {
                        $0.adjustment = Self.adjustment("dc-vnd", project: "fdi-2018-0001", amount: "10", unit: .billionVnd, on: LocalDay.make(2018, 3, 1))
                    }), options: Self.options)
                }
                #expect(wrongCurrency.fieldViolations.map(\.field) == ["record.capital-adjustment.amount.unit"])

                let noCountry = try await #require(throws: RPCError.self) {
                    try await investment.putRecord(Self.put(.with {
                        $0.project = Self.project("fdi-2018-0003", country: "", capital: "50", certifiedOn: LocalDay.make(2018, 3, 1))
                    }), options: Self.options)
                }
                #expect(noCountry.fieldViolations.map(\.field) == ["record.investment-project.investor_country"])
                #expect(DepartmentFixture.reason(noCountry, field: "record.investment-project.investor_country")?.hasPrefix("missing") == true)

                var revokedUndated = Self.project("fdi-2018-0004", capital: "50", certifiedOn: LocalDay.make(2018, 3, 1))
                revokedUndated.status = .revoked
                let noDate = try await #require(throws: RPCError.self) {
                    try await investment.putRecord(Self.put(.with { $0.project = revokedUndated }), options: Self.options)
                }
                #expect(noDate.fieldViolations.map(\.field) == ["record.investment-project.revoked_on", "record.investment-project.revocation_reason"])
                #expect(DepartmentFixture.reason(noDate, field: "record.investment-project.revoked_on") == "missing: a revoked certificate needs the day it was revoked")

                let stored = try await investment.listRecords(.with { $0.year = 2018 }, options: Self.options)
                #expect(stored.records.map { $0.change.recordID } == ["fdi-2018-0001"])
            }
        }

        @Test("a CSV file with one bad row imports nothing and names the row's line and column")
        func badRowImportsNothing() async throws {
            try await Self.withInvestment { investment, _ in
                let csv = """
                    chỉ tiêu số,chỉ tiêu,loại kỳ,kỳ,giá trị,đơn vị,ước tính,nguồn
                    1,GRDP growth,half-year,2018-H1,16.03,%,ước,http://thongkehaiphong.gov.vn/a
                    7,Cargo throughput via ports,6 tháng,2018-H1,"50,96",triệu tấn,có,http://haiphongdpi.gov.vn/b
                    9,Tourist arrivals,month,2018/13,0.61,million visitors,no,http://haiphongdpi.gov.vn/c
                    other,CPI change year-on-year,month,2018-04,3.14,%,no,http://thongkehaiphong.gov.vn/d

                    """
                let error = try await #require(throws: RPCError.self) {
                    try await investment.importRecordsCsv(Self.importRequest(Data(csv.utf8), fileName: "so-lieu.csv", kind: "economic-statistic"), options: Self.options)
                }
                #expect(error.code == .invalidArgument)
                #expect(error.message == "so-lieu.csv was not imported: 1 problem")
                #expect(error.fieldViolations.map(\.field) == ["line 4.period"])
                #expect(DepartmentFixture.reason(error, field: "line 4.period")
                        == "line 4, column \"kỳ\" (period): \"2018/13\" is not a month period (write 2018-04)")
                let stored = try await investment.listRecords(.with { $0.year = 2018 }, options: Self.options)
                #expect(stored.records.isEmpty)

                // Corrected, the file imports: Vietnamese headers, kinds and units, a comma as the decimal mark.
                let corrected = csv.replacingOccurrences(of: "2018/13", with: "2018-06")
                let imported = try await investment.importRecordsCsv(Self.importRequest(Data(corrected.utf8), fileName: "so-lieu.csv", kind: "economic-statistic"), options: Self.options)
                #expect(imported.created == 4)
                let cargo = try #require(imported.derivedObservations.first { $0.targetNumber == 7 })
                #expect((cargo.value.value, cargo.value.unit, cargo.estimate) == ("50.96", "million_tonnes", true))
                let june = try #require(imported.derivedObservations.first { $0.targetNumber == 9 })
                #expect((june.value.value, june.value.unit, PeriodText.key(june.period)) == ("0.61", "million_visitors", "month:2018-06"))
                #expect(imported.derivedObservations.count == 3 && imported.notes.isEmpty)
            }
        }
    }
}

/// The investment domain on its own, without broker or database: the real statistics file read and judged against
/// the investment share of the parsed 2018 directive.
@Suite("The investment domain")
struct InvestmentDomainTests {
    @Test("the statistics office's file decodes row by row, and its targets' measures are the published figures")
    func realFile() throws {
        let directive = try DirectiveTextParser().parse(text: DirectiveContractTests.text)
        let message = DirectiveContract().message(for: directive, .init(
            orgUnitCode: "31", revision: 1, textSHA256: "abc", importedAt: Date(timeIntervalSince1970: 1_514_764_800), importedBy: .init()))
        let share = Planmonitor_Department_V1_DirectiveShare(selecting: .investment, from: message, receivedAt: Date())
        let domain = InvestmentDomain(instanceUnitCode: "31")
        let layout = try #require(domain.kinds.first { $0.kind == "economic-statistic" })
        let table = try CSVTable(bytes: Data(contentsOf: ServicesAgainstTheStack.InvestmentServiceTests.reportedFile), columns: layout.columns)
        let records = try table.rows.map { row in try layout.decode(row) }
        #expect(records.count == 58)
        let stored = records.map { record in
            StoredRecord(record: record, placement: domain.placement(of: record)!, change: .init())
        }
        let context = DerivationContext(scope: OrgUnitScope(orgUnitCode: "31"), share: share)
        let observations = domain.observations(from: stored.filter { $0.placement.year == 2018 }, year: 2018, context: context)
        #expect(observations.map { "\($0.targetNumber)\($0.subTargetCode.isEmpty ? "" : "/\($0.subTargetCode)") \(PeriodText.key($0.period)) \($0.value.value) \($0.value.unit)" }.sorted() == [
            "1 half-year:2018-H1 16.03 percent",
            "1/1.a half-year:2018-H1 2.77 percent",
            "1/1.b half-year:2018-H1 25.02 percent",
            "1/1.c half-year:2018-H1 10.37 percent",
            "11 cumulative:2018-01..03:2018-01-01..2018-03-26 0.91909 billion_usd",
            "2 half-year:2018-H1 3694 usd",
            "3 cumulative:2018-01..04 24.01 percent",
            "3 cumulative:2018-01..05 23.78 percent",
            "3 half-year:2018-H1 24.2 percent",
            "7 half-year:2018-H1 50.96 million_tonnes",
            "9 half-year:2018-H1 3.551804 million_visitors",
        ])
        let notes = records.compactMap { domain.note(about: $0, context: context) }
        #expect(notes.count == 58 - 28 - 13, "every row with a target and no observation says why (28 rows have none, 13 are measures): \(notes)")
    }
}
