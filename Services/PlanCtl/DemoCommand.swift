import ArgumentParser
import DepartmentCore
import DirectiveParser
import Foundation
import PlanContracts

/// `planctl demo load`: the demo year's reports and records for one org unit's services, from a seeded generator
/// (``DemoData``; rules in `docs/demo-data.md`). Everything it makes says it is demo data. Running it again adds
/// nothing: reports already received and records already stored are skipped.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate the demo data set (monthly reports, budget, poverty-rate and infrastructure records), labelled as demo data.",
        subcommands: [Load.self]
    )

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit the demo monthly reports of every agency and the demo records to one org unit's services.",
            discussion: """
                The departments must run with PLANMONITOR_DEMO_RECEIPT_TIMES=on so that the reports keep their \
                generated receipt times (scripts/demo starts them so).
                """
        )

        @Option(help: "Seed of the generator: the same seed gives the same data.")
        var seed: UInt64 = 2018

        @Option(help: "Last month generated.")
        var throughMonth: Int32 = 6

        @Option(help: "Seconds to wait for each call.")
        var timeout = Seconds(20)

        @Option(help: "Comma-separated GSO codes of districts without a deployment of their own, whose People's Committees report straight to this (city) instance.")
        var districtsReportingHere = ""

        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            guard (1...12).contains(throughMonth) else { throw ValidationError("through-month \(throughMonth) is not a month") }
        }

        func run() async throws {
            try await reportingFailures {
                let org = broker.orgUnit
                let options = { (agency: String, extra: [String: String]) in
                    var options = CallerOptions.callOptions(user: "demo", agency: agency, timeout: timeout)
                    options.metadata.merge(extra) { $1 }
                    return options
                }
                try await broker.withRPC { rpc in
                    var summary: [String] = []
                    let investmentReports = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: broker.target("investment")))
                    var year: Int32 = 0
                    var realFigures: Set<String> = ["6"]
                    for department in Department.allCases {
                        let shares = Planmonitor_Department_V1_DirectiveShareService.Client(transport: rpc.transport(to: broker.target(department.rawValue)))
                        let share: Planmonitor_Department_V1_DirectiveShare
                        do {
                            share = try await shares.getDirectiveShare(.init(), options: RPCCallOptions(timeout: timeout.duration)).share
                        } catch {
                            summary.append("\(department): bỏ qua (\(error))")
                            continue
                        }
                        if year == 0 {
                            year = share.year
                            // The real published figures are the investment service's; without it, none are known.
                            do {
                                let published = try await investmentReports.listObservations(.with { $0.year = year }, options: RPCCallOptions(timeout: timeout.duration))
                                for observation in published.observations where observation.origin == .published && observation.targetNumber > 0 {
                                    realFigures.insert(observation.subTargetCode.isEmpty ? String(observation.targetNumber) : observation.subTargetCode)
                                }
                            } catch {
                                summary.append("investment: không đọc được số liệu công bố (\(error)); mọi chỉ tiêu được sinh số liệu minh họa")
                            }
                        }
                        let demo = DemoData(seed: seed, orgUnitCode: org, year: share.year)
                        let reports = Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: broker.target(department.rawValue)))
                        // A district's People's Committee reports for its district; the city's agencies for any other
                        // unit, and the committees of the districts without a deployment for theirs.
                        let districtCommittee = "district-\(org)-pc"
                        var reporters: [(agency: String, unit: String)] = AgencyRegistry.default.agency(code: districtCommittee) != nil
                            ? [(districtCommittee, org)] : share.agencies.map { ($0.code, org) }
                        reporters += districtsReportingHere.split(separator: ",").map { code in ("district-\(code)-pc", String(code)) }
                        var submitted = 0, present = 0, missing = 0
                        for month in Int32(1)...throughMonth {
                            for (agency, unit) in reporters {
                                let demo = unit == org ? demo : DemoData(seed: seed, orgUnitCode: unit, year: share.year)
                                let query = Planmonitor_Department_V1_GetMonthlyReportRequest.with {
                                    $0.orgUnitCode = unit; $0.agencyCode = agency; $0.year = share.year; $0.month = month
                                }
                                do {
                                    _ = try await reports.getMonthlyReport(query, options: RPCCallOptions(timeout: timeout.duration))
                                    present += 1
                                    continue
                                } catch let error as RPCError where error.code == .notFound {
                                    // Not received yet: generated below.
                                }
                                guard let receivedAt = demo.receiptTime(agency: agency, month: month) else {
                                    missing += 1
                                    continue
                                }
                                let report = demo.report(agency: agency, month: month, targets: share.targets, withRealFigures: realFigures, tasks: share.tasks)
                                _ = try await reports.submitMonthlyReport(
                                    .with { $0.report = report },
                                    options: options(agency, [MonthlyReportDesk.demoReceiptTimeKey: ISO8601DateFormatter().string(from: receivedAt)]))
                                submitted += 1
                            }
                        }
                        summary.append("\(department): \(submitted) báo cáo mới, \(present) đã có, \(missing) bỏ trống (không gửi)")

                        if department == .budget, let plan = share.targets.first(where: { $0.number == 6 }).flatMap({ Double($0.value) }) {
                            let client = Planmonitor_Budget_V1_BudgetService.Client(transport: rpc.transport(to: broker.target("budget")))
                            let created = try await Self.putNew(demo.budgetRecords(domesticPlan: plan, through: throughMonth)) { record in
                                _ = try await client.putRecord(.with { $0.record = record }, options: options("tax-department", [:]))
                            }
                            summary.append("budget: \(created) bản ghi thu ngân sách mới")
                        }
                        if department == .social,
                           let decrease = share.targets.first(where: { $0.number == SocialMeasures.povertyTarget }).flatMap({ Double($0.value) }) {
                            let client = Planmonitor_Social_V1_SocialService.Client(transport: rpc.transport(to: broker.target("social")))
                            // A city instance computes its own rates from its districts' records: the records are
                            // those of the districts reporting here; an instance without districts keeps its own.
                            let units = districtsReportingHere.isEmpty ? [org] : districtsReportingHere.split(separator: ",").map(String.init)
                            let rates = units.flatMap { DemoData(seed: seed, orgUnitCode: $0, year: share.year).povertyRates(decreasePoints: decrease, through: throughMonth) }
                            let created = try await Self.putNew(rates) { rate in
                                _ = try await client.putRecord(.with { $0.record.rate = rate }, options: options(SocialMeasures.labourAgency, [:]))
                            }
                            summary.append("social: \(created) bản ghi tỷ lệ hộ nghèo mới")
                        }
                        if department == .infrastructure {
                            let client = Planmonitor_Infrastructure_V1_InfrastructureService.Client(transport: rpc.transport(to: broker.target("infrastructure")))
                            let projects = try await client.listProjects(.with { $0.year = share.year }, options: RPCCallOptions(timeout: timeout.duration)).projects
                            let reports = projects.filter { $0.project.status == .implementation }.flatMap { standing in
                                demo.progress(projectID: standing.project.recordID, capitalPlan: standing.project.capitalPlan, through: throughMonth)
                            }
                            let created = try await Self.putNew(reports) { progress in
                                _ = try await client.putRecord(.with { $0.record.progress = progress }, options: options("dept-construction", [:]))
                            }
                            summary.append("infrastructure: \(created) báo cáo tiến độ mới cho \(projects.count) dự án")
                        }
                    }
                    printText((["Dữ liệu minh họa (seed \(seed)) cho đơn vị \(org), tháng 1–\(throughMonth):"] + summary.map { "  " + $0 }).joined(separator: "\n"))
                }
            }
        }

        /// Stores each record with `put`, skipping those stored by an earlier run (ALREADY_EXISTS); how many were new.
        private static func putNew<Record>(_ records: [Record], _ put: (Record) async throws -> Void) async throws -> Int {
            var created = 0
            for record in records {
                do {
                    try await put(record)
                    created += 1
                } catch let error as RPCError where error.code == .alreadyExists {
                    continue
                }
            }
            return created
        }
    }
}
