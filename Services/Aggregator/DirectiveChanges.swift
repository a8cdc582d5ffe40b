import DirectiveParser
import Foundation

/// The changes between two revisions of a directive in words, for the Vietnamese officials who import and read them
/// (`ImportDirectiveResponse.changes`, `DirectiveIssued.changes`).
///
/// One line per change: a target measure whose value, comparator, unit, basis or name changed, a measure that
/// appeared or disappeared, a target added or removed, a task added or removed (by the contract's task key).
enum DirectiveChanges {
    /// The lines for `diff`, from `old` to `new`.
    static func describe(_ diff: DirectiveDiff, old: Directive, new: Directive, contract: DirectiveContract) -> [String] {
        var lines: [String] = []
        for revision in diff.targetRevisions {
            lines.append(describe(revision))
        }
        for target in diff.addedTargets {
            lines.append("Thêm chỉ tiêu (\(target.number)) \(target.name)" + (target.measure.map { ": \(describe($0))" } ?? ""))
        }
        for target in diff.removedTargets {
            lines.append("Bỏ chỉ tiêu (\(target.number)) \(target.name)")
        }
        let newKeys = contract.taskKeys(of: new)
        for task in diff.addedTasks {
            lines.append("Thêm nhiệm vụ \(newKeys[task.key] ?? task.key): \(excerpt(task.text))")
        }
        let oldKeys = contract.taskKeys(of: old)
        for task in diff.removedTasks {
            lines.append("Bỏ nhiệm vụ \(oldKeys[task.key] ?? task.key): \(excerpt(task.text))")
        }
        return lines
    }

    /// The line said when the text changed but no target or task did.
    static let textOnly = "Văn bản thay đổi; các chỉ tiêu và nhiệm vụ không đổi"

    private static func describe(_ revision: TargetRevision) -> String {
        let label = "Chỉ tiêu (\(revision.measureID)) \(revision.newName ?? revision.oldName ?? "")"
        guard let old = revision.old else {
            return "\(label): thêm giá trị \(revision.new.map(describe) ?? "")"
        }
        guard let new = revision.new else {
            return "\(label): bỏ giá trị \(describe(old))"
        }
        let changes = revision.changedFields.map { field -> String in
            switch field {
            case .name:
                "tên thay đổi từ “\(revision.oldName ?? "")” thành “\(revision.newName ?? "")”"
            case .comparator:
                "cách so sánh thay đổi từ “\(comparatorText(old))” thành “\(comparatorText(new))”"
            case .value:
                "giá trị thay đổi từ \(amount(old)) thành \(amount(new))"
            case .unit:
                "đơn vị thay đổi từ “\(old.unit.text)” thành “\(new.unit.text)”"
            case .basis:
                "cơ sở so sánh thay đổi từ “\(old.basis.vietnameseLabel)” thành “\(new.basis.vietnameseLabel)”"
            }
        }
        return "\(label): " + changes.joined(separator: "; ")
    }

    private static func describe(_ measure: Measure) -> String {
        let comparator = measure.comparatorText.isEmpty ? "" : measure.comparatorText + " "
        return comparator + amount(measure)
    }

    private static func comparatorText(_ measure: Measure) -> String {
        measure.comparatorText.isEmpty ? "—" : measure.comparatorText
    }

    /// "24.725 tỷ đồng", "22 - 23%".
    private static func amount(_ measure: Measure) -> String {
        let value = switch measure.value {
        case .exact(let amount): VietnameseNumber.format(amount)
        case .range(let low, let high): "\(VietnameseNumber.format(low)) - \(VietnameseNumber.format(high))"
        }
        return measure.unit.text == "%" ? value + "%" : "\(value) \(measure.unit.text)"
    }

    /// The start of a task's text, cut at a word boundary near 100 characters.
    private static func excerpt(_ text: String) -> String {
        guard text.count > 100 else { return text }
        let cut = text.prefix(100)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + "…"
    }
}
