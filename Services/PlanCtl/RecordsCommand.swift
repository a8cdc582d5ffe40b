import ArgumentParser
import DirectiveParser
import Foundation
import PlanContracts

/// `planctl records …`: the domain records of every department service.
struct RecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "Import, enter, list and total the records of the department services.",
        discussion: """
            Record kinds — \(RecordService.allCases.map { "\($0.rawValue): \($0.kinds.joined(separator: ", "))" }.joined(separator: "; ")). \
            Changes are recorded with --user ($USER) and --agency. Security cases need --role security and the broker \
            user planctl-security (PLANMONITOR_AMQP_USER).
            """,
        subcommands: [Import.self, List.self, History.self, Put.self, YearToDate.self]
    )

    /// `planctl records import SERVICE KIND FILE`: ImportRecordsCsv.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a CSV file of records of one kind: every row or none.",
            discussion: """
                Rows identical to stored records count as unchanged, so a file can be imported again. A file with a \
                wrong row imports nothing: each problem goes to stderr on a line of its own, naming the line and \
                column, and the exit status is 1.
                """
        )

        @Argument(help: "The service keeping the records.")
        var service: RecordService

        @Argument(help: "The kind of record the rows are (see `planctl records --help`).")
        var kind: String

        @Argument(help: "The CSV file: UTF-8, comma- or semicolon-separated, English or Vietnamese column names.")
        var file: String

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(60)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Department_V1_ImportRecordsCsvRequest()
                request.csv = try readFile(file)
                request.fileName = URL(fileURLWithPath: file).lastPathComponent
                request.recordKind = kind
                let options = caller.callOptions(timeout: timeout)
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await broker.records(of: service, on: rpc)
                            .importRecordsCsv(request, options: options)
                    } catch {
                        throw CommandFailure("không nhập được \(file)", listingReasonsOf: error)
                    }
                }
                printText(Self.report(response, file: request.fileName, kind: kind))
            }
        }

        /// The counts, the ids created, the observations derived anew and the service's notes.
        static func report(_ response: Planmonitor_Department_V1_ImportRecordsCsvResponse, file: String, kind: String) -> String {
            var lines = ["Tệp \(file) (\(kind)): \(response.created) bản ghi mới, \(response.unchanged) bản ghi không thay đổi."]
            if let first = response.recordIds.first, let last = response.recordIds.last {
                lines.append("Mã bản ghi mới: \(response.recordIds.count) (\(first == last ? first : "\(first) … \(last)"))")
            }
            lines += derivedObservationsReport(response.derivedObservations)
            if !response.notes.isEmpty {
                lines.append("Ghi chú:")
                lines += response.notes.map { "  - \($0)" }
            }
            return lines.joined(separator: "\n")
        }
    }

    /// `planctl records list SERVICE --year Y`: ListRecords.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the current version of a year's records.")

        @Argument(help: "The service keeping the records.")
        var service: RecordService

        @Option(help: "Year.")
        var year: Int32

        @Option(help: "GSO code of the unit (default: every unit the instance keeps).")
        var orgUnitCode: String?

        @Option(help: "Only records of this kind.")
        var kind: String?

        @Option(help: "First month, 1–12 (records for the whole year are always listed).")
        var fromMonth: Int32?

        @Option(help: "Last month, 1–12.")
        var toMonth: Int32?

        @Flag(help: "Print the service's answer as JSON.")
        var json = false

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(10)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Department_V1_ListRecordsRequest()
                request.year = year
                request.orgUnitCode = orgUnitCode ?? ""
                request.recordKind = kind ?? ""
                request.monthFrom = fromMonth ?? 0
                request.monthTo = toMonth ?? 0
                let options = caller.callOptions(timeout: timeout)
                let listing = try await broker.withRPC { rpc in
                    do {
                        return try await broker.records(of: service, on: rpc)
                            .listRecords(request, options: options)
                    } catch {
                        throw CommandFailure("không lấy được danh sách bản ghi của \(service)", error)
                    }
                }
                printText(json ? try prettyJSON(listing) : try Self.table(listing.rows()))
            }
        }

        /// One line per record: id, kind, version, unit, period, its other fields, who changed it and when.
        static func table(_ rows: [RecordRow]) -> String {
            var table = TextTable(columns: [
                .init("Mã bản ghi", maximumWidth: 48), .init("Loại"), .init("Phiên bản", alignment: .right), .init("Đơn vị"), .init("Kỳ"),
                .init("Nội dung", maximumWidth: 140), .init("Người sửa"), .init("Lúc"),
            ])
            for row in rows {
                table.append([
                    row.recordID, row.kind, String(row.change.version), row.orgUnitCode, row.period, row.details,
                    actorLabel(row.change.changedBy), timestamp(row.change.changedBy.at),
                ])
            }
            return "Số bản ghi: \(rows.count)\n" + table.rendered()
        }
    }

    /// `planctl records history SERVICE ID`: GetRecordHistory.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every version of a record, oldest first.")

        @Argument(help: "The service keeping the record.")
        var service: RecordService

        @Argument(help: "The record's id.")
        var recordID: String

        @Flag(help: "Print the service's answer as JSON.")
        var json = false

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(10)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Department_V1_GetRecordHistoryRequest()
                request.recordID = recordID
                let options = caller.callOptions(timeout: timeout)
                let history = try await broker.withRPC { rpc in
                    do {
                        return try await broker.records(of: service, on: rpc)
                            .getRecordHistory(request, options: options)
                    } catch {
                        throw CommandFailure("không lấy được lịch sử bản ghi \(recordID)", error)
                    }
                }
                printText(json ? try prettyJSON(history) : try Self.table(history.rows()))
            }
        }

        /// One line per version: number, action, reason, user, agency, time and the record's other fields.
        static func table(_ rows: [RecordRow]) -> String {
            var table = TextTable(columns: [
                .init("Phiên bản", alignment: .right), .init("Thao tác"), .init("Lý do", maximumWidth: 48), .init("Người thực hiện"),
                .init("Cơ quan"), .init("Lúc"), .init("Nội dung", maximumWidth: 140),
            ])
            for row in rows {
                let change = row.change
                table.append([
                    String(change.version), actionLabel(change.action), change.reason, change.changedBy.user,
                    change.changedBy.agencyCode, timestamp(change.changedBy.at), row.details,
                ])
            }
            guard let first = rows.first else { return table.rendered() }
            let unit = first.orgUnitCode.isEmpty ? "" : ", đơn vị \(first.orgUnitCode)"
            return "Bản ghi \(first.recordID) (\(first.kind)\(unit), \(first.period))\n" + table.rendered()
        }
    }

    /// `planctl records put SERVICE FILE [--amend --reason R]`: PutRecord.
    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a record, or amend one, from a JSON file.",
            discussion: """
                The file holds the service's record (BudgetRecord, InvestmentRecord, InfrastructureRecord, SocialRecord, \
                SecurityRecord) in protobuf JSON, e.g. \
                {"execution": {"recordId": "thu-31-2018-6-domestic.taxes-fees", "orgUnitCode": "31", "year": 2018, \
                "month": 6, "direction": "BUDGET_DIRECTION_REVENUE", "classificationCode": "domestic.taxes-fees", \
                "amount": {"amount": "1250.5", "unit": "MONEY_UNIT_BILLION_VND"}}}. A field the record does not have is \
                an error naming it.
                """
        )

        @Argument(help: "The service keeping the record.")
        var service: RecordService

        @Argument(help: "The record, in protobuf JSON.")
        var file: String

        @Flag(help: "Store a new version of an existing record instead of creating one.")
        var amend = false

        @Option(help: "Why the record is amended; required with --amend.")
        var reason: String?

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(30)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            let hasReason = !(reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            if amend && !hasReason { throw ValidationError("--amend needs --reason: say why the record is amended") }
            if !amend && hasReason { throw ValidationError("--reason goes with --amend") }
        }

        func run() async throws {
            try await reportingFailures {
                let response = try await put(service.clientType, options: caller.callOptions(timeout: timeout))
                printText(Self.report(response))
            }
        }

        /// Reads the file as the record of `Client`'s service and sends it to PutRecord.
        private func put<Client: DepartmentRecordsClient>(_ client: Client.Type, options: RPCCallOptions) async throws
            -> Planmonitor_Department_V1_PutRecordResponse
        {
            var request = Client.PutRequest()
            request.record = try readMessage(Client.PutRequest.Record.self, fromJSONFile: file)
            request.amend = amend
            request.reason = reason ?? ""
            return try await broker.withRPC { rpc in
                do {
                    return try await Client(transport: rpc.transport(to: broker.target(service.rawValue))).putRecord(request, options: options)
                } catch {
                    throw CommandFailure("không lưu được bản ghi từ \(file)", error)
                }
            }
        }

        /// The change made and the observations derived anew.
        static func report(_ response: Planmonitor_Department_V1_PutRecordResponse) -> String {
            let change = response.change
            var lines = ["Bản ghi \(change.recordID): \(actionLabel(change.action)), phiên bản \(change.version)."]
            if change.action == .amended { lines.append("Lý do: \(change.reason)") }
            lines.append("Ghi nhận: \(actorLabel(change.changedBy)), lúc \(timestamp(change.changedBy.at))")
            lines += derivedObservationsReport(response.derivedObservations)
            return lines.joined(separator: "\n")
        }
    }

    /// `planctl records ytd SERVICE --year Y`: GetYearToDate.
    struct YearToDate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ytd",
            abstract: "Total a year's records from January: the figures each department service sums (aggregates only for security)."
        )

        @Argument(help: "The service keeping the records.")
        var service: RecordService

        @Option(help: "Year.")
        var year: Int32

        @Option(help: "Last month included, 1–12 (default: the latest month with records).")
        var throughMonth: Int32?

        @Option(help: "GSO code of the unit (default: the instance's own unit, with the units below it).")
        var orgUnitCode: String?

        @Flag(help: "Print the service's answer as JSON.")
        var json = false

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(10)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Department_V1_GetYearToDateRequest()
                request.year = year
                request.throughMonth = throughMonth ?? 0
                request.orgUnitCode = orgUnitCode ?? ""
                let options = caller.callOptions(timeout: timeout)
                let totals = try await broker.withRPC { rpc in
                    do {
                        return try await broker.records(of: service, on: rpc)
                            .getYearToDate(request, options: options)
                    } catch {
                        throw CommandFailure("không tính được số liệu lũy kế của \(service)", error)
                    }
                }
                printText(json ? try prettyJSON(totals) : totals.printed)
            }
        }
    }
}

/// What was done to a record, in Vietnamese.
func actionLabel(_ action: Planmonitor_Department_V1_RecordAction) -> String {
    switch action {
    case .created: "tạo mới"
    case .amended: "sửa đổi"
    case .unspecified, .UNRECOGNIZED: ""
    }
}

/// The observations a change derived anew, as a heading and a table, or a line saying there are none.
func derivedObservationsReport(_ observations: [Planmonitor_Common_V1_Observation]) -> [String] {
    guard !observations.isEmpty else { return ["Không có số liệu chỉ tiêu nào được tính lại."] }
    return ["Số liệu chỉ tiêu tính lại từ bản ghi: \(observations.count)", observationTable(observations)]
}
