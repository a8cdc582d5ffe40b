import DepartmentCore
import Foundation
import Logging
import PlanContracts
import ServiceRuntime
@testable import SocialService
import Testing

extension ServicesAgainstTheStack {
    /// The social service's records, the observations of every target it reports, the roll-up of rates from districts
    /// to the city, validation and CSV import, over the real broker and PostgreSQL.
    ///
    /// The service under test serves the tests' org unit and stands it in for the city (`cityCode`), so that it keeps
    /// records for Hải Phòng's real districts — Lê Chân (305) and Tiên Lãng (315) here — and computes the city figures
    /// from them, without sharing a queue or routing key with an instance of "31" on the same broker.
    @Suite("Social service records")
    struct SocialServiceTests {
        static let city = ServiceStack.orgUnit
        static let social: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] = [
            ("social", { configuration, logger in buildSocialService(configuration: configuration, logger: logger, cityCode: ServiceStack.orgUnit) }),
        ]
        static let options = DepartmentFixture.options(agency: SocialMeasures.labourAgency)

        /// Runs `body` with the clients of a fresh social service that holds its share of the 2018 directive.
        private static func withSocial(
            _ body: (Planmonitor_Social_V1_SocialService.Client, Planmonitor_Department_V1_MonthlyReportService.Client) async throws -> Void
        ) async throws {
            try await DepartmentFixture.run(social) { rpc in
                let transport = rpc.transport(to: ServiceStack.target("social"))
                try await body(.init(transport: transport), .init(transport: transport))
            }
        }

        static func rate(
            _ measure: Planmonitor_Social_V1_RateMeasure, _ district: String, month: Int32, _ numerator: String, _ denominator: String
        ) -> Planmonitor_Social_V1_SocialRecord {
            .with {
                $0.rate = .with {
                    $0.recordID = "rate-\(measure.rawValue)-\(district)-\(month)"
                    $0.orgUnitCode = district
                    $0.year = 2018
                    $0.month = month
                    $0.measure = measure
                    $0.numerator = numerator
                    $0.denominator = denominator
                }
            }
        }

        static func assessment(_ commune: String, month: Int32, criteria: ClosedRange<Int32>, district: String = "315") -> Planmonitor_Social_V1_SocialRecord {
            .with {
                $0.newRural = .with {
                    $0.recordID = "ntm-\(commune)-\(month)"
                    $0.orgUnitCode = district
                    $0.communeCode = commune
                    $0.year = 2018
                    $0.month = month
                    $0.criteriaMet = Array(criteria)
                }
            }
        }

        /// The value of a line of ``lines(_:target:)`` ("305 14 month:2018-06 = 95 percent (…)").
        static func value(of line: String) -> Double? {
            line.components(separatedBy: " = ").last?.split(separator: " ").first.flatMap { Double($0) }
        }

        static func jobs(_ district: String, month: Int32, _ channel: Planmonitor_Social_V1_JobChannel, _ persons: Int64) -> Planmonitor_Social_V1_SocialRecord {
            .with {
                $0.jobs = .with {
                    $0.recordID = "jobs-\(channel.rawValue)-\(district)-\(month)"
                    $0.orgUnitCode = district
                    $0.year = 2018
                    $0.month = month
                    $0.channel = channel
                    $0.persons = persons
                }
            }
        }

        static func put(_ record: Planmonitor_Social_V1_SocialRecord, amend: Bool = false, reason: String = "") -> Planmonitor_Social_V1_PutSocialRecordRequest {
            .with { $0.record = record; $0.amend = amend; $0.reason = reason }
        }

        /// "unit target[/sub] [indicator] period = value unit [numerator/denominator]", for comparing observations.
        static func line(_ observation: Planmonitor_Common_V1_Observation) -> String {
            let target = observation.subTargetCode.isEmpty ? "\(observation.targetNumber)" : observation.subTargetCode
            let indicator = observation.indicator.isEmpty ? "" : " [\(observation.indicator)]"
            let fraction = observation.numerator.isEmpty ? "" : " (\(observation.numerator)/\(observation.denominator))"
            return "\(observation.orgUnitCode) \(target)\(indicator) \(PeriodText.key(observation.period)) = \(observation.value.value) \(observation.value.unit)\(fraction)"
        }

