import Foundation

/// The OpenAPI 3.1 description of the aggregator's HTTP API, served at `/openapi.json`. A test fetches every path and
/// checks the answers against these schemas (every property described, no property undescribed), so the document
/// stays true.
enum OpenAPIDocument {
    /// A property's type: a JSON type, a reference to a schema, or an array of either.
    indirect enum Property: Sendable {
        case string, number, integer, boolean, dateTime
        case ref(String)
        case array(Property)
        case optional(Property)

        var schema: [String: Any] {
            switch self {
            case .string: ["type": "string"]
            case .number: ["type": "number"]
            case .integer: ["type": "integer"]
            case .boolean: ["type": "boolean"]
            case .dateTime: ["type": "string", "format": "date-time"]
            case .ref(let name): ["$ref": "#/components/schemas/\(name)"]
            case .array(let item): ["type": "array", "items": item.schema]
            case .optional(let inner): inner.schema
            }
        }

        var isOptional: Bool {
            if case .optional = self { return true }
            return false
        }
    }

    /// The schemas: name → (description, properties).
    static let schemas: [String: (String, [String: Property])] = [
        "Picture": ("The picture of a unit for a month.", [
            "directiveID": .string, "directiveRevision": .integer, "year": .integer, "month": .integer, "orgUnitCode": .string,
            "orgUnitName": .string, "targets": .array(.ref("TargetPicture")), "tasks": .ref("TaskPicture"),
            "compliance": .ref("CompliancePicture"), "projects": .array(.ref("ProjectPicture")), "units": .array(.ref("UnitName")),
            "containsDemoData": .boolean,
        ]),
        "UnitName": ("A unit's GSO code and name.", ["code": .string, "name": .string]),
        "TargetPicture": ("A target or sub-target judged: status with its reason, the figures with provenance, the forecast.", [
            "code": .string, "number": .integer, "subTargetCode": .string, "nameVi": .string, "planText": .string,
            "planValue": .optional(.number), "unit": .string, "unitText": .string, "basis": .string, "ownerService": .string,
            "status": .string, "statusVi": .string, "reasonVi": .string, "reasonEn": .string, "latest": .optional(.ref("Figure")),
            "series": .array(.ref("Figure")), "expectedByNow": .optional(.number), "progressRatio": .optional(.number),
            "forecast": .optional(.ref("ForecastPicture")),
        ]),
        "Figure": ("A figure with the messages it came in.", [
            "month": .integer, "value": .number, "valueText": .string, "period": .string, "origin": .string, "estimate": .boolean,
            "sourceURL": .string, "provenance": .array(.ref("Provenance")),
        ]),
        "Provenance": ("The message a figure came in.", [
            "messageID": .string, "service": .string, "agencyCode": .string, "orgUnitCode": .string, "receivedAt": .dateTime,
        ]),
        "ForecastPicture": ("Year-end forecast with an ~80 % interval.", [
            "method": .string, "methodVi": .string, "yearEnd": .number, "low": .number, "high": .number, "probabilityOfMeeting": .number,
        ]),
        "TaskPicture": ("Tasks of the directive as reported.", [
            "total": .integer, "reported": .integer, "done": .integer, "blocked": .integer, "overdue": .array(.ref("TaskItem")),
            "byAgency": .array(.ref("AgencyTasks")),
        ]),
        "TaskItem": ("A task with its latest reported state.", [
            "key": .string, "text": .string, "dueDate": .string, "leadAgencyCodes": .array(.string), "status": .string,
            "statusVi": .string, "note": .string, "reportID": .string,
        ]),
        "AgencyTasks": ("The tasks one agency leads.", [
            "agencyCode": .string, "agencyName": .string, "total": .integer, "done": .integer, "blocked": .integer, "overdue": .integer,
        ]),
        "CompliancePicture": ("Reporting compliance for a month.", [
            "deadline": .string, "deadlineDay": .integer, "agencies": .array(.ref("AgencyCompliance")), "onTime": .integer,
            "late": .integer, "missing": .integer, "toRemind": .array(.string),
        ]),
        "AgencyCompliance": ("One reporter's compliance for a month.", [
            "agencyCode": .string, "agencyName": .string, "status": .string, "statusVi": .string, "receivedAt": .optional(.dateTime),
            "daysLate": .integer, "onTimeMonths": .integer, "rank": .integer,
        ]),
        "AgencyMonth": ("An agency's reporting for one month.", [
            "month": .integer, "status": .string, "statusVi": .string, "receivedAt": .optional(.dateTime), "daysLate": .integer,
        ]),
        "ProjectPicture": ("An infrastructure project with its warnings.", [
            "recordID": .string, "title": .string, "status": .string, "warnings": .array(.string),
        ]),
        "TargetDrillDown": ("A target for the city and each district, the owners' tasks and the records behind it.", [
            "target": .ref("TargetPicture"), "districts": .array(.ref("DistrictTarget")), "tasks": .array(.ref("TaskItem")),
            "records": .array(.ref("RecordSummary")),
        ]),
        "DistrictTarget": ("A target for one district.", ["code": .string, "name": .string, "target": .ref("TargetPicture")]),
        "RecordSummary": ("A department record behind a figure.", [
            "service": .string, "recordID": .string, "kind": .string, "orgUnitCode": .string, "summary": .string,
            "amount": .optional(.number), "version": .integer, "provenance": .ref("Provenance"),
        ]),
        "AgencyView": ("An agency's tasks, month-by-month reporting and reports.", [
            "code": .string, "name": .string, "service": .string, "tasks": .array(.ref("TaskItem")),
            "compliance": .array(.ref("AgencyMonth")), "reports": .array(.ref("ReportSummary")),
        ]),
        "ReportSummary": ("A report version as received.", [
            "reportID": .string, "version": .integer, "month": .integer, "receivedAt": .dateTime, "correctionReason": .string,
            "figures": .integer, "tasks": .integer,
        ]),
        "Error": ("What was wrong with the request.", ["error": .string]),
    ]

