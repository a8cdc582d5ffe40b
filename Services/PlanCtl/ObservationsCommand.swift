import ArgumentParser
import PlanContracts

/// `planctl observations SERVICE --year Y`: ListObservations.
struct ObservationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observations",
        abstract: "List the current figures a department service reports for its targets: reported, derived from records or published."
    )

    @Argument(help: "The department service (\(departmentNames)).")
    var service: String

    @Option(help: "Year.")
    var year: Int32

    @Option(help: "Only this target number (0: figures tied to no target).")
    var target: Int32?

    @Option(help: "GSO code of the unit (default: every unit).")
    var orgUnitCode: String?

    @Flag(help: "Print the service's answer as JSON.")
    var json = false

    @Option(help: "Seconds to wait for the service.")
    var timeout = Seconds(10)

    @OptionGroup var caller: CallerOptions
    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        try validateDepartment(service)
    }

    func run() async throws {
        try await reportingFailures {
            var request = Planmonitor_Department_V1_ListObservationsRequest()
            request.year = year
            request.targetNumber = target ?? 0
            request.orgUnitCode = orgUnitCode ?? ""
            let options = caller.callOptions(timeout: timeout)
            let response = try await broker.withRPC { rpc in
                do {
                    return try await Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: broker.target(service)))
                        .listObservations(request, options: options)
                } catch {
                    throw CommandFailure("không lấy được số liệu chỉ tiêu của \(service)", error)
                }
            }
            printText(json ? try prettyJSON(response) : "Số liệu: \(response.observations.count)\n" + observationTable(response.observations))
        }
    }
}