        /// The current observations of `target` (of `unit` only, when given) as lines, in the service's order.
        ///
        /// The unit is picked here, not in the query: ListObservations accepts the units of the instance's monthly
        /// reports, which for the tests' unit is that unit alone.
        static func lines(_ reports: Planmonitor_Department_V1_MonthlyReportService.Client, target: Int32, unit: String? = nil) async throws -> [String] {
            let listed = try await reports.listObservations(.with { $0.year = 2018; $0.targetNumber = target }, options: options)
            return listed.observations.filter { unit == nil || $0.orgUnitCode == unit }.map(line)
        }

        @Test("records by RPC derive every target the service reports; an amendment is a new version, audited and announced")
        func derivedTargets() async throws {
            try await Self.withSocial { client, reports in
                let city = Self.city
                // One month of each rate in Lê Chân (305).
                let rates: [(Planmonitor_Social_V1_RateMeasure, String, String)] = [
                    (.urbanUnemployment, "4100", "102500"), (.trainedLabour, "96000", "120000"), (.certifiedLabour, "39600", "120000"),
                    (.healthInsurance, "190000", "200000"), (.ruralHygienicWater, "7900", "8000"), (.urbanSolidWaste, "292.8", "300"),
                    (.ruralSolidWaste, "17.7", "20"), (.medicalWasteTreatment, "40", "40"),
                ]
                for (measure, numerator, denominator) in rates {
                    let response = try await client.putRecord(Self.put(Self.rate(measure, "305", month: 6, numerator, denominator)), options: Self.options)
                    #expect(response.change.version == 1 && response.derivedObservations.count == 2, "the district's and the city's rate: \(response.derivedObservations.map(Self.line))")
                }
                // Poverty: the start of the year (month 0) and June.
                _ = try await client.putRecord(Self.put(Self.rate(.poorHouseholds, "305", month: 0, "1000", "50000")), options: Self.options)
                let june = try await client.putRecord(Self.put(Self.rate(.poorHouseholds, "305", month: 6, "900", "50000")), options: Self.options)
                #expect(june.derivedObservations.map(Self.line) == [
                    "305 15 month:2018-06 = 1.8 percent (900/50000)",
                    "305 15 [\(SocialFigures.povertyChangeIndicator)] month:2018-06 = -0.2 percentage_points",
                    "\(city) 15 month:2018-06 = 1.8 percent (900/50000)",
                    "\(city) 15 [\(SocialFigures.povertyChangeIndicator)] month:2018-06 = -0.2 percentage_points",
                ])
                // Jobs by channel, and new-rural assessments of Tiên Lãng's communes.
                for record in [Self.jobs("305", month: 1, .domestic, 1200), Self.jobs("305", month: 1, .labourExport, 50), Self.jobs("315", month: 2, .domestic, 800)] {
                    _ = try await client.putRecord(Self.put(record), options: Self.options)
                }
                let assessments = [
                    Self.assessment("11776", month: 0, criteria: 1...17), Self.assessment("11776", month: 6, criteria: 1...19),
                    Self.assessment("11779", month: 0, criteria: 1...19), Self.assessment("11779", month: 6, criteria: 1...19),
                    Self.assessment("11782", month: 6, criteria: 1...19),
                    Self.assessment("11785", month: 0, criteria: 1...15), Self.assessment("11785", month: 3, criteria: 1...16),
                ]
                for record in assessments {
                    _ = try await client.putRecord(Self.put(record), options: DepartmentFixture.options(agency: SocialMeasures.agricultureAgency))
                }

