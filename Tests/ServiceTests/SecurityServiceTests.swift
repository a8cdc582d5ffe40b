import AMQPClient
import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanMessaging
@testable import SecurityService
import ServiceRuntime
import Synchronization
import Testing

extension ServicesAgainstTheStack {
    /// The security service over the real broker and PostgreSQL: records kept inside, aggregates by district and month
    /// leaving it, validation, the security role, and a search of everything that left for a case's marker.
    ///
    /// Like the social tests, the instance serves the tests' org unit standing in for the city, so that its records
    /// name Hải Phòng's real districts and communes.
    @Suite("Security service records")
    struct SecurityServiceTests {
        static let city = ServiceStack.orgUnit
        /// The broker user the instance under test allows to carry the security role (the service's own).
        static let caseReader = "security"

        /// The security service built with `logger` (the fixture's unless a test captures the lines).
        static func security(logger: Logger? = nil) -> [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)] {
            [("security", { configuration, fixtureLogger in
                buildSecurityService(configuration: configuration, logger: logger ?? fixtureLogger, caseReaders: [caseReader], cityCode: ServiceStack.orgUnit)
            })]
        }

        /// Call options of an officer with the security role.
        static let officer = RPCCallOptions(timeout: .seconds(20), metadata: ["user": "tran.van.d", "agency": "city-police", "role": "security"])
        /// Call options without a role.
        static let clerk = DepartmentFixture.options(agency: "city-police")

        /// Runs `body` with an RPC client connected as broker user `user` (its stack password), as an officer's tool would.
        static func withCaller<Value: Sendable>(brokerUser user: String, _ body: (RPCClient) async throws -> Value) async throws -> Value {
            let connection = AMQPConnection(configuration: AMQPConfiguration(
                host: ServiceStack.amqpHost, port: ServiceStack.amqpPort, virtualHost: ServiceStack.virtualHost, username: user,
                password: "planmonitor-\(user)-dev", connectionName: "service-tests-\(user)-caller"), logger: ServiceStack.logger)
            try await connection.waitUntilConnected(timeout: .seconds(10))
            let rpc = RPCClient(connection: connection, identity: ServiceIdentity(service: "security-officer", orgUnit: ServiceStack.orgUnit, brokerUser: user), logger: ServiceStack.logger)
            do {
                let value = try await body(rpc)
                rpc.shutdown()
                await connection.close()
                return value
            } catch {
                rpc.shutdown()
                await connection.close()
                throw error
            }
        }

        static func client(_ rpc: RPCClient) -> Planmonitor_Security_V1_SecurityService.Client {
            .init(transport: rpc.transport(to: ServiceStack.target("security")))
        }

        static func securityCase(
            _ id: String, _ district: String, commune: String = "", on day: Planmonitor_Common_V1_LocalDate,
            _ category: Planmonitor_Security_V1_CaseCategory, description: String
        ) -> Planmonitor_Security_V1_SecurityRecord {
            .with {
                $0.securityCase = .with {
                    $0.recordID = id
                    $0.orgUnitCode = district
                    $0.communeCode = commune
                    $0.occurredOn = day
                    $0.category = category
                    $0.suspects = 2
                    $0.description_p = description
                }
            }
        }

        static func drill(
            _ id: String, _ district: String, commune: String = "", _ kind: Planmonitor_Security_V1_DrillKind, plannedMonth: Int32,
            heldOn: Planmonitor_Common_V1_LocalDate? = nil
        ) -> Planmonitor_Security_V1_SecurityRecord {
            .with {
                $0.drill = .with {
                    $0.recordID = id
                    $0.orgUnitCode = district
                    $0.communeCode = commune
                    $0.year = 2018
                    $0.plannedMonth = plannedMonth
                    $0.kind = kind
                    if let heldOn { $0.heldOn = heldOn }
                }
            }
        }

        static func put(_ record: Planmonitor_Security_V1_SecurityRecord, amend: Bool = false, reason: String = "") -> Planmonitor_Security_V1_PutSecurityRecordRequest {
            .with { $0.record = record; $0.amend = amend; $0.reason = reason }
        }

