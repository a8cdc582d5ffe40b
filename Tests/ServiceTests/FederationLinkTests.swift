import AMQPClient
@testable import Aggregator
@testable import BudgetService
@testable import CityPicture
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import PlanContracts
import PlanMessaging
import PostgresNIO
import ServiceRuntime
import StackTestSupport
import Testing

/// A district deployment federated to the city over real RabbitMQ nodes, and the link going down: the node `scratch`
/// plays the city broker (so the shared `city` node is not disturbed), `lechan` the Lê Chân broker. Both get a virtual
/// host of their own, so the test shares nothing with a demo or the district services running on `lechan`.
@Suite("Federation link between a district and the city")
struct FederationLinkTests {
    static let city = BrokerNode(name: "scratch", amqpPort: 5679, managementPort: 15679)
    static let district = BrokerNode(name: "lechan", amqpPort: 5674, managementPort: 15674)
    static let cityCode = "31"
    static let districtCode = "305"
    /// The schemas of the city's aggregator and the district's budget service in the test database.
    static let aggregatorSchema = "federation_city_aggregator"
    static let budgetSchema = "federation_district_budget"
    /// Lê Chân's People's Committee: the district agency reporting to every department.
    static let districtAgency = "district-305-pc"

    @Test("the district keeps working while the city broker is down; afterwards the city has every event once")
    func cityBrokerOutage() async throws {
        try await withScratchNode {
            try await StackScript.run("node", "start", Self.district.name)
            let topology = try await FederationTopology.create(city: Self.city, district: Self.district)
            do {
                try await Self.runDeployments(topology)
            } catch {
                _ = try? await StackScript.run("node", "start", Self.city.name)
                try? await topology.remove()
                throw error
            }
            try await topology.remove()
        }
    }

    /// The budget records and monthly reports sent in the district: before the outage, during it.
    struct Submissions {
        var revenueByMonth: [Int32: Decimal]
        var reportMonths: [Int32]

        /// The events the district's budget service publishes for them: per record `BudgetRecordChanged` and
        /// `ObservationsRecorded` (the cumulative revenue changed), per report `MonthlyReportSubmitted` (no figures).
        var eventCount: Int { 2 * revenueByMonth.count + reportMonths.count }
    }

    static let beforeOutage = Submissions(revenueByMonth: [1: 412.5, 2: 388.25, 3: 401], reportMonths: [3])
    static let duringOutage = Submissions(revenueByMonth: [4: 395.75, 5: 420, 6: 437.125], reportMonths: [6])

    /// Runs the city's aggregator on the city node and the district's budget service on the district node, on fresh
    /// schemas, through ``runOutage(_:aggregator:)``.
    static func runDeployments(_ topology: FederationTopology) async throws {
        try await resetSchema(aggregatorSchema, owner: "aggregator")
        try await resetSchema(budgetSchema, owner: "budget")
        let aggregator = buildAggregator(
            configuration: try configuration(service: "aggregator", orgUnit: cityCode, node: city, schema: aggregatorSchema, topology: topology),
            logger: ServiceStack.logger)
        let budget = buildBudgetService(
            configuration: try configuration(service: "budget", orgUnit: districtCode, node: district, schema: budgetSchema, topology: topology),
            logger: ServiceStack.logger)
        let services = RunningServices([aggregator, budget])
        do {
            try await runOutage(topology, aggregator: aggregator)
        } catch {
            try await services.stop()
            throw error
        }
        try await services.stop()
    }

