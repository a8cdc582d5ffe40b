import DirectiveParser
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import ServiceRuntime
import SwiftProtobuf

/// Serves `planmonitor.directive.v1.DirectiveService`: imports directive texts as revisions and publishes each new
/// revision as `DirectiveIssued`, in the same transaction, through the outbox.
struct DirectiveServer: Planmonitor_Directive_V1_DirectiveService.Handler {
    /// Call metadata naming the person who imports (`x-rpc-meta-user`); the caller's broker user otherwise.
    static let userMetadataKey = "user"
    /// Call metadata naming the importer's agency code (`x-rpc-meta-agency`), e.g. "dept-planning-investment".
    static let agencyMetadataKey = "agency"
    /// The largest directive text accepted, in bytes: twenty times Hải Phòng's 2018 directive.
    static let maximumTextBytes = 2 * 1024 * 1024

    let context: ServiceContext
    let parser: DirectiveTextParser
    let contract: DirectiveContract
    private var store: DirectiveStore { DirectiveStore(schema: context.schema) }
    private var orgUnitCode: String { context.identity.orgUnit }

    init(context: ServiceContext, parser: DirectiveTextParser = DirectiveTextParser(), contract: DirectiveContract = DirectiveContract()) {
        self.context = context
        self.parser = parser
        self.contract = contract
    }

    // MARK: ImportDirective

