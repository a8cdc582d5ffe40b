@testable import Aggregator
@testable import CityPicture
import Foundation
import Testing

/// The briefing's outline: its headings, as the structure snapshot the tests hold it to.
enum BriefingOutline {
    static let expected = [
        "# BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI THÁNG 6/2018",
        "## I. CÁC CHỈ TIÊU CHỦ YẾU",
        "## II. TÌNH HÌNH CÁC LĨNH VỰC",
        "### 1. Thu, chi ngân sách",
        "### 2. Tăng trưởng, đầu tư và phát triển kinh tế",
        "### 3. Kết cấu hạ tầng và công trình trọng điểm",
        "### 4. Văn hóa - xã hội, lao động, môi trường",
        "### 5. Quốc phòng - an ninh",
        "## III. NHIỆM VỤ QUÁ HẠN THEO CƠ QUAN CHỦ TRÌ",
        "## IV. CHẾ ĐỘ BÁO CÁO",
        "## V. RỦI RO VÀ KIẾN NGHỊ",
    ]

    static func headings(ofMarkdown markdown: String) -> [String] {
        markdown.split(separator: "\n").map(String.init).filter { $0.hasPrefix("#") }
    }
}

/// A JSON value as decoded, keeping booleans, numbers and strings apart.
indirect enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}

/// Checks answers of the aggregator's API against the schemas of its `/openapi.json`: every property an answer has is
/// described, every required one is there, and each has the described type.
enum OpenAPIConformance {
    static func check(stack: DepartmentFixture.Stack, paths: [String]) async throws {
        let (status, body) = try await stack.get("/openapi.json")
        #expect(status == 200)
        let document = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let documented = try #require(document["paths"] as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        for path in paths {
            let bare = String(path.prefix { $0 != "?" })
            let template = try #require(documented.keys.first { matches(template: $0, path: bare) }, "\(bare) is not in the OpenAPI document")
            let operation = try #require((documented[template] as? [String: Any])?["get"] as? [String: Any])
            let schema = try #require(((((operation["responses"] as? [String: Any])?["200"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
            let (answerStatus, answer) = try await stack.get(path)
            #expect(answerStatus == 200, "\(path)")
            var problems: [String] = []
            validate(try JSONDecoder().decode(JSONValue.self, from: answer), schema: schema, schemas: schemas, at: path, problems: &problems)
            #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
        }
    }

    static func matches(template: String, path: String) -> Bool {
        let a = template.split(separator: "/"), b = path.split(separator: "/")
        return a.count == b.count && zip(a, b).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    static func validate(_ value: JSONValue, schema: [String: Any], schemas: [String: Any], at place: String, problems: inout [String]) {
        if let reference = schema["$ref"] as? String {
            guard let resolved = schemas[String(reference.split(separator: "/").last ?? "")] as? [String: Any] else {
                problems.append("\(place): unresolved \(reference)")
                return
            }
            validate(value, schema: resolved, schemas: schemas, at: place, problems: &problems)
            return
        }
        switch (schema["type"] as? String, value) {
        case ("object", .object(let object)):
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in object.keys where properties[key] == nil { problems.append("\(place).\(key): not in the document") }
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(place).\(key): required but absent") }
            for (key, property) in properties {
                guard let child = object[key], let property = property as? [String: Any] else { continue }
                if case .null = child { continue }
                validate(child, schema: property, schemas: schemas, at: "\(place).\(key)", problems: &problems)
            }
        case ("array", .array(let items)):
            let itemSchema = schema["items"] as? [String: Any] ?? [:]
            for (index, item) in items.enumerated() { validate(item, schema: itemSchema, schemas: schemas, at: "\(place)[\(index)]", problems: &problems) }
        case ("string", .string), ("number", .number), ("boolean", .bool):
            break
        case ("integer", .number(let number)) where number.rounded() == number:
            break
        default:
            problems.append("\(place): \(value) is not of type \(schema["type"] as? String ?? "(none)")")
        }
    }
}

/// A check that could not run as it should.
struct CheckFailure: Error, CustomStringConvertible {
    var description: String
}

/// Loads the dashboard in Debian's headless Chromium: the page renders, shows the figures the API returned, and a
/// desktop and a phone screenshot are kept in `.build/test-artifacts/`.
enum DashboardBrowserCheck {
    static let artifacts = ServiceStack.repositoryRoot.appendingPathComponent(".build/test-artifacts")

    static func chromium() throws -> URL {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        throw CheckFailure(description: "Chromium is not installed: apt-get install chromium (scripts/test installs it)")
    }

    static func check(stack: DepartmentFixture.Stack, picture: Picture) async throws {
        let browser = try chromium()
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let url = URL(string: "/?month=2018-06", relativeTo: stack.aggregatorURL)!.absoluteString
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=\(NSTemporaryDirectory())planmonitor-chromium"]
        let dom = try await run(browser, arguments: common + ["--dump-dom", url], environment: ProcessInfo.processInfo.environment)
        #expect(dom.status == 0, "\(dom.standardError.suffix(500))")
        let html = dom.standardOutput
        #expect(html.contains("Các chỉ tiêu chủ yếu"))
        for target in picture.targets {
            #expect(html.contains("data-target=\"\(target.code)\" data-status=\"\(target.status)\""), "row of target \(target.code)")
            if let latest = target.latest { #expect(html.contains(latest.valueText), "figure \(latest.valueText) of target \(target.code)") }
        }
        for (name, size) in [("dashboard-2018-06-desktop.png", "1280,2400"), ("dashboard-2018-06-phone.png", "390,2400")] {
            let file = artifacts.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: file)
            let shot = try await run(browser, arguments: common + ["--window-size=\(size)", "--screenshot=\(file.path)", url], environment: ProcessInfo.processInfo.environment)
            #expect(shot.status == 0, "\(shot.standardError.suffix(500))")
            let bytes = (try? Data(contentsOf: file)) ?? Data()
            #expect(bytes.count > 10_000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG of the page")
        }
    }
}
