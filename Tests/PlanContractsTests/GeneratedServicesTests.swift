import Foundation
import PlanContracts
import Testing

private typealias Echo = Planmonitor_Testing_V1_EchoService
private typealias Health = Planmonitor_Health_V1_HealthService
private typealias Directives = Planmonitor_Directive_V1_DirectiveService

@Suite("Generated services")
struct GeneratedServicesTests {
    @Test("every generated method path is /<package>.<Service>/<Method>")
    func methodPaths() throws {
        #expect(!PlanRPCServices.all.isEmpty)
        let pathPattern = /\/planmonitor\.[a-z_]+\.v[0-9]+\.[A-Z][A-Za-z0-9]*\/[A-Z][A-Za-z0-9]*/
        for service in PlanRPCServices.all {
            #expect(service.serviceName.hasPrefix("planmonitor."))
            #expect(!service.methods.isEmpty)
            for method in service.methods {
                #expect(method.path == "/\(service.serviceName)/\(method.methodName)")
                #expect(method.path.wholeMatch(of: pathPattern) != nil, "\(method.path)")
                #expect(method.serviceName == service.serviceName)
                #expect(RPCPath.split(method.path)?.method == method.methodName)
                #expect(!method.requestTypeName.isEmpty && !method.responseTypeName.isEmpty)
            }
        }
        let allPaths = PlanRPCServices.all.flatMap { $0.methods.map { $0.path } }
        #expect(Set(allPaths).count == allPaths.count, "method paths are unique")
    }

    @Test("known services and their message types")
    func knownServices() {
        #expect(Echo.serviceName == "planmonitor.testing.v1.EchoService")
        #expect(Echo.Method.Echo.path == "/planmonitor.testing.v1.EchoService/Echo")
        #expect(Echo.Method.Echo.requestTypeName == "planmonitor.testing.v1.EchoRequest")
        #expect(Echo.Method.Echo.responseTypeName == "planmonitor.testing.v1.EchoResponse")
        #expect(Echo.methods.map { $0.path } == [Echo.Method.Echo.path, Echo.Method.Fail.path, Echo.Method.Slow.path])

        #expect(Health.Method.Check.path == "/planmonitor.health.v1.HealthService/Check")
        #expect(Health.Method.Check.requestTypeName == "planmonitor.health.v1.HealthCheckRequest")

        #expect(
            Directives.methods.map { $0.path } == [
                "/planmonitor.directive.v1.DirectiveService/ImportDirective",
                "/planmonitor.directive.v1.DirectiveService/GetDirective",
                "/planmonitor.directive.v1.DirectiveService/ListRevisions",
            ]
        )
        #expect(Directives.Method.GetDirective.responseTypeName == "planmonitor.directive.v1.GetDirectiveResponse")
    }

    @Test("every service and rpc declared in Proto/ is generated")
    func protoFilesAreCovered() throws {
        let root = protoDirectory()
        let files = try #require(FileManager.default.enumerator(atPath: root.path))
            .compactMap { $0 as? String }
            .filter { $0.hasSuffix(".proto") }
        #expect(!files.isEmpty, "no .proto files under \(root.path)")

        var declared: Set<String> = []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let package = try #require(text.firstMatch(of: /(?m)^package\s+([\w.]+)\s*;/)?.output.1)
            var service: Substring?
            for line in text.split(separator: "\n") {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                if let match = code.firstMatch(of: /^\s*service\s+(\w+)/) {
                    service = match.output.1
                } else if let match = code.firstMatch(of: /^\s*rpc\s+(\w+)\s*\(/), let service {
                    declared.insert("/\(package).\(service)/\(match.output.1)")
                }
            }
        }
        let generated = Set(PlanRPCServices.all.flatMap { $0.methods.map { $0.path } })
        #expect(declared == generated)
    }
}
