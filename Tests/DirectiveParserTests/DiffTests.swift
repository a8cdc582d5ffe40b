import Foundation
import Testing

@testable import DirectiveParser

@Suite("Revision diff for re-import")
struct DiffTests {
    private func reparsed(replacing original: String, with replacement: String) throws -> Directive {
        try DirectiveTextParser().parse(text: Fixtures.text2018(replacing: original, with: replacement))
    }

    @Test("The same text gives an empty diff")
    func sameText() throws {
        let again = try DirectiveTextParser().parse(text: Fixtures.text2018())
        let diff = DirectiveDiff(old: try directive2018(), new: again)
        #expect(diff.isEmpty)
    }

    @Test("A changed value in one target is exactly that change")
    func changedValue() throws {
        let new = try reparsed(replacing: "(6) Thu nội địa 24.725 tỷ đồng;", with: "(6) Thu nội địa 25.000 tỷ đồng;")
        let diff = DirectiveDiff(old: try directive2018(), new: new)
        let revision = try #require(diff.targetRevisions.first)
        #expect(diff.targetRevisions.count == 1)
        #expect(revision.targetNumber == 6)
        #expect(revision.measureID == "6")
        #expect(revision.changedFields == [.value])
        #expect(revision.old?.value == .exact(24_725))
        #expect(revision.new?.value == .exact(25_000))
        #expect(diff.addedTargets.isEmpty && diff.removedTargets.isEmpty)
        #expect(diff.addedTasks.isEmpty && diff.removedTasks.isEmpty)
    }

    @Test("A changed comparator and a changed sub-target are listed by measure")
    func changedComparatorAndSubTarget() throws {
        let new = try reparsed(
            replacing: "nhóm dịch vụ tăng 12,1%;", with: "nhóm dịch vụ tăng khoảng 12,5%;")
        let diff = DirectiveDiff(old: try directive2018(), new: new)
        #expect(diff.targetRevisions.map(\.measureID) == ["1.c"])
        #expect(diff.targetRevisions.first?.changedFields == [.comparator, .value])
    }

    @Test("Removed and added targets")
    func addedAndRemovedTargets() throws {
        let withoutEighteen = try reparsed(
            replacing: "(18) Tỷ lệ cơ sở khám, chữa bệnh xử lý chất thải y tế đạt tiêu chuẩn môi trường đạt 100%;", with: "")
        let diff = DirectiveDiff(old: try directive2018(), new: withoutEighteen)
        #expect(diff.removedTargets.map(\.number) == [18])
        #expect(diff.addedTargets.isEmpty && diff.targetRevisions.isEmpty)
        #expect(DirectiveDiff(old: withoutEighteen, new: try directive2018()).addedTargets.map(\.number) == [18])
    }

    @Test("A removed task is listed; the other tasks keep their keys")
    func removedTask() throws {
        let removedLine = "- Duy trì và nâng cao chất lượng công tác khai thuế qua mạng Internet."
        let new = try reparsed(replacing: removedLine + "\n", with: "")
        let diff = DirectiveDiff(old: try directive2018(), new: new)
        #expect(diff.removedTasks.map(\.text) == ["Duy trì và nâng cao chất lượng công tác khai thuế qua mạng Internet."])
        #expect(diff.removedTasks.first?.line == 69)
        #expect(diff.addedTasks.isEmpty)
        #expect(diff.targetRevisions.isEmpty)
        #expect(new.tasks.count == 317)
    }

    @Test("A reworded task is one removal and one addition; spacing and case alone change nothing")
    func rewordedTask() throws {
        let original = "- Rà soát các doanh nghiệp đã cổ phần hóa thực hiện việc thuê đất theo quy định."
        let reworded = try reparsed(
            replacing: original, with: "- Rà soát các doanh nghiệp đã cổ phần hóa thực hiện việc thuê đất đúng quy định.")
        let diff = DirectiveDiff(old: try directive2018(), new: reworded)
        #expect(diff.removedTasks.count == 1 && diff.addedTasks.count == 1)
        let respaced = try reparsed(
            replacing: original, with: "-  Rà soát các doanh nghiệp  đã cổ phần hoá thực hiện việc thuê đất theo quy định")
        #expect(DirectiveDiff(old: try directive2018(), new: respaced).isEmpty)
    }

    @Test("A task moved to another lead agency is a removal and an addition")
    func reassignedTask() throws {
        let new = try reparsed(replacing: "8. Thanh tra thành phố chủ trì:", with: "8. Sở Tư pháp chủ trì:")
        let diff = DirectiveDiff(old: try directive2018(), new: new)
        #expect(diff.removedTasks.map(\.line) == [97])
        #expect(diff.addedTasks.map(\.leadAgencies) == [[AgencyReference(code: "dept-justice", isGroup: false)]])
    }
}