    /// The directive from the city to the district, the district's records and reports to the city, the city broker's
    /// outage and return, and the city's picture checked against what the district sent.
    static func runOutage(_ topology: FederationTopology, aggregator: ServiceApplication) async throws {
        // Both services consume, and each link carries what the other side is bound to.
        _ = try await waitFor(timeout: .seconds(30)) { try await topology.carries(Wire.eventRoutingKey(domain: "directive", event: "issued", orgUnit: "*"), to: district) ? true : nil }
        for key in PictureEvents.bindings + [FederationTopology.probeBindingKey] {
            _ = try await waitFor(timeout: .seconds(30)) { try await topology.carries(key, to: city) ? true : nil }
        }

        // The city imports the 2018 directive; the district's budget service gets its share over the link.
        try await withRPC(on: city, topology: topology) { rpc in
            let target = RPCTarget(service: "aggregator", orgUnit: cityCode)
            try await waitUntilServing(target, rpc: rpc)
            let directives = Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: target))
            var request = Planmonitor_Directive_V1_ImportDirectiveRequest()
            request.text = try Data(contentsOf: ServiceStack.directiveFile)
            request.fileName = ServiceStack.directiveFile.lastPathComponent
            _ = try await directives.importDirective(request, options: RPCCallOptions(timeout: .seconds(30)))
        }
        let port = try await waitFor(timeout: .seconds(10)) { aggregator.httpPort }
        let pictureURL = URL(string: "http://127.0.0.1:\(port)/api/picture?unit=\(districtCode)&month=2018-06")!

        try await withRPC(on: district, topology: topology) { rpc in
            try await waitUntilServing(RPCTarget(service: "budget", orgUnit: districtCode), rpc: rpc)
            let sharedTargets = try await waitFor(timeout: .seconds(30)) { () async throws -> [Int32]? in
                let numbers = try await districtShareTargets()
                return numbers.isEmpty ? nil : numbers
            }
            #expect(sharedTargets.contains(6), "the budget share holds target 6, domestic revenue")

            // With the link up, the district's figures reach the city's picture.
            try await submit(beforeOutage, rpc: rpc)
            let sentBefore = try await districtOutbox()
            _ = try await waitFor(timeout: .seconds(30)) { try await cityEventLog().count == sentBefore.count ? true : nil }

            // The city broker goes down (a WAN outage, or the city's machine). The district goes on accepting
            // records and reports; its outbox drains into its own broker, where the link's queue keeps them.
            try await StackScript.run("node", "stop", city.name)
            try await submit(duringOutage, rpc: rpc)
            let sentInTotal = try await waitFor(timeout: .seconds(30)) {
                let rows = try await districtOutbox()
                return rows.allSatisfy(\.sent) ? rows : nil
            }
            let buffered = sentInTotal.count - sentBefore.count
            #expect(buffered == duringOutage.eventCount, "each record: RecordChanged and ObservationsRecorded; each report: ReportSubmitted")
            _ = try await waitFor(timeout: .seconds(30)) { try await topology.bufferedForCity() == buffered ? true : nil }
            #expect(try await cityEventLog().count == sentBefore.count, "nothing reached the city while its broker was down")

            // The city broker comes back: the link resumes by itself and delivers what the district buffered.
            let restart = ContinuousClock.now
            try await StackScript.run("node", "start", city.name)
            let nodeReady = ContinuousClock.now
            _ = try await waitFor(timeout: .seconds(60)) { try await topology.linkRunning(on: city) ? true : nil }
            let linkRunning = ContinuousClock.now
            _ = try await waitFor(timeout: .seconds(60)) { try await cityEventLog().count == sentInTotal.count ? true : nil }
            let caughtUp = ContinuousClock.now
            print("""
                FederationLinkTests: \(buffered) events buffered on \(district.name); city node started in \(nodeReady - restart); \
                then the link ran after \(linkRunning - nodeReady) and the aggregator had applied them all after \(caughtUp - nodeReady)
                """)

            // Nothing lost, nothing twice: the city logged exactly the district's events, each once (and nothing else),
            // and the city broker got them with the district service's user_id, which RabbitMQ validated in the district.
            let logged = try await cityEventLog()
            #expect(Set(logged) == Set(sentInTotal.map(\.messageID)))
            #expect(logged.count == Set(logged).count)
            _ = try await waitFor(timeout: .seconds(30)) { try await topology.bufferedForCity() == 0 ? true : nil }
            let probed = try await topology.takeProbedEvents()
            #expect(Set(probed.map(\.messageID)) == Set(sentInTotal.map(\.messageID)))
            #expect(probed.count == sentInTotal.count, "the link carried each event once")
            #expect(probed.allSatisfy { $0.userID == "budget" }, "\(Set(probed.map(\.userID)))")

            // The figures are the sums sent: the records, the cumulative domestic revenue, the reports.
            let sent = beforeOutage.revenueByMonth.merging(duringOutage.revenueByMonth) { first, _ in first }
            let records = try await cityBudgetRecordCount()
            #expect(records == sent.count)
            let reports = try await cityReportMonths(districtCode)
            #expect(reports == (beforeOutage.reportMonths + duringOutage.reportMonths).sorted())
            let total = sent.values.reduce(0, +)
            let picture = try await waitFor(timeout: .seconds(10)) { () async throws -> Picture? in
                let (data, response) = try await URLSession.shared.data(from: pictureURL)
                guard (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
                return try JSONDecoder.iso8601.decode(Picture.self, from: data)
            }
            let revenue = try #require(picture.targets.first { $0.code == "6" })
            #expect(revenue.latest?.value == NSDecimalNumber(decimal: total).doubleValue, "Lê Chân's domestic revenue January–June")
            #expect(revenue.series.map(\.month) == Array(1...6))
            #expect(revenue.latest?.provenance.first?.orgUnitCode == districtCode)
            #expect(picture.compliance.agencies.contains { $0.agencyCode == districtAgency })

            // Nothing came back to the district: its budget service took the directive once, and only it.
            #expect(try await districtInbox() == [Planmonitor_Directive_V1_DirectiveIssued.protoMessageName])
        }
    }

    /// Waits until `target` answers HealthService.Check with SERVING.
    static func waitUntilServing(_ target: RPCTarget, rpc: RPCClient) async throws {
        let health = Planmonitor_Health_V1_HealthService.Client(transport: rpc.transport(to: target))
        _ = try await waitFor(timeout: .seconds(30)) { () async throws -> Bool? in
            try await health.check(.init(), options: RPCCallOptions(timeout: .seconds(1))).status == .serving ? true : nil
        }
    }

    /// Records one domestic-revenue collection per month and submits the monthly reports, in the district.
    static func submit(_ submissions: Submissions, rpc: RPCClient) async throws {
        let target = RPCTarget(service: "budget", orgUnit: districtCode)
        let budget = Planmonitor_Budget_V1_BudgetService.Client(transport: rpc.transport(to: target))
        for (month, amount) in submissions.revenueByMonth.sorted(by: { $0.key < $1.key }) {
            var record = Planmonitor_Budget_V1_BudgetRecord()
            record.execution = .with {
                $0.recordID = "le-chan-thu-noi-dia-2018-\(month)"
                $0.orgUnitCode = districtCode
                $0.year = 2018
                $0.month = month
                $0.direction = .revenue
                $0.classificationCode = "domestic.taxes-fees"
                $0.amount = Planmonitor_Common_V1_Money(amount: "\(amount)", unit: .billionVnd)
            }
            _ = try await budget.putRecord(.with { $0.record = record }, options: DepartmentFixture.options(agency: districtAgency))
        }
        let reports = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: target))
        for month in submissions.reportMonths {
            _ = try await reports.submitMonthlyReport(.with {
                $0.report.orgUnitCode = districtCode
                $0.report.agencyCode = districtAgency
                $0.report.year = 2018
                $0.report.month = month
                $0.report.tasks = [.with { $0.taskKey = "2018-I.1.1"; $0.status = .inProgress; $0.note = "Quận Lê Chân: thu ngân sách tháng \(month) đạt tiến độ" }]
            }, options: DepartmentFixture.options(agency: districtAgency))
        }
    }

    /// The configuration of a service of `orgUnit` connected to `node`'s test virtual host, with its tables in `schema`.
    static func configuration(service: String, orgUnit: String, node: BrokerNode, schema: String, topology: FederationTopology) throws -> ServiceConfiguration {
        var environment = ServiceStack.serviceEnvironment()
        environment["PLANMONITOR_ORG_UNIT"] = orgUnit
        environment["PLANMONITOR_AMQP_PORT"] = String(node.amqpPort)
        environment["PLANMONITOR_AMQP_VHOST"] = topology.virtualHost
        var configuration = try ServiceConfiguration.fromEnvironment(service: service, environment: environment)
        configuration.database.schema = schema
        return configuration
    }

    /// An RPC client connected to `node` as `planctl`.
    static func withRPC<Value: Sendable>(on node: BrokerNode, topology: FederationTopology, _ body: (RPCClient) async throws -> Value) async throws -> Value {
        let connection = AMQPConnection(configuration: AMQPConfiguration(
            host: "127.0.0.1", port: node.amqpPort, virtualHost: topology.virtualHost, username: "planctl", password: "planmonitor-planctl-dev",
            connectionName: "federation-tests-planctl-\(node.name)"), logger: ServiceStack.logger)
        try await connection.waitUntilConnected(timeout: .seconds(10))
        let rpc = RPCClient(connection: connection, identity: ServiceIdentity(service: "planctl", orgUnit: cityCode, brokerUser: "planctl"), logger: ServiceStack.logger)
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

    /// Drops and recreates `schema` in the test database, owned by the service role `owner`.
    static func resetSchema(_ schema: String, owner: String) async throws {
        try await ServiceStack.withAdminDatabase { client in
            try await client.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", logger: ServiceStack.logger)
            try await client.query("CREATE SCHEMA \(unescaped: schema) AUTHORIZATION \(unescaped: owner)", logger: ServiceStack.logger)
        }
    }

    /// A row of the district budget service's outbox.
    struct OutboxRow: Sendable {
        var messageID: UUID
        var sent: Bool
    }

    /// Every event the district's budget service has enqueued.
    static func districtOutbox() async throws -> [OutboxRow] {
        try await ServiceStack.withAdminDatabase { client in
            var rows: [OutboxRow] = []
            let query: PostgresQuery = "SELECT message_id, sent_at IS NOT NULL FROM \(unescaped: budgetSchema).outbox ORDER BY sequence"
            for try await (messageID, sent) in try await client.query(query, logger: ServiceStack.logger).decode((UUID, Bool).self) {
                rows.append(OutboxRow(messageID: messageID, sent: sent))
            }
            return rows
        }
    }

    /// The target numbers of the budget service's share of the city's 2018 directive, revision 1, as the district keeps
    /// it in its tables (under the city's code).
    static func districtShareTargets() async throws -> [Int32] {
        try await ServiceStack.withAdminDatabase { client in
            var numbers: [Int32] = []
            let query: PostgresQuery = """
                SELECT number FROM \(unescaped: budgetSchema).directive_share_targets
                WHERE org_unit_code = \(cityCode) AND year = 2018 AND revision = 1 ORDER BY number
                """
            for try await number in try await client.query(query, logger: ServiceStack.logger).decode(Int32.self) { numbers.append(number) }
            return numbers
        }
    }

    /// The message types the district's budget service took from its event queue.
    static func districtInbox() async throws -> [String] {
        try await ServiceStack.withAdminDatabase { client in
            var types: [String] = []
            let query: PostgresQuery = "SELECT message_type FROM \(unescaped: budgetSchema).inbox ORDER BY processed_at"
            for try await type in try await client.query(query, logger: ServiceStack.logger).decode(String.self) { types.append(type) }
            return types
        }
    }

    /// The message ids of the events the city's aggregator logged.
    static func cityEventLog() async throws -> [UUID] {
        try await ServiceStack.withAdminDatabase { client in
            var messageIDs: [UUID] = []
            let query: PostgresQuery = "SELECT message_id FROM \(unescaped: aggregatorSchema).event_log ORDER BY sequence"
            for try await messageID in try await client.query(query, logger: ServiceStack.logger).decode(UUID.self) { messageIDs.append(messageID) }
            return messageIDs
        }
    }

    /// How many budget records the city's read models hold.
    static func cityBudgetRecordCount() async throws -> Int {
        try await ServiceStack.withAdminDatabase { client in
            var count = 0
            let query: PostgresQuery = "SELECT count(*) FROM \(unescaped: aggregatorSchema).rm_records WHERE service = 'budget'"
            for try await value in try await client.query(query, logger: ServiceStack.logger).decode(Int64.self) { count = Int(value) }
            return count
        }
    }

    /// The months of the reports of `orgUnit` in the city's read models, one entry per report version.
    static func cityReportMonths(_ orgUnit: String) async throws -> [Int32] {
        try await ServiceStack.withAdminDatabase { client in
            var months: [Int32] = []
            let query: PostgresQuery = "SELECT month FROM \(unescaped: aggregatorSchema).rm_reports WHERE org_unit_code = \(orgUnit) ORDER BY month"
            for try await month in try await client.query(query, logger: ServiceStack.logger).decode(Int32.self) { months.append(month) }
            return months
        }
    }
}

