/// What changed between two revisions of a directive, for re-import: the same text gives an empty diff.
///
/// Targets are matched by number, their measures by id ("5", "13.b"); tasks by ``DirectiveTask/key`` (section number,
/// lead codes and a hash of the folded text), so renumbered blocks or moved lines do not count as changes.
public struct DirectiveDiff: Sendable, Codable, Equatable {
    /// Measures whose name, comparator, value, unit or basis changed, or that appeared or disappeared within a target
    /// present in both revisions; in target order.
    public let targetRevisions: [TargetRevision]
    /// Targets whose number is only in the new revision.
    public let addedTargets: [Target]
    /// Targets whose number is only in the old revision.
    public let removedTargets: [Target]
    /// Tasks whose key is only in the new revision, in new order.
    public let addedTasks: [DirectiveTask]
    /// Tasks whose key is only in the old revision, in old order.
    public let removedTasks: [DirectiveTask]

    /// Compares two revisions.
    public init(old: Directive, new: Directive) {
        let oldNumbers = Set(old.targets.map(\.number))
        let newNumbers = Set(new.targets.map(\.number))
        addedTargets = new.targets.filter { !oldNumbers.contains($0.number) }
        removedTargets = old.targets.filter { !newNumbers.contains($0.number) }
        targetRevisions = new.targets.flatMap { newTarget in
            old.target(number: newTarget.number).map { TargetRevision.changes(from: $0, to: newTarget) } ?? []
        }
        let oldKeys = Set(old.tasks.map(\.key))
        let newKeys = Set(new.tasks.map(\.key))
        addedTasks = new.tasks.filter { !oldKeys.contains($0.key) }
        removedTasks = old.tasks.filter { !newKeys.contains($0.key) }
    }

    /// Whether nothing changed.
    public var isEmpty: Bool {
        targetRevisions.isEmpty && addedTargets.isEmpty && removedTargets.isEmpty && addedTasks.isEmpty && removedTasks.isEmpty
    }
}

/// A change to one measure of a target: the target's own ("5") or a sub-target's ("1.b").
public struct TargetRevision: Sendable, Codable, Equatable {
    /// The target's number.
    public let targetNumber: Int
    /// The measure's id: the target number for its own measure, the sub-target id otherwise.
    public let measureID: String
    /// What changed; empty when the measure appeared or disappeared (then `old` or `new` is `nil`).
    public let changedFields: [MeasureField]
    /// The name before.
    public let oldName: String?
    /// The name after.
    public let newName: String?
    /// The measure before; `nil` when it is new.
    public let old: Measure?
    /// The measure after; `nil` when it was removed.
    public let new: Measure?

    static func changes(from old: Target, to new: Target) -> [TargetRevision] {
        func named(_ target: Target) -> [(id: String, name: String, measure: Measure?)] {
            [(String(target.number), target.name, target.measure)] + target.subTargets.map { ($0.id, $0.name, $0.measure) }
        }
        let before = named(old)
        let after = named(new)
        let ids = after.map(\.id) + before.map(\.id).filter { id in !after.contains { $0.id == id } }
        return ids.compactMap { id in
            let previous = before.first { $0.id == id }
            let next = after.first { $0.id == id }
            var fields: [MeasureField] = []
            if let previous, let next {
                if MatchingKey(previous.name) != MatchingKey(next.name) { fields.append(.name) }
                fields += MeasureField.differences(previous.measure, next.measure)
                guard !fields.isEmpty || (previous.measure == nil) != (next.measure == nil) else { return nil }
            }
            return TargetRevision(
                targetNumber: new.number, measureID: id, changedFields: fields, oldName: previous?.name, newName: next?.name,
                old: previous?.measure, new: next?.measure)
        }
    }
}

/// A part of a measure that can change between revisions.
public enum MeasureField: String, Sendable, Codable, CaseIterable {
    /// The Vietnamese name.
    case name
    /// The comparator.
    case comparator
    /// The value or range.
    case value
    /// The unit's code.
    case unit
    /// What the value is measured against.
    case basis

    /// The fields that differ between two measures present in both revisions (the unit compared by code).
    static func differences(_ old: Measure?, _ new: Measure?) -> [MeasureField] {
        guard let old, let new else { return [] }
        var fields: [MeasureField] = []
        if old.comparator != new.comparator { fields.append(.comparator) }
        if old.value != new.value { fields.append(.value) }
        if old.unit.code != new.unit.code { fields.append(.unit) }
        if old.basis != new.basis { fields.append(.basis) }
        return fields
    }
}