                #expect(try await Self.lines(reports, target: 12, unit: "305") == ["305 12 month:2018-06 = 4 percent (4100/102500)"])
                #expect(try await Self.lines(reports, target: 14, unit: city) == ["\(city) 14 month:2018-06 = 95 percent (190000/200000)"])
                #expect(try await Self.lines(reports, target: 16, unit: "305") == ["305 16 month:2018-06 = 98.75 percent (7900/8000)"])
                #expect(try await Self.lines(reports, target: 17, unit: "305") == [
                    "305 17.a month:2018-06 = 97.6 percent (292.8/300)", "305 17.b month:2018-06 = 88.5 percent (17.7/20)",
                ])
                #expect(try await Self.lines(reports, target: 18, unit: "305") == ["305 18 month:2018-06 = 100 percent (40/40)"])
                #expect(try await Self.lines(reports, target: 13, unit: "305") == [
                    "305 13.a cumulative:2018-01..01 = 1250 person_times",
                    "305 13.a [trong nước] cumulative:2018-01..01 = 1200 person_times",
                    "305 13.a [xuất khẩu lao động] cumulative:2018-01..01 = 50 person_times",
                    "305 13.b month:2018-06 = 80 percent (96000/120000)",
                    "305 13.c month:2018-06 = 33 percent (39600/120000)",
                ])
                let cityJobs = try await Self.lines(reports, target: 13, unit: city).filter { $0.contains("13.a cumulative") }
                #expect(cityJobs == ["\(city) 13.a cumulative:2018-01..01 = 1250 person_times", "\(city) 13.a cumulative:2018-01..02 = 2050 person_times"])
                // New rural development in June: 4 communes assessed, 19 + 19 + 19 + 16 criteria; 11776 reached all 19
                // this year, 11779 already met them, 11782 has no start-of-year assessment.
                let newRural = try await Self.lines(reports, target: 10, unit: "315")
                #expect(newRural.filter { $0.contains("month:2018-06") || $0.contains("2018-01..06") } == [
                    "315 10 [\(SocialFigures.communesMeetingAllIndicator)] month:2018-06 = 75 percent (3/4)",
                    "315 10.a month:2018-06 = 18.25 criteria (73/4)",
                    "315 10.b cumulative:2018-01..06 = 1 communes",
                ])
                #expect(newRural.filter { $0.contains("month:2018-03") || $0.contains("2018-01..03") } == [
                    "315 10 [\(SocialFigures.communesMeetingAllIndicator)] month:2018-03 = 33.3333 percent (1/3)",
                    "315 10.a month:2018-03 = 17.33 criteria (52/3)",
                    "315 10.b cumulative:2018-01..03 = 0 communes",
                ])
                #expect(try await Self.lines(reports, target: 10, unit: city).contains("\(city) 10.a month:2018-06 = 18.25 criteria (73/4)"))

                // Programme records without a target of their own, in the year to date.
                let programmes: [Planmonitor_Social_V1_SocialRecord] = [
                    .with { $0.training = .with { $0.recordID = "gdnn-305-5"; $0.orgUnitCode = "305"; $0.year = 2018; $0.month = 5; $0.enrolled = 640; $0.graduated = 410 } },
                    .with { $0.assistance = .with { $0.recordID = "btxh-305-5"; $0.orgUnitCode = "305"; $0.year = 2018; $0.month = 5; $0.beneficiaries = 5100 } },
                    .with { $0.assistance = .with { $0.recordID = "btxh-305-6"; $0.orgUnitCode = "305"; $0.year = 2018; $0.month = 6; $0.beneficiaries = 5150 } },
                    .with { $0.insurance = .with { $0.recordID = "bhyt-can-ngheo-315-6"; $0.orgUnitCode = "315"; $0.year = 2018; $0.month = 6; $0.group = .nearPoorHouseholds; $0.participants = 3200 } },
                    .with { $0.insurance = .with { $0.recordID = "bhyt-llvt-305-6"; $0.orgUnitCode = "305"; $0.year = 2018; $0.month = 6; $0.group = .armedForces; $0.participants = 900 } },
                ]
                for record in programmes {
                    let response = try await client.putRecord(Self.put(record), options: DepartmentFixture.options(agency: "social-insurance"))
                    #expect(response.derivedObservations.isEmpty)
                }
                let ytd = try await client.getYearToDate(.with { $0.year = 2018 }, options: Self.options)
                #expect(ytd.orgUnitCode == city && ytd.throughMonth == 6)
                #expect(ytd.jobsDomestic == 2000 && ytd.jobsLabourExport == 50)
                #expect(ytd.trainingEnrolled == 640 && ytd.trainingGraduated == 410 && ytd.assistanceBeneficiaries == 5150)
                #expect(ytd.insurance.map { "\($0.group)=\($0.participants)" } == ["nearPoorHouseholds=3200", "armedForces=900"])
                let poverty = try #require(ytd.rates.first { $0.measure == .poorHouseholds })
                #expect(poverty.percent == "1.8" && poverty.startOfYearPercent == "2" && poverty.changeInPoints == "-0.2" && poverty.districts == 1)
                #expect(ytd.newRural.averageCriteria == "18.25" && ytd.newRural.communesNewlyMeetingAll == 1 && ytd.newRural.communesWithoutStartOfYear == 1)

                // Amend June's insured people: a new version, a corrected figure, an audit entry, one event per change.
                let amended = try await client.putRecord(
                    Self.put(Self.rate(.healthInsurance, "305", month: 6, "180000", "200000"), amend: true, reason: "BHXH đối chiếu lại số thẻ"),
                    options: DepartmentFixture.options(user: "le.van.c", agency: "social-insurance"))
                #expect(amended.change.version == 2 && amended.change.action == .amended)
                #expect(amended.derivedObservations.map(Self.line) == [
                    "305 14 month:2018-06 = 90 percent (180000/200000)", "\(city) 14 month:2018-06 = 90 percent (180000/200000)",
                ])
                let recordID = "rate-\(Planmonitor_Social_V1_RateMeasure.healthInsurance.rawValue)-305-6"
                let history = try await client.getRecordHistory(.with { $0.recordID = recordID }, options: Self.options)
                #expect(history.versions.map(\.record.rate.numerator) == ["190000", "180000"])
                #expect(history.versions[1].change.reason == "BHXH đối chiếu lại số thẻ")
                let audited = try await ServiceStack.scalar(
                    String.self, "SELECT user_name || '/' || agency_code || '/' || action FROM social.audit_log WHERE subject = \(recordID) ORDER BY sequence DESC LIMIT 1")
                #expect(audited == "le.van.c/social-insurance/record.amended")
                let changes = try await DepartmentFixture.outboxEvents(Planmonitor_Social_V1_SocialRecordChanged.self, service: "social", routingKey: "social.record-changed.305")
                // Lê Chân: 8 rates, 2 poverty rates, 2 jobs, 4 programme records, 1 amendment.
                let expectedChanges = 17
                #expect(changes.count == expectedChanges, "one event per change in Lê Chân")
                #expect(changes.last?.record.rate.numerator == "180000" && changes.last?.change.version == 2)
                let listed = try await client.listRecords(.with { $0.year = 2018; $0.orgUnitCode = "315"; $0.recordKind = "new-rural-assessment" }, options: Self.options)
                #expect(listed.records.map(\.record.newRural.communeCode) == ["11776", "11779", "11785", "11785", "11776", "11779", "11782"])
            }
        }

        @Test("a city rate is the sum of the districts' numerators over the sum of their denominators, not the average of their rates")
        func rollUp() async throws {
            try await Self.withSocial { client, reports in
                let city = Self.city
                // Lê Chân: 95 % of 200,000 people insured; Tiên Lãng: 60 % of 50,000. Poverty falls 0.2 and 0.5 points.
                let csv = """
                    Mã đơn vị;Tháng;Chỉ tiêu;Tử số;Mẫu số;Ghi chú
                    305;06/2018;health-insurance;190.000;200.000;
                    315;06/2018;health-insurance;30.000;50.000;
                    305;đầu năm 2018;poor-households;1.000;50.000;rà soát cuối năm 2017
                    315;đầu năm 2018;poor-households;2.400;40.000;rà soát cuối năm 2017
                    305;T6/2018;poor-households;900;50.000;
                    315;T6/2018;poor-households;2.200;40.000;
                    """
                let imported = try await client.importRecordsCsv(
                    .with { $0.csv = Data(csv.utf8); $0.fileName = "ty-le-t6-2018.csv"; $0.recordKind = "rate-observation" }, options: Self.options)
                #expect(imported.created == 6)
                #expect(imported.recordIds.first == "rate-health-insurance-305-2018-6" && imported.recordIds[2] == "rate-poor-households-305-2018-0")

                let insured = try await Self.lines(reports, target: 14)
                #expect(insured == [
                    "305 14 month:2018-06 = 95 percent (190000/200000)",
                    "315 14 month:2018-06 = 60 percent (30000/50000)",
                    "\(city) 14 month:2018-06 = 88 percent (220000/250000)",
                ])
                // The average of the districts' rates (77.5 %) is not the city's figure, which is the people's (88 %).
                let districtRates = insured.filter { !$0.hasPrefix("\(city) ") }.compactMap { Self.value(of: $0) }
                #expect(districtRates.count == 2 && districtRates.reduce(0, +) / 2 != insured.last.flatMap(Self.value(of:)))

                let poverty = try await Self.lines(reports, target: 15)
                #expect(poverty == [
                    "305 15 month:2018-06 = 1.8 percent (900/50000)",
                    "305 15 [\(SocialFigures.povertyChangeIndicator)] month:2018-06 = -0.2 percentage_points",
                    "315 15 month:2018-06 = 5.5 percent (2200/40000)",
                    "315 15 [\(SocialFigures.povertyChangeIndicator)] month:2018-06 = -0.5 percentage_points",
                    "\(city) 15 month:2018-06 = 3.4444 percent (3100/90000)",
                    "\(city) 15 [\(SocialFigures.povertyChangeIndicator)] month:2018-06 = -0.3333 percentage_points",
                ])
                // The average of the districts' changes (−0.35 points) is not the city's change, its households' (−0.3333).
                let changes = poverty.filter { $0.contains("percentage_points") }.compactMap { Self.value(of: $0) }
                #expect(changes.count == 3 && (changes[0] + changes[1]) / 2 != changes[2])

                let ytd = try await client.getYearToDate(.with { $0.year = 2018; $0.throughMonth = 6 }, options: Self.options)
                let coverage = try #require(ytd.rates.first { $0.measure == .healthInsurance })
                #expect(coverage.numerator == "220000" && coverage.denominator == "250000" && coverage.percent == "88" && coverage.districts == 2)
                let poor = try #require(ytd.rates.first { $0.measure == .poorHouseholds })
                #expect(poor.startOfYearPercent == "3.7778" && poor.percent == "3.4444" && poor.changeInPoints == "-0.3333")
                let district = try await client.getYearToDate(.with { $0.year = 2018; $0.orgUnitCode = "315" }, options: Self.options)
                #expect(district.rates.first { $0.measure == .healthInsurance }?.percent == "60")
            }
        }

        @Test("invalid records are refused with every field and reason named, and nothing is stored")
        func validation() async throws {
            try await Self.withSocial { client, _ in
                func violations(_ record: Planmonitor_Social_V1_SocialRecord) async throws -> [String: String] {
                    let error = try await #require(throws: RPCError.self) { try await client.putRecord(Self.put(record), options: Self.options) }
                    #expect(error.code == .invalidArgument)
                    return Dictionary(error.fieldViolations.map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
                }
                let aboveDenominator = try await violations(Self.rate(.poorHouseholds, "315", month: 6, "2500", "2400"))
                #expect(aboveDenominator["record.rate-observation.numerator"] == "2500 is larger than its denominator 2400: a rate is a part of its whole (at most 100 %)")

                var wrongDistrict = Self.assessment("11776", month: 6, criteria: 1...19, district: "305")
                wrongDistrict.newRural.criteriaMet += [20, 3]
                let misplaced = try await violations(wrongDistrict)
                #expect(misplaced["record.new-rural-assessment.commune_code"] == "11776 (Xã Tiên Thanh) is in district 315, not 305")
                #expect(misplaced["record.new-rural-assessment.criteria_met"] == "20 is not a criterion (1–19); criterion 3 is listed twice")

                let ward = try await violations(Self.assessment("11368", month: 6, criteria: 1...19, district: "305"))
                #expect(ward["record.new-rural-assessment.commune_code"] == "11368 (Phường Cát Dài) is a ward, not one of: xa")

                var unknown = Self.rate(.healthInsurance, "310", month: 13, "1", "0")
                unknown.rate.year = 2019
                unknown.rate.measure = .unspecified
                let bad = try await violations(unknown)
                #expect(bad["record.rate-observation.org_unit_code"]?.hasPrefix("unknown org unit '310' (this instance serves \(Self.city) and the units below it: 303, 304") == true)
                #expect(bad["record.rate-observation.year"] == "2019 is outside the directive's year (2018)")
                #expect(bad["record.rate-observation.month"] == "13 is not a month (1–12, or 0 for the start of the year)")
                #expect(bad["record.rate-observation.measure"]?.hasPrefix("missing (urban-unemployment, trained-labour") == true)
                #expect(bad["record.rate-observation.denominator"] == "must not be zero")

                let own = try await violations(Self.jobs(Self.city, month: 0, .unspecified, -3))
                #expect(own["record.jobs-created.org_unit_code"]?.hasPrefix("\(Self.city) is the instance's own unit: its figures are computed from its districts' records") == true)
                #expect(own["record.jobs-created.month"] == "0 is not a month (1–12)")
                #expect(own["record.jobs-created.channel"] == "missing (domestic or labour-export)")
                #expect(own["record.jobs-created.persons"] == "-3 is negative")
                // A count no district has (a hostile or garbled file) is refused, so that the year's sums cannot overflow.
                let huge = try await violations(Self.jobs("305", month: 6, .domestic, Int64.max))
                #expect(huge["record.jobs-created.persons"] == "\(Int64.max) is more people than Việt Nam has (at most 100000000)")

                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM social.records") == 0)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM social.outbox WHERE routing_key LIKE 'social.%'") == 0)
            }
        }

        @Test("a CSV of assessments imports all or nothing, naming each bad line; a second import changes nothing")
        func csvImport() async throws {
            try await Self.withSocial { client, reports in
                let bad = """
                    Mã đơn vị,Mã xã,Tháng,Tiêu chí đạt
                    315,11776,đầu năm 2018,1-17
                    315,11368,06/2018,tất cả
                    315,11779,06/2018,1-12 x
                    """
                let refused = try await #require(throws: RPCError.self) {
                    try await client.importRecordsCsv(.with { $0.csv = Data(bad.utf8); $0.fileName = "ntm.csv"; $0.recordKind = "new-rural-assessment" }, options: Self.options)
                }
                #expect(refused.code == .invalidArgument)
                #expect(refused.fieldViolations.map(\.field) == ["line 4.criteria_met"], "decoding problems come first: \(refused.fieldViolations)")
                #expect(refused.fieldViolations.first?.reason.contains("\"1-12 x\" is not a list of criteria") == true, "\(refused.fieldViolations)")

                let misplaced = bad.replacingOccurrences(of: "1-12 x", with: "1-12 14")
                let wrongCommune = try await #require(throws: RPCError.self) {
                    try await client.importRecordsCsv(.with { $0.csv = Data(misplaced.utf8); $0.fileName = "ntm.csv"; $0.recordKind = "new-rural-assessment" }, options: Self.options)
                }
                #expect(wrongCommune.fieldViolations.map(\.field) == ["line 3.commune_code"])
                #expect(wrongCommune.fieldViolations.first?.reason == "line 3: 11368 (Phường Cát Dài) is in district 305, not 315")
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM social.records") == 0)

                let good = misplaced.replacingOccurrences(of: "315,11368,06/2018,tất cả", with: "315,11776,06/2018,tất cả")
                let request = Planmonitor_Department_V1_ImportRecordsCsvRequest.with { $0.csv = Data(good.utf8); $0.fileName = "ntm.csv"; $0.recordKind = "new-rural-assessment" }
                let imported = try await client.importRecordsCsv(request, options: Self.options)
                #expect(imported.created == 3)
                #expect(imported.recordIds == ["ntm-11776-2018-0", "ntm-11776-2018-6", "ntm-11779-2018-6"])
                #expect(imported.derivedObservations.map(Self.line).contains("315 10.b cumulative:2018-01..06 = 1 communes"))
                let again = try await client.importRecordsCsv(request, options: Self.options)
                #expect(again.created == 0 && again.unchanged == 3 && again.derivedObservations.isEmpty)
                #expect(try await Self.lines(reports, target: 10, unit: "315").contains("315 10.a month:2018-06 = 16 criteria (32/2)"))
            }
        }
    }
}