        /// "unit [indicator] period = value unit (numerator/denominator)".
        static func line(_ observation: Planmonitor_Common_V1_Observation) -> String {
            let fraction = observation.numerator.isEmpty ? "" : " (\(observation.numerator)/\(observation.denominator))"
            return "\(observation.orgUnitCode) [\(observation.indicator)] \(PeriodText.key(observation.period)) = \(observation.value.value) \(observation.value.unit)\(fraction)"
        }

        @Test("records by RPC and CSV leave as aggregates by district and month; traffic accidents against the same period of last year")
        func aggregates() async throws {
            try await DepartmentFixture.run(Self.security()) { rpc in
                let city = Self.city
                try await Self.withCaller(brokerUser: Self.caseReader) { officerRPC in
                    let officer = Self.client(officerRPC)
                    let traffic = """
                        Mã đơn vị,Tháng,Số vụ,Số người chết,Số người bị thương
                        305,01/2017,6,1,5
                        305,02/2017,4,1,4
                        315,01/2017,3,2,2
                        305,01/2018,5,1,4
                        305,02/2018,3,1,2
                        315,01/2018,2,1,1
                        """
                    let imported = try await officer.importRecordsCsv(
                        .with { $0.csv = Data(traffic.utf8); $0.fileName = "tngt-2017-2018.csv"; $0.recordKind = "traffic-accidents" }, options: Self.officer)
                    #expect(imported.created == 6 && imported.recordIds.last == "tngt-315-2018-1")
                    #expect(imported.derivedObservations.filter { $0.orgUnitCode == city && PeriodText.key($0.period) == "month:2018-01" }.map(Self.line) == [
                        "\(city) [tai nạn giao thông: số vụ] month:2018-01 = 7 count",
                        "\(city) [tai nạn giao thông: số người chết] month:2018-01 = 2 persons",
                        "\(city) [tai nạn giao thông: số người bị thương] month:2018-01 = 5 persons",
                    ])

                    let cases = [
                        Self.securityCase("hs-2018-0601", "305", commune: "11368", on: LocalDay.make(2018, 6, 3), .drugs, description: "Bắt quả tang tàng trữ trái phép chất ma túy"),
                        Self.securityCase("hs-2018-0602", "305", on: LocalDay.make(2018, 6, 15), .drugs, description: "Mua bán trái phép chất ma túy"),
                        Self.securityCase("hs-2018-0501", "315", commune: "11776", on: LocalDay.make(2018, 5, 20), .criminal, description: "Trộm cắp tài sản"),
                    ]
                    for record in cases { _ = try await officer.putRecord(Self.put(record), options: Self.officer) }
                    var fire = Planmonitor_Security_V1_FiresAndExplosions()
                    fire.recordID = "chay-no-305-2018-3"
                    fire.orgUnitCode = "305"
                    fire.year = 2018
                    fire.month = 3
                    fire.cases = 2
                    fire.injuries = 1
                    fire.damage = Planmonitor_Common_V1_Money(amount: "350", unit: .millionVnd)
                    let fires = try await officer.putRecord(Self.put(.with { $0.fires = fire }), options: DepartmentFixture.options(agency: "fire-police").with(role: "security"))
                    #expect(fires.derivedObservations.filter { $0.orgUnitCode == "305" }.map(Self.line) == [
                        "305 [cháy, nổ: số vụ] month:2018-03 = 2 count",
                        "305 [cháy, nổ: số người chết] month:2018-03 = 0 persons",
                        "305 [cháy, nổ: số người bị thương] month:2018-03 = 1 persons",
                        "305 [cháy, nổ: thiệt hại ước tính] month:2018-03 = 0.35 billion_vnd",
                    ])
                    let conscription = """
                        Mã đơn vị;Năm;Chỉ tiêu;Đã giao quân
                        305;2018;300;300
                        315;2018;250;240
                        """
                    _ = try await officer.importRecordsCsv(
                        .with { $0.csv = Data(conscription.utf8); $0.fileName = "giao-quan-2018.csv"; $0.recordKind = "conscription" }, options: Self.officer)
                    let drills = [
                        Self.drill("dt-kvpt-305", "305", .areaDefence, plannedMonth: 5, heldOn: LocalDay.make(2018, 5, 20)),
                        Self.drill("dt-kvpt-304", "304", .areaDefence, plannedMonth: 9),
                        Self.drill("dt-kvpt-309", "309", .areaDefence, plannedMonth: 10),
                        Self.drill("dt-kvpt-315", "315", .areaDefence, plannedMonth: 6, heldOn: LocalDay.make(2018, 6, 12)),
                        Self.drill("dt-pctt-315", "315", .disasterResponse, plannedMonth: 7),
                        Self.drill("dt-cdpt-11776", "315", commune: "11776", .combatDefence, plannedMonth: 4, heldOn: LocalDay.make(2018, 4, 10)),
                        Self.drill("dt-cdpt-11779", "315", commune: "11779", .combatDefence, plannedMonth: 5, heldOn: LocalDay.make(2018, 5, 5)),
                        Self.drill("dt-cdpt-11782", "315", commune: "11782", .combatDefence, plannedMonth: 8),
                    ]
                    for record in drills { _ = try await officer.putRecord(Self.put(record), options: DepartmentFixture.options(agency: "military-command").with(role: "security")) }
                }

                // What anyone may read: observations and the year to date, aggregates only.
                let reports = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("security")))
                let observations = try await reports.listObservations(.with { $0.year = 2018 }, options: Self.clerk).observations.map(Self.line)
                #expect(observations.filter { $0.contains("ma túy") && $0.hasPrefix("305") } == (1...6).map { "305 [số vụ ma túy] month:2018-0\($0) = \($0 == 6 ? 2 : 0) count" })
                #expect(observations.filter { $0.contains("phạm pháp hình sự") && $0.hasPrefix("315") && $0.contains("2018-05") } == ["315 [số vụ phạm pháp hình sự] month:2018-05 = 1 count"])
                #expect(observations.filter { $0.contains("[tai nạn giao thông: số vụ]") && $0.hasPrefix(city) } == [
                    "\(city) [tai nạn giao thông: số vụ] month:2018-01 = 7 count", "\(city) [tai nạn giao thông: số vụ] month:2018-02 = 3 count",
                ])
                #expect(observations.filter { $0.contains("giao quân") } == [
                    "305 [giao quân: tỷ lệ hoàn thành chỉ tiêu] year:2018 = 100 percent (300/300)",
                    "315 [giao quân: tỷ lệ hoàn thành chỉ tiêu] year:2018 = 96 percent (240/250)",
                    "\(city) [giao quân: tỷ lệ hoàn thành chỉ tiêu] year:2018 = 98.18 percent (540/550)",
                ])
                #expect(observations.filter { $0.hasPrefix(city) && $0.contains("diễn tập") } == [
                    "\(city) [diễn tập chiến đấu phòng thủ: tỷ lệ hoàn thành] year:2018 = 66.67 percent (2/3)",
                    "\(city) [diễn tập chiến đấu phòng thủ: tỷ lệ xã, phường, thị trấn đã diễn tập] year:2018 = 0.9 percent (2/223)",
                    "\(city) [diễn tập khu vực phòng thủ: tỷ lệ hoàn thành] year:2018 = 50 percent (2/4)",
                    "\(city) [diễn tập phòng chống thiên tai - tìm kiếm cứu nạn: tỷ lệ hoàn thành] year:2018 = 0 percent (0/1)",
                ])
                #expect(observations.contains("315 [diễn tập chiến đấu phòng thủ: tỷ lệ xã, phường, thị trấn đã diễn tập] year:2018 = 8.7 percent (2/23)"))

                let client = Self.client(rpc)
                let ytd = try await client.getYearToDate(.with { $0.year = 2018 }, options: Self.clerk)
                #expect(ytd.orgUnitCode == city && ytd.throughMonth == 6)
                #expect(ytd.trafficCases.thisYear == 10 && ytd.trafficCases.samePeriodLastYear == 13 && ytd.trafficCases.change == -3 && ytd.trafficCases.percentChange == "-23.08")
                #expect(ytd.trafficDeaths.thisYear == 3 && ytd.trafficDeaths.samePeriodLastYear == 4 && ytd.trafficDeaths.percentChange == "-25")
                #expect(ytd.trafficInjuries.thisYear == 7 && ytd.trafficInjuries.samePeriodLastYear == 11 && ytd.trafficInjuries.percentChange == "-36.36")
                #expect(ytd.trafficFellOnAllThree)
                let drugs = try #require(ytd.cases.first { $0.category == .drugs })
                // Last year has accidents but no case at all: the case register was not kept, so no comparison.
                #expect(drugs.cases.thisYear == 2 && !drugs.cases.lastYearRecorded && drugs.cases.samePeriodLastYear == 0 && drugs.cases.percentChange.isEmpty)
                #expect(ytd.fireCases.thisYear == 2 && !ytd.fireCases.lastYearRecorded && ytd.fireDamage.amount == "0.35")
                #expect(ytd.conscriptionQuota == 550 && ytd.conscriptionDelivered == 540 && ytd.conscriptionPercent == "98.18")
                #expect(ytd.drills.map { "\($0.kind) \($0.held)/\($0.planned) \($0.percent)" } == ["areaDefence 2/4 50", "disasterResponse 0/1 0", "combatDefence 2/3 66.67"])
                #expect(ytd.communesDrilled == 2 && ytd.communes == 223 && ytd.communesDrilledPercent == "0.9")
                // Lê Chân: fewer accidents and injuries, as many deaths (2 and 2) — not a fall on all three measures.
                let leChan = try await client.getYearToDate(.with { $0.year = 2018; $0.orgUnitCode = "305"; $0.throughMonth = 2 }, options: Self.clerk)
                #expect(leChan.trafficCases.thisYear == 8 && leChan.trafficCases.samePeriodLastYear == 10 && leChan.trafficDeaths.change == 0)
                #expect(leChan.trafficInjuries.change == -3 && !leChan.trafficFellOnAllThree)
            }
        }

        @Test("invalid records are refused with every field named, without quoting a case's text, and nothing is stored")
        func validation() async throws {
            try await DepartmentFixture.run(Self.security()) { _ in
                try await Self.withCaller(brokerUser: Self.caseReader) { officerRPC in
                    let officer = Self.client(officerRPC)
                    func violations(_ record: Planmonitor_Security_V1_SecurityRecord) async throws -> (RPCError, [String: String]) {
                        let error = try await #require(throws: RPCError.self) { try await officer.putRecord(Self.put(record), options: Self.officer) }
                        #expect(error.code == .invalidArgument)
                        return (error, Dictionary(error.fieldViolations.map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 }))
                    }
                    let traffic = Planmonitor_Security_V1_SecurityRecord.with {
                        $0.traffic = .with { $0.recordID = "tngt-305-2018-3"; $0.orgUnitCode = "305"; $0.year = 2018; $0.month = 3; $0.deaths = 2; $0.injuries = 1 }
                    }
                    let (_, noAccident) = try await violations(traffic)
                    #expect(noAccident == [
                        "record.traffic-accidents.deaths": "2 reported for a month with no accident (cases is 0)",
                        "record.traffic-accidents.injuries": "1 reported for a month with no accident (cases is 0)",
                    ])
                    let (_, nowhere) = try await violations(Self.drill("dt-kvpt-310", "310", .areaDefence, plannedMonth: 5))
                    #expect(nowhere["record.drill.org_unit_code"]?.hasPrefix("unknown org unit '310' (this instance serves \(Self.city) and the units below it") == true)
                    let (_, wrongCommune) = try await violations(Self.drill("dt-cdpt-11368", "315", commune: "11368", .combatDefence, plannedMonth: 4, heldOn: LocalDay.make(2017, 12, 1)))
                    #expect(wrongCommune == [
                        "record.drill.commune_code": "11368 (Phường Cát Dài) is in district 305, not 315",
                        "record.drill.held_on": "2017-12-01 is outside the plan's year 2018",
                    ])
                    let (_, districtDrill) = try await violations(Self.drill("dt-kvpt-305", "305", commune: "11368", .areaDefence, plannedMonth: 13))
                    #expect(districtDrill["record.drill.commune_code"] == "a district drill names no commune (only combat-defence drills are held by communes)")
                    #expect(districtDrill["record.drill.planned_month"] == "13 is not a month (1–12)")
                    let fire = Planmonitor_Security_V1_SecurityRecord.with {
                        $0.fires = .with { $0.recordID = "chay-no-305-2018-4"; $0.orgUnitCode = "305"; $0.year = 2018; $0.month = 4; $0.damage = .init(amount: "120", unit: .millionVnd) }
                    }
                    let (_, noFire) = try await violations(fire)
                    #expect(noFire == ["record.fires-explosions.damage": "120 million_vnd of damage reported for a month with no fire or explosion (cases is 0)"])

                    let secret = "Đối tượng Nguyễn Văn Bí Mật khai nhận tại số 12 phố Bí Mật"
                    var named = Self.securityCase("hs 2018/02", "315", commune: "11368", on: LocalDay.make(2018, 2, 30), .unspecified, description: secret)
                    named.securityCase.suspects = -1
                    let (error, badCase) = try await violations(named)
                    #expect(badCase == [
                        "record.security-case.record_id": "must be at most 100 letters, digits, '.', '_' or '-' (an id names no person or place)",
                        "record.security-case.commune_code": "11368 (Phường Cát Dài) is in district 305, not 315",
                        "record.security-case.occurred_on": "2018-02-30 is not a calendar day",
                        "record.security-case.category": "missing (criminal, economic, environmental, public-order, drugs, smuggling)",
                        "record.security-case.suspects": "-1 is negative",
                    ])
                    #expect(!"\(error.message) \(error.fieldViolations)".contains("Bí Mật"), "no reply quotes the case: \(error)")
                    let conscription = Planmonitor_Security_V1_SecurityRecord.with { $0.conscription = .with { $0.recordID = "giao-quan-305-2018"; $0.orgUnitCode = Self.city; $0.year = 2018 } }
                    let (_, noQuota) = try await violations(conscription)
                    #expect(noQuota["record.conscription.org_unit_code"]?.hasPrefix("\(Self.city) is the instance's own unit") == true)
                    #expect(noQuota["record.conscription.quota"] == "0 is not a quota (above zero)")
                }
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM security.records") == 0)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM security.outbox WHERE routing_key LIKE 'security.%'") == 0)
            }
        }

        @Test("a case's marker is in no message the broker carried, no outbox row, no log line and no reply to another caller")
        func dataMinimization() async throws {
            let marker = "DẤU-VẾT-VỤ-ÁN-7F3A"
            let lines = CapturedLogLines()
            var serviceLogger = Logger(label: "planmonitor.security", factory: { _ in CapturingLogHandler(lines: lines) })
            serviceLogger.logLevel = .trace
            let carried = CapturedMessages()
            try await DepartmentFixture.run(Self.security(logger: serviceLogger)) { rpc in
                // Everything published on the events and dead-letter exchanges from now on, into a queue of the test.
                let admin = AMQPConnection(configuration: AMQPConfiguration(
                    host: ServiceStack.amqpHost, port: ServiceStack.amqpPort, virtualHost: ServiceStack.virtualHost,
                    username: ServiceStack.amqpAdminUser, password: ServiceStack.amqpAdminPassword, connectionName: "service-tests-security-capture"), logger: ServiceStack.logger)
                try await admin.waitUntilConnected(timeout: .seconds(10))
                let queue = "planmonitor.tests.security-capture.\(UUID().uuidString.lowercased())"
                try await admin.declare(AMQPTopology(
                    queues: [AMQPQueue(name: queue, durable: false, exclusive: true, autoDelete: true, arguments: ["x-queue-type": .string("classic")])],
                    bindings: [
                        AMQPBinding(queue: queue, exchange: Wire.eventsExchange, bindingKey: "#"),
                        AMQPBinding(queue: queue, exchange: Wire.deadLetterExchange, bindingKey: "#"),
                    ]))
                let consumer = try await admin.consume(queue: queue, noAck: true)
                let capture = Task {
                    for try await delivery in consumer { carried.append(delivery) }
                }

                try await Self.withCaller(brokerUser: Self.caseReader) { officerRPC in
                    let officer = Self.client(officerRPC)
                    let secretCase = Self.securityCase("hs-2018-0777", "305", commune: "11371", on: LocalDay.make(2018, 4, 9), .smuggling, description: "Vận chuyển hàng lậu \(marker)")
                    let created = try await officer.putRecord(Self.put(secretCase), options: Self.officer)
                    #expect(created.derivedObservations.contains { $0.indicator == "số vụ buôn lậu, gian lận thương mại" && $0.orgUnitCode == "305" && $0.value.value == "1" })
                    var amended = secretCase
                    amended.securityCase.category = .drugs
                    amended.securityCase.description_p = "Vận chuyển ma túy \(marker), đã khởi tố"
                    _ = try await officer.putRecord(Self.put(amended, amend: true, reason: "điều tra xác định lại tội danh"), options: Self.officer)
                    var invalid = Self.securityCase("hs-2018-0778", "305", on: LocalDay.make(2018, 4, 10), .unspecified, description: marker)
                    invalid.securityCase.occurredOn = LocalDay.make(2018, 4, 31)
                    let refused = try await #require(throws: RPCError.self) { try await officer.putRecord(Self.put(invalid), options: Self.officer) }
                    #expect(!"\(refused.message) \(refused.fieldViolations)".contains(marker))
                    let csv = """
                        Mã vụ việc,Mã đơn vị,Ngày xảy ra,Loại,Nội dung
                        hs-2018-0779,315,12/04/2018,ma túy,"Tàng trữ \(marker)"
                        hs-2018-0780,315,13/04/2018,buôn lậu,"Buôn lậu \(marker)"
                        """
                    let imported = try await officer.importRecordsCsv(.with { $0.csv = Data(csv.utf8); $0.fileName = "vu-viec-t4-\(marker).csv"; $0.recordKind = "security-case" }, options: Self.officer)
                    #expect(imported.created == 2)
                    // The marker is really kept inside: the security role reads it back.
                    let kept = try await officer.listRecords(.with { $0.year = 2018; $0.recordKind = "security-case" }, options: Self.officer)
                    #expect(kept.records.filter { $0.record.securityCase.description_p.contains(marker) }.count == 3)
                }
                // A caller without the role tries to write one: refused, and the refusal's log line names no case.
                await #expect(throws: RPCError.self) {
                    try await Self.client(rpc).putRecord(Self.put(Self.securityCase("hs-2018-0781", "305", on: LocalDay.make(2018, 4, 11), .drugs, description: marker)), options: Self.clerk)
                }

                // What other callers read.
                let reports = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: ServiceStack.target("security")))
                let observations = try await reports.listObservations(.with { $0.year = 2018 }, options: Self.clerk)
                let ytd = try await Self.client(rpc).getYearToDate(.with { $0.year = 2018 }, options: Self.clerk)
                #expect(ytd.cases.first { $0.category == .drugs }?.cases.thisYear == 2 && ytd.cases.first { $0.category == .smuggling }?.cases.thisYear == 1)
                for reply in [try observations.serializedData(), try ytd.serializedData(), Data(try observations.jsonString().utf8)] {
                    #expect(reply.range(of: Data(marker.utf8)) == nil)
                }

                // Every event the service published reached the capture queue; none carries the marker.
                let published = try await ServiceStack.withAdminDatabase { client in
                    var rows: [(id: String, body: Data, headers: String)] = []
                    let query = try await client.query(
                        "SELECT message_id::text, body, headers::text FROM security.outbox WHERE routing_key LIKE 'security.%' ORDER BY sequence", logger: ServiceStack.logger)
                    for try await (id, body, headers) in query.decode((String, Data, String).self) { rows.append((id, body, headers)) }
                    return rows
                }
                #expect(published.count == 4 + 3, "an aggregate event per stored version (2 by RPC, 2 by CSV), an observations event per call: \(published.count)")
                #expect(published.allSatisfy { $0.body.range(of: Data(marker.utf8)) == nil && !$0.headers.contains(marker) })
                _ = try await waitFor(timeout: .seconds(20)) {
                    Set(published.map(\.id)).isSubset(of: carried.messageIDs) ? true : nil
                }
                consumer.cancel()
                capture.cancel()
                _ = await capture.result
                await admin.close()
                let messages = carried.all
                #expect(messages.filter { $0.routingKey.hasPrefix("security.record-changed.") }.count == 4)
                for message in messages {
                    #expect(Data(message.body).range(of: Data(marker.utf8)) == nil, "\(message.exchange) \(message.routingKey) carries the marker")
                }
                let aggregate = try #require(messages.first { $0.routingKey == "security.record-changed.305" })
                let event = try Planmonitor_Security_V1_SecurityAggregatesChanged(serializedBytes: aggregate.body)
                #expect(event.orgUnitCode == "305" && event.year == 2018 && event.month == 4 && event.recordKind == "security-case" && event.action == .created)
            }
            let logged = lines.all
            #expect(logged.contains { $0.contains("stored a record") } && logged.contains { $0.contains("refused a call without the security role") })
            #expect(!logged.contains { $0.contains(marker) }, "\(logged.filter { $0.contains(marker) })")
        }

        @Test("case-level queries need the security role from an allowed broker user; aggregates need none")
        func permission() async throws {
            try await DepartmentFixture.run(Self.security()) { rpc in
                let description = "Cố ý gây thương tích tại chợ Hàng Kênh"
                try await Self.withCaller(brokerUser: Self.caseReader) { officerRPC in
                    _ = try await Self.client(officerRPC).putRecord(
                        Self.put(Self.securityCase("hs-2018-0301", "305", commune: "11392", on: LocalDay.make(2018, 3, 8), .criminal, description: description)), options: Self.officer)
                }
                let list = Planmonitor_Department_V1_ListRecordsRequest.with { $0.year = 2018 }
                let anyone = Self.client(rpc)
                for options in [Self.clerk, Self.officer] {
                    let refused = try await #require(throws: RPCError.self) { try await anyone.listRecords(list, options: options) }
                    #expect(refused.code == .permissionDenied)
                    #expect(refused.message.contains("caller: broker user 'planctl'"), "\(refused.message)")
                }
                await #expect { try await anyone.getRecordHistory(.with { $0.recordID = "hs-2018-0301" }, options: Self.officer) } throws: { error in
                    (error as? RPCError)?.code == .permissionDenied
                }
                try await Self.withCaller(brokerUser: Self.caseReader) { officerRPC in
                    let officer = Self.client(officerRPC)
                    let withoutRole = try await #require(throws: RPCError.self) { try await officer.listRecords(list, options: Self.clerk) }
                    #expect(withoutRole.code == .permissionDenied && withoutRole.message.contains("role none"))
                    let listed = try await officer.listRecords(list, options: Self.officer)
                    #expect(listed.records.map(\.record.securityCase.description_p) == [description])
                    #expect(listed.records.first?.change.changedBy.user == "tran.van.d")
                    let history = try await officer.getRecordHistory(.with { $0.recordID = "hs-2018-0301" }, options: Self.officer)
                    #expect(history.versions.count == 1 && history.versions[0].record.securityCase.communeCode == "11392")
                }
                let aggregates = try await anyone.getYearToDate(.with { $0.year = 2018 }, options: Self.clerk)
                #expect(aggregates.cases.first { $0.category == .criminal }?.cases.thisYear == 1 && aggregates.throughMonth == 3)
            }
        }
    }
}

extension RPCCallOptions {
    /// The options with call metadata `role` set.
    func with(role: String) -> RPCCallOptions {
        var options = self
        options.metadata["role"] = role
        return options
    }
}

/// The lines a service logged, kept for searching.
final class CapturedLogLines: Sendable {
    private let lines = Mutex<[String]>([])

    /// Adds a line.
    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    /// Every line so far.
    var all: [String] { lines.withLock { $0 } }
}

/// A log handler that keeps each line — level, message, metadata, error and source — in ``CapturedLogLines``.
struct CapturingLogHandler: LogHandler {
    let lines: CapturedLogLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.level) \(event.message) \(merged) \(event.error.map { "\($0)" } ?? "") \(event.source)")
    }
}

/// The messages a test's queue received.
final class CapturedMessages: Sendable {
    private let messages = Mutex<[AMQPDelivery]>([])

    /// Adds a delivery.
    func append(_ delivery: AMQPDelivery) {
        messages.withLock { $0.append(delivery) }
    }

    /// Every delivery so far.
    var all: [AMQPDelivery] { messages.withLock { $0 } }

    /// The `message_id`s received so far.
    var messageIDs: Set<String> { Set(all.compactMap(\.properties.messageID)) }
}