    /// The JSON paths: path → (summary, response schema, path parameter, query parameters).
    static let paths: [(path: String, summary: String, response: Property, pathParameter: String?, query: [String])] = [
        ("/api/picture", "The picture of a unit (the city by default) for a month (the latest by default).", .ref("Picture"), nil, ["month", "unit"]),
        ("/api/targets/{code}", "A target (\"11\", \"1.a\") drilled down.", .ref("TargetDrillDown"), "code", ["month"]),
        ("/api/districts/{code}", "The picture of a district.", .ref("Picture"), "code", ["month"]),
        ("/api/agencies/{code}", "An agency's tasks, reporting and reports.", .ref("AgencyView"), "code", ["month"]),
        ("/api/compliance", "Reporting compliance for a month.", .ref("CompliancePicture"), nil, ["month", "unit"]),
        ("/api/projects", "Infrastructure projects and their warnings.", .array(.ref("ProjectPicture")), nil, ["month"]),
    ]

    static let json: String = {
        var pathObjects: [String: Any] = [:]
        for entry in paths {
            var parameters: [[String: Any]] = entry.query.map { name in
                ["name": name, "in": "query", "required": false, "schema": ["type": "string"],
                 "description": name == "month" ? "Month as YYYY-MM, e.g. 2018-06." : "GSO code of the unit, e.g. 31 or 305."]
            }
            if let parameter = entry.pathParameter {
                parameters.insert(["name": parameter, "in": "path", "required": true, "schema": ["type": "string"]], at: 0)
            }
            let error: [String: Any] = ["description": "Not found or invalid", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
            pathObjects[entry.path] = ["get": [
                "summary": entry.summary, "parameters": parameters,
                "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": entry.response.schema]]], "400": error, "404": error],
            ] as [String: Any]]
        }
        pathObjects["/api/briefing"] = ["get": [
            "summary": "The monthly briefing in Vietnamese.",
            "parameters": [["name": "month", "in": "query", "schema": ["type": "string"]], ["name": "unit", "in": "query", "schema": ["type": "string"]],
                           ["name": "format", "in": "query", "schema": ["type": "string", "enum": ["html", "md"]]]],
            "responses": ["200": ["description": "The briefing", "content": ["text/html": ["schema": ["type": "string"]], "text/markdown": ["schema": ["type": "string"]]]]],
        ] as [String: Any]]
        var components: [String: Any] = [:]
        for (name, (description, properties)) in schemas {
            components[name] = [
                "type": "object", "description": description, "additionalProperties": false,
                "required": properties.filter { !$0.value.isOptional }.keys.sorted(),
                "properties": properties.mapValues(\.schema),
            ] as [String: Any]
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "PlanMonitor aggregator", "version": "1", "description": "The city-wide picture of the socio-economic plan: targets against actuals with forecasts, tasks, projects, reporting compliance. Every figure carries its provenance."],
            "paths": pathObjects,
            "components": ["schemas": components],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }()
}
