import DepartmentCore
import Foundation
import PlanContracts
import Testing

/// Which part of a directive a department keeps.
@Suite("A department's share of the directive")
struct DirectiveShareSelectionTests {
    static func agency(_ code: String, _ service: String) -> Planmonitor_Directive_V1_Agency {
        var agency = Planmonitor_Directive_V1_Agency()
        agency.code = code
        agency.service = service
        return agency
    }

    static func task(_ key: String, leads: [String]) -> Planmonitor_Directive_V1_Task {
        var task = Planmonitor_Directive_V1_Task()
        task.key = key
        task.leadAgencyCodes = leads
        return task
    }

    static var directive: Planmonitor_Directive_V1_Directive {
        var directive = Planmonitor_Directive_V1_Directive()
        directive.id = "31-2018"
        directive.year = 2018
        directive.revision = 3
        directive.orgUnitCode = "31"
        var revenue = Planmonitor_Directive_V1_Target()
        revenue.number = 6
        revenue.ownerService = "budget"
        var growth = Planmonitor_Directive_V1_Target()
        growth.number = 1
        growth.ownerService = "investment"
        var budgetPart = Planmonitor_Directive_V1_SubTarget()
        budgetPart.code = "1.d"
        budgetPart.ownerService = "budget"
        var ownPart = Planmonitor_Directive_V1_SubTarget()
        ownPart.code = "1.a"
        growth.subTargets = [ownPart, budgetPart]
        directive.targets = [growth, revenue]
        var block = Planmonitor_Directive_V1_Block()
        block.tasks = [
            task("2018-I.1.1", leads: ["dept-finance"]),
            task("2018-I.2.1", leads: ["dept-planning-investment"]),
            task("2018-I.3.1", leads: ["dept-planning-investment", "tax-department"]),
        ]
        var section = Planmonitor_Directive_V1_Section()
        section.blocks = [block]
        directive.sections = [section]
        directive.agencies = [
            agency("dept-finance", "budget"), agency("tax-department", "budget"), agency("customs", "budget"),
            agency("dept-planning-investment", "investment"),
        ]
        return directive
    }

    @Test("targets it owns, sub-targets it owns under another's target, tasks of its agencies")
    func budget() {
        let share = Planmonitor_Department_V1_DirectiveShare(selecting: .budget, from: Self.directive, receivedAt: Date())
        #expect(share.service == "budget")
        #expect((share.directiveID, share.year, share.revision, share.orgUnitCode) == ("31-2018", 2018, 3, "31"))
        #expect(share.targets.map(\.number) == [1, 6])
        #expect(share.targets.first?.subTargets.map(\.code) == ["1.d"], "only its own part of another service's target")
        #expect(share.tasks.map(\.key) == ["2018-I.1.1", "2018-I.3.1"])
        #expect(share.agencies.map(\.code) == ["dept-finance", "tax-department"], "only agencies that lead a task of the share")
    }

    @Test("a department with nothing in the directive keeps an empty share")
    func nothing() {
        let share = Planmonitor_Department_V1_DirectiveShare(selecting: .security, from: Self.directive, receivedAt: Date())
        #expect(share.targets.isEmpty)
        #expect(share.tasks.isEmpty)
        #expect(share.agencies.isEmpty)
        #expect(share.revision == 3)
    }
}