/// The commune list the social and security services check communes against, without broker or database.
@Suite("Hải Phòng's communes")
struct CommuneCatalogTests {
    @Test("the GSO list reads whole: 223 units, each in its district, of the right kind")
    func haiPhong() throws {
        let catalog = CommuneCatalog.haiPhong
        #expect(catalog.communes.count == 223)
        #expect(catalog.communes.filter { $0.kind == .commune }.count == 143)
        #expect(catalog.communes(inDistrict: "315").count == 23 && catalog.communes(inDistrict: "305").count == 15)
        #expect(catalog.communes(inDistrict: "318").isEmpty, "Bạch Long Vĩ has no commune-level unit")
        let tienThanh = try #require(catalog.commune("11776"))
        #expect(tienThanh.districtCode == "315" && tienThanh.kind == .commune && tienThanh.name == "Xã Tiên Thanh")
        #expect(catalog.misplacement(of: "11776", inDistrict: "315", kinds: [.commune]) == nil)
        #expect(catalog.misplacement(of: "99999", inDistrict: "315") == "unknown commune '99999' (not in the GSO list of communes, wards and townships)")
        #expect(throws: CommuneListError.self) { try CommuneCatalog(csv: "code,district_code,kind,name_vi\n1234,315,xa,Xã Thiếu Số\n") }
    }
}