/// A node of the local stack (`scripts/stack`) and its management HTTP API, used as the administrator.
struct BrokerNode: Sendable {
    var name: String
    var amqpPort: Int
    var managementPort: Int

    /// Sends a request to the management API; the status and body.
    func request(_ method: String, _ path: String, body: Data? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(managementPort)/api\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Basic " + Data("\(ServiceStack.amqpAdminUser):\(ServiceStack.amqpAdminPassword)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Sends `json` (any JSON object) and fails unless the status is one of `accepted`.
    func send(_ method: String, _ path: String, json: Any, accepted: Set<Int> = [201, 204]) async throws {
        let (status, _) = try await request(method, path, body: try JSONSerialization.data(withJSONObject: json))
        guard accepted.contains(status) else { throw UnexpectedStatus(url: "\(method) \(name) \(path)", status: status) }
    }

    /// GETs `path` and decodes its JSON.
    func get(_ path: String) async throws -> Any {
        let (status, data) = try await request("GET", path)
        guard status == 200 else { throw UnexpectedStatus(url: "GET \(name) \(path)", status: status) }
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The node's cluster name, which names the exchanges and queues of the links pulling from it.
    func clusterName() async throws -> String {
        let object = try await get("/cluster-name") as? [String: Any]
        guard let name = object?["name"] as? String else { throw UnexpectedStatus(url: "GET \(self.name) /cluster-name", status: 200) }
        return name
    }
}

/// The two nodes linked both ways in a virtual host of their own, provisioned from `scripts/rabbitmq/definitions.json`
/// (exchanges, the federation policy, users' permissions), with the upstreams `scripts/rabbitmq/federation-upstream`
/// defines — as `scripts/stack federation up` links the city and a district in `planmonitor`.
///
/// On the city, a durable queue (``probeQueue``) takes a copy of every budget event, to look at them as the city
/// broker received them.
struct FederationTopology: Sendable {
    let virtualHost = "planmonitor-federation-test"
    static let probeQueue = "federation-probe"
    static let probeBindingKey = "budget.#"
    /// The node playing the city broker.
    let city: BrokerNode
    /// The node playing the district broker.
    let district: BrokerNode
    /// The nodes' cluster names.
    let cityCluster: String
    let districtCluster: String

    /// Provisions the virtual host on both nodes, adds the probe queue, links the nodes both ways and waits until both
    /// links run.
    static func create(city: BrokerNode, district: BrokerNode) async throws -> FederationTopology {
        let topology = FederationTopology(city: city, district: district, cityCluster: try await city.clusterName(), districtCluster: try await district.clusterName())
        let definitions = try Data(contentsOf: ServiceStack.repositoryRoot.appendingPathComponent("scripts/rabbitmq/definitions.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: definitions) as? [String: Any])
        for node in [city, district] {
            try await topology.provision(node, definitions: definitions, object: object)
        }
        try await city.send("PUT", "/queues/\(topology.virtualHost)/\(probeQueue)", json: ["durable": true])
        try await city.send("POST", "/bindings/\(topology.virtualHost)/e/planmonitor.events/q/\(probeQueue)", json: ["routing_key": probeBindingKey])
        try await topology.defineUpstream(on: city, name: district.name, pullingFrom: district)
        try await topology.defineUpstream(on: district, name: "city", pullingFrom: city)
        for node in [city, district] {
            _ = try await waitFor(timeout: .seconds(30)) { try await topology.linkRunning(on: node) ? true : nil }
        }
        return topology
    }

    /// True when the link running on `node` (pulling from the other node) is connected.
    func linkRunning(on node: BrokerNode) async throws -> Bool {
        let links = try await node.get("/federation-links/\(virtualHost)?columns=upstream,status") as? [[String: Any]] ?? []
        return links.count == 1 && links[0]["status"] as? String == "running"
    }

    /// Creates the virtual host afresh on `node` (dropping what an interrupted run left) with the definitions' exchanges,
    /// policies and permissions.
    private func provision(_ node: BrokerNode, definitions: Data, object: [String: Any]) async throws {
        _ = try await node.request("DELETE", "/vhosts/\(virtualHost)")
        try await node.send("PUT", "/vhosts/\(virtualHost)", json: [String: Any]())
        let (status, _) = try await node.request("POST", "/definitions/\(virtualHost)", body: definitions)
        guard status == 204 else { throw UnexpectedStatus(url: "POST \(node.name) /definitions/\(virtualHost)", status: status) }
        for permission in object["permissions"] as? [[String: Any]] ?? [] {
            guard let user = permission["user"] as? String else { continue }
            try await node.send("PUT", "/permissions/\(virtualHost)/\(user)", json: permission.filter { ["configure", "write", "read"].contains($0.key) })
        }
        for permission in object["topic_permissions"] as? [[String: Any]] ?? [] {
            guard let user = permission["user"] as? String else { continue }
            try await node.send("PUT", "/topic-permissions/\(virtualHost)/\(user)", json: permission.filter { ["exchange", "write", "read"].contains($0.key) })
        }
    }

    /// Runs `scripts/rabbitmq/federation-upstream put` on `node`: its planmonitor.events pulls from `source`.
    private func defineUpstream(on node: BrokerNode, name: String, pullingFrom source: BrokerNode) async throws {
        var environment = ServiceStack.environment
        environment["PLANMONITOR_AMQP_VHOST"] = virtualHost
        let result = try await run(
            URL(fileURLWithPath: "/bin/sh"),
            arguments: [
                ServiceStack.repositoryRoot.appendingPathComponent("scripts/rabbitmq/federation-upstream").path, "put",
                "http://127.0.0.1:\(node.managementPort)", name,
                "amqp://federation:planmonitor-federation-dev@127.0.0.1:\(source.amqpPort)/\(virtualHost)",
            ],
            environment: environment)
        guard result.status == 0 else { throw UpstreamScriptFailed(output: result.standardError) }
    }

    /// True when the link pulling into `receiver` carries `routingKey`: on the other node, the link's exchange is bound
    /// to planmonitor.events with that key.
    func carries(_ routingKey: String, to receiver: BrokerNode) async throws -> Bool {
        let (source, receivingCluster) = receiver.name == city.name ? (district, cityCluster) : (city, districtCluster)
        let bindings = try await source.get("/exchanges/\(virtualHost)/planmonitor.events/bindings/source") as? [[String: Any]] ?? []
        return bindings.contains {
            ($0["destination"] as? String)?.hasPrefix("federation: planmonitor.events -> \(receivingCluster) ") == true && $0["routing_key"] as? String == routingKey
        }
    }

    /// How many messages wait on the district's broker in the queue of the city's link.
    func bufferedForCity() async throws -> Int {
        let queues = try await district.get("/queues/\(virtualHost)?columns=name,messages") as? [[String: Any]] ?? []
        let queue = queues.first { $0["name"] as? String == "federation: planmonitor.events -> \(cityCluster)" }
        return queue?["messages"] as? Int ?? 0
    }

    /// An event in the city's probe queue: its `message_id` and the `user_id` it arrived with.
    struct ProbedEvent: Sendable {
        var messageID: UUID?
        var userID: String?
    }

    /// Takes every message out of the city's probe queue.
    func takeProbedEvents() async throws -> [ProbedEvent] {
        let request: [String: Any] = ["count": 10_000, "ackmode": "ack_requeue_false", "encoding": "base64"]
        let (status, data) = try await city.request("POST", "/queues/\(virtualHost)/\(Self.probeQueue)/get", body: try JSONSerialization.data(withJSONObject: request))
        guard status == 200 else { throw UnexpectedStatus(url: "POST \(city.name) /queues/\(virtualHost)/\(Self.probeQueue)/get", status: status) }
        let messages = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return messages.map { message in
            let properties = message["properties"] as? [String: Any] ?? [:]
            return ProbedEvent(messageID: (properties["message_id"] as? String).flatMap(UUID.init(uuidString:)), userID: properties["user_id"] as? String)
        }
    }

    /// Deletes the virtual host on both nodes, with the links, their queues and the services' queues.
    func remove() async throws {
        for node in [city, district] {
            let (status, _) = try await node.request("DELETE", "/vhosts/\(virtualHost)")
            guard status == 204 || status == 404 else { throw UnexpectedStatus(url: "DELETE \(node.name) /vhosts/\(virtualHost)", status: status) }
        }
    }
}

/// `scripts/rabbitmq/federation-upstream` failed.
struct UpstreamScriptFailed: Error, CustomStringConvertible {
    var output: String
    var description: String { "scripts/rabbitmq/federation-upstream failed: \(output)" }
}
