import Foundation
import PlanContracts
import PostgresNIO
import SwiftProtobuf

extension RecordDesk {
    /// Largest CSV file accepted, in bytes.
    public static var maxCSVBytes: Int { 8 * 1024 * 1024 }

    /// Imports the rows of a CSV file as records of one kind: every row is read and validated first, and a file
    /// with any bad row imports nothing — the INVALID_ARGUMENT error names every bad row with its line, column and
    /// reason (ALREADY_EXISTS when the only problems are ids already taken by different records). Rows identical to a
    /// stored record are skipped as unchanged, so a file can be imported again.
    public func importCSV(_ request: Planmonitor_Department_V1_ImportRecordsCsvRequest, call: RPCServerContext) async throws -> Planmonitor_Department_V1_ImportRecordsCsvResponse {
        let kinds = domain.kinds.map(\.kind).joined(separator: ", ")
        guard let layout = domain.kinds.first(where: { $0.kind == request.recordKind }) else {
            throw RPCError(.invalidArgument, "unknown record kind", fieldViolations: [
                .init(field: "record_kind", reason: request.recordKind.isEmpty ? "missing (one of \(kinds))" : "unknown kind '\(request.recordKind)' (one of \(kinds))"),
            ])
        }
        guard !request.csv.isEmpty else {
            throw RPCError(.invalidArgument, "the CSV file is empty", fieldViolations: [.init(field: "csv", reason: "empty")])
        }
        guard request.csv.count <= Self.maxCSVBytes else {
            throw RPCError(.invalidArgument, "the CSV file is too large", fieldViolations: [
                .init(field: "csv", reason: "\(request.csv.count) bytes, at most \(Self.maxCSVBytes)"),
            ])
        }
        let fileName = request.fileName.isEmpty ? "(unnamed file)" : request.fileName.precomposedStringWithCanonicalMapping
        let table: CSVTable
        do {
            table = try CSVTable(bytes: request.csv, columns: layout.columns)
        } catch {
            throw RPCError(.invalidArgument, "\(fileName) cannot be read as a \(layout.kind) CSV file", fieldViolations: [.init(field: "csv", reason: error.description)])
        }

        // Read every row; collect every problem.
        var violations = FieldViolations()
        var rows: [(line: Int, record: Domain.Record, placement: RecordPlacement)] = []
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            let decoded: Domain.Record
            do {
                decoded = try layout.decode(row)
            } catch {
                for fieldError in error.fieldErrors {
                    let described = CSVRowError(line: row.line, header: row.header(of: fieldError.column), fieldError: fieldError)
                    violations.add("line \(row.line).\(fieldError.column)", described.description)
                }
                continue
            }
            let record = try Self.normalized(decoded)
            guard let placement = domain.placement(of: record) else {
                violations.add("line \(row.line)", "line \(row.line): the row makes no \(layout.kind) record")
                continue
            }
            if let first = firstLine[placement.recordID] {
                violations.add("line \(row.line).record_id", "line \(row.line): record id \(placement.recordID) repeats line \(first)'s")
                continue
            }
            firstLine[placement.recordID] = row.line
            rows.append((row.line, record, placement))
        }
        if rows.isEmpty && violations.isEmpty {
            throw RPCError(.invalidArgument, "\(fileName) has no rows", fieldViolations: [.init(field: "csv", reason: "a header and no rows")])
        }
        if let error = violations.error("\(fileName) was not imported") { throw error }

        let actor = Planmonitor_Common_V1_AuditMetadata(call: call)
        let batch = Dictionary(rows.map { ($0.placement.recordID, $0.record) }, uniquingKeysWith: { first, _ in first })
        let years = Array(Set(rows.map(\.placement.year))).sorted()
        let (records, logger, domain, scope) = (RecordStore<Domain.Record>(schema: schema), logger, domain, scope)
        return try await database.planTransaction(logger: logger) { connection in
            for year in years { try await records.lockYear(year, on: connection, logger: logger) }
            var problems = FieldViolations()
            var duplicatesOnly = true
            var fresh: [(line: Int, record: Domain.Record, placement: RecordPlacement)] = []
            var unchanged = 0
            // One query for the stored versions and one validation context per year, whatever the number of rows.
            let stored = try await records.current(rows.map(\.placement.recordID), on: connection, logger: logger)
            var contexts: [Int32: RecordValidationContext<Domain.Record>] = [:]
            for row in rows {
                if let existing = stored[row.placement.recordID] {
                    if existing.record.isEqualTo(message: row.record) {
                        unchanged += 1
                    } else {
                        problems.add("line \(row.line).record_id", "line \(row.line): record \(row.placement.recordID) already exists (version \(existing.change.version)) with other content; amend it instead")
                    }
                    continue
                }
                let context: RecordValidationContext<Domain.Record>
                if let known = contexts[row.placement.year] {
                    context = known
                } else {
                    context = try await validationContext(year: row.placement.year, previous: nil, batch: batch, on: connection)
                    contexts[row.placement.year] = context
                }
                let found = try await domain.validate(row.record, in: context)
                if !found.isEmpty { duplicatesOnly = false }
                for violation in found.all {
                    problems.add("line \(row.line).\(violation.field)", "line \(row.line): \(violation.reason)")
                }
                fresh.append(row)
            }
            if !problems.isEmpty {
                if duplicatesOnly, let error = problems.error("\(fileName) was not imported") {
                    throw RPCError(.alreadyExists, error.message, fieldViolations: error.fieldViolations)
                }
                throw problems.error("\(fileName) was not imported")!
            }
            var response = Planmonitor_Department_V1_ImportRecordsCsvResponse()
            response.unchanged = Int32(unchanged)
            let context = DerivationContext(scope: scope, share: try await validationContext(year: years[0], previous: nil, batch: [:], on: connection).share)
            for row in fresh {
                var change = Planmonitor_Department_V1_RecordChange()
                change.recordID = row.placement.recordID
                change.version = 1
                change.action = .created
                change.reason = "CSV \(fileName), line \(row.line)"
                change.changedBy = actor
                try await store(row.record, placement: row.placement, change: change, detail: "from \(fileName) line \(row.line)", on: connection)
                response.recordIds.append(row.placement.recordID)
                if let note = domain.note(about: row.record, context: context) { response.notes.append("line \(row.line): \(note)") }
            }
            response.created = Int32(fresh.count)
            try await AuditLog(schema: schema).append(
                action: "csv.imported", subject: fileName,
                detail: "\(layout.kind): \(fresh.count) created, \(unchanged) unchanged, \(request.csv.count) bytes", by: actor,
                on: connection, logger: logger)
            let publicFileName = domain.publicName(ofImport: fileName)
            if !fresh.isEmpty {
                let cause = "CSV \(publicFileName) (\(fresh.count) \(layout.kind))"
                response.derivedObservations = try await rederive(years: years, actor: actor, cause: cause, on: connection)
                try await followUp?(years, actor, cause, connection)
            }
            logger.info("imported a CSV file", metadata: [
                "file": "\(publicFileName)", "kind": "\(layout.kind)", "created": "\(fresh.count)", "unchanged": "\(unchanged)",
                "derived": "\(response.derivedObservations.count)", "user": "\(actor.user)",
            ])
            return response
        }
    }
}