    func importDirective(
        _ request: Planmonitor_Directive_V1_ImportDirectiveRequest, context call: RPCServerContext
    ) async throws -> Planmonitor_Directive_V1_ImportDirectiveResponse {
        guard request.text.count <= Self.maximumTextBytes else {
            throw RPCError(.invalidArgument, "the directive text is too large", fieldViolations: [
                .init(field: "text", reason: "\(request.text.count) bytes, at most \(Self.maximumTextBytes) (a year's directive is about 100 kB)"),
            ])
        }
        let directive: Directive
        do {
            directive = try parser.parse(request.text)
        } catch {
            throw RPCError(.invalidArgument, error.description, fieldViolations: [.init(field: "text", reason: error.description)])
        }
        // The parser accepted the bytes as UTF-8; the text is stored as it read it: without a byte order mark, in NFC.
        var text = String(decoding: request.text, as: UTF8.self)
        if text.first == "\u{FEFF}" { text.removeFirst() }
        text = text.precomposedStringWithCanonicalMapping
        let parsedJSON = String(decoding: try directive.jsonData(), as: UTF8.self)
        let year = Int32(directive.year)
        let warnings = contract.warnings(for: directive)

        var importedBy = Planmonitor_Common_V1_AuditMetadata()
        importedBy.user = call.metadata[Self.userMetadataKey] ?? call.callerUser ?? ""
        importedBy.agencyCode = call.metadata[Self.agencyMetadataKey] ?? ""
        importedBy.requestID = call.requestID
        let (store, contract, orgUnitCode, events, outbox, logger) = (store, contract, orgUnitCode, context.events, context.outbox, context.logger)
        let fileName = request.fileName

        do {
            return try await context.database.planTransaction(logger: logger) { connection in
                try await store.lockImports(orgUnitCode: orgUnitCode, year: year, on: connection, logger: logger)
                let sha256 = try await store.sha256(of: text, on: connection, logger: logger)
                let latest = try await store.latestRevision(orgUnitCode: orgUnitCode, year: year, on: connection, logger: logger)
                var response = Planmonitor_Directive_V1_ImportDirectiveResponse()
                response.directiveID = DirectiveContract.directiveID(orgUnitCode: orgUnitCode, year: directive.year)
                response.warnings = warnings
                if let latest, latest.textSHA256 == sha256, latest.parsedJSON == parsedJSON {
                    response.revision = latest.revision
                    response.unchanged = true
                    if request.announceAgain, let stored = try await store.revision(orgUnitCode: orgUnitCode, year: year, revision: latest.revision, on: connection, logger: logger) {
                        var issued = Planmonitor_Directive_V1_DirectiveIssued()
                        issued.directive = stored.directive
                        issued.previousRevision = latest.revision - 1
                        try await outbox.enqueue(try events.event(issued, name: "issued", orgUnit: orgUnitCode, domain: "directive"), on: connection, logger: logger)
                        response.announcedAgain = true
                        logger.info("directive announced again", metadata: ["directive": "\(response.directiveID)", "revision": "\(latest.revision)"])
                    }
                    logger.info("directive import unchanged", metadata: ["directive": "\(response.directiveID)", "revision": "\(latest.revision)"])
                    return response
                }

                var changes: [String] = []
                if let latest {
                    let previous = try Directive(jsonData: Data(latest.parsedJSON.utf8))
                    let diff = DirectiveDiff(old: previous, new: directive)
                    changes = diff.isEmpty ? [DirectiveChanges.textOnly] : DirectiveChanges.describe(diff, old: previous, new: directive, contract: contract)
                }
                importedBy.at = Google_Protobuf_Timestamp(date: Date())
                let revision = (latest?.revision ?? 0) + 1
                let message = contract.message(for: directive, DirectiveContract.RevisionInfo(
                    orgUnitCode: orgUnitCode, revision: revision, textSHA256: sha256, importedAt: importedBy.at.date, importedBy: importedBy))
                var issued = Planmonitor_Directive_V1_DirectiveIssued()
                issued.directive = message
                issued.previousRevision = latest?.revision ?? 0
                issued.changes = changes
                let event = try events.event(issued, name: "issued", orgUnit: orgUnitCode, domain: "directive")

                try await store.insert(DirectiveStore.NewRevision(
                    directive: message, text: text, parsedJSON: parsedJSON, previousRevision: issued.previousRevision,
                    changes: changes, warnings: warnings, fileName: fileName, brokerUser: call.callerUser ?? "",
                    eventMessageID: event.messageID
                ), on: connection, logger: logger)
                try await outbox.enqueue(event, on: connection, logger: logger)

                response.revision = revision
                response.changes = changes
                logger.info("directive imported", metadata: [
                    "directive": "\(response.directiveID)", "revision": "\(revision)", "sha256": "\(sha256)",
                    "changes": "\(changes.count)", "importedBy": "\(importedBy.user)",
                ])
                return response
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw RPCError(.aborted, "another import of the \(year) directive stored the same revision number at the same time; import again")
        }
    }

    // MARK: GetDirective, ListRevisions

    func getDirective(
        _ request: Planmonitor_Directive_V1_GetDirectiveRequest, context call: RPCServerContext
    ) async throws -> Planmonitor_Directive_V1_GetDirectiveResponse {
        guard request.year >= 0, request.revision >= 0 else {
            throw RPCError(.invalidArgument, "year and revision must not be negative (0 means the latest)")
        }
        let (store, orgUnitCode, logger) = (store, orgUnitCode, context.logger)
        return try await context.database.planTransaction(logger: logger) { connection in
            let year = try await Self.resolve(year: request.year, store: store, orgUnitCode: orgUnitCode, on: connection, logger: logger)
            guard let found = try await store.revision(orgUnitCode: orgUnitCode, year: year, revision: request.revision, on: connection, logger: logger) else {
                let stored = try await store.revisions(orgUnitCode: orgUnitCode, year: year, on: connection, logger: logger).map { String($0.revision) }
                let which = request.revision == 0 ? "no revision" : "no revision \(request.revision)"
                throw RPCError(.notFound, "the \(year) directive of org unit \(orgUnitCode) has \(which)" + (stored.isEmpty ? "" : " (stored: \(stored.joined(separator: ", ")))"))
            }
            var response = Planmonitor_Directive_V1_GetDirectiveResponse()
            response.directive = found.directive
            response.parsedJson = found.parsedJSON
            return response
        }
    }

    func listRevisions(
        _ request: Planmonitor_Directive_V1_ListRevisionsRequest, context call: RPCServerContext
    ) async throws -> Planmonitor_Directive_V1_ListRevisionsResponse {
        guard request.year >= 0 else {
            throw RPCError(.invalidArgument, "year must not be negative (0 means the latest)")
        }
        let (store, orgUnitCode, logger) = (store, orgUnitCode, context.logger)
        return try await context.database.planTransaction(logger: logger) { connection in
            let year = try await Self.resolve(year: request.year, store: store, orgUnitCode: orgUnitCode, on: connection, logger: logger)
            var response = Planmonitor_Directive_V1_ListRevisionsResponse()
            response.revisions = try await store.revisions(orgUnitCode: orgUnitCode, year: year, on: connection, logger: logger)
            return response
        }
    }

    /// The year asked for, or the latest year stored for 0; NOT_FOUND when nothing is stored.
    private static func resolve(year: Int32, store: DirectiveStore, orgUnitCode: String, on connection: PostgresConnection, logger: Logger) async throws -> Int32 {
        if year != 0 { return year }
        guard let latest = try await store.latestYear(orgUnitCode: orgUnitCode, on: connection, logger: logger) else {
            throw RPCError(.notFound, "no directive has been imported for org unit \(orgUnitCode)")
        }
        return latest
    }
}
