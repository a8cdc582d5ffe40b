import DepartmentCore
import PlanContracts

/// The CSV layouts of the security records: English or Vietnamese headers. A case needs its own id (letters, digits,
/// ".", "_", "-"); the other kinds' ids may be left out and are then made from the row's kind, unit and period, so a
/// file imported twice stores nothing twice.
enum SecurityCSV {
    static let layouts: [RecordKindLayout<Planmonitor_Security_V1_SecurityRecord>] = [
        RecordKindLayout(kind: SecurityRecordKind.securityCase.rawValue, titleVi: "Vụ việc an ninh, trật tự", columns: [
            CSVColumn("record_id", aliases: ["mã bản ghi", "mã vụ việc", "mã"]),
            orgUnit, commune,
            CSVColumn("occurred_on", aliases: ["ngày xảy ra", "ngày"]),
            CSVColumn("category", aliases: ["loại", "loại vụ việc"]),
            CSVColumn("suspects", aliases: ["số đối tượng"], isRequired: false),
            CSVColumn("description", aliases: ["nội dung", "tóm tắt"]),
        ], decode: decodeCase),
        RecordKindLayout(kind: SecurityRecordKind.traffic.rawValue, titleVi: "Tai nạn giao thông trong tháng", columns: [
            recordID, orgUnit, month, cases, deaths, injuries, note,
        ], decode: decodeTraffic),
        RecordKindLayout(kind: SecurityRecordKind.fires.rawValue, titleVi: "Cháy, nổ trong tháng", columns: [
            recordID, orgUnit, month, cases, deaths, injuries,
            CSVColumn("damage", aliases: ["thiệt hại", "thiệt hại ước tính"]),
            CSVColumn("unit", aliases: ["đơn vị tính", "đvt"], isRequired: false),
            note,
        ], decode: decodeFires),
        RecordKindLayout(kind: SecurityRecordKind.conscription.rawValue, titleVi: "Tuyển quân, giao quân", columns: [
            recordID, orgUnit,
            CSVColumn("year", aliases: ["năm"]),
            CSVColumn("quota", aliases: ["chỉ tiêu"]),
            CSVColumn("delivered", aliases: ["đã giao quân", "giao quân"]),
            note,
        ], decode: decodeConscription),
        RecordKindLayout(kind: SecurityRecordKind.drill.rawValue, titleVi: "Diễn tập", columns: [
            recordID, orgUnit, commune,
            CSVColumn("kind", aliases: ["loại diễn tập", "loại"]),
            CSVColumn("planned_month", aliases: ["tháng kế hoạch", "kế hoạch"]),
            CSVColumn("held_on", aliases: ["ngày diễn tập", "ngày tổ chức"], isRequired: false),
            note,
        ], decode: decodeDrill),
    ]

    private static let recordID = CSVColumn("record_id", aliases: ["mã bản ghi", "mã"], isRequired: false)
    private static let orgUnit = CSVColumn("org_unit_code", aliases: ["mã đơn vị", "mã quận, huyện", "đơn vị"])
    private static let commune = CSVColumn("commune_code", aliases: ["mã xã", "mã xã, phường"], isRequired: false)
    private static let month = CSVColumn("month", aliases: ["tháng", "kỳ"])
    private static let cases = CSVColumn("cases", aliases: ["số vụ"])
    private static let deaths = CSVColumn("deaths", aliases: ["số người chết", "chết"])
    private static let injuries = CSVColumn("injuries", aliases: ["số người bị thương", "bị thương"])
    private static let note = CSVColumn("note", aliases: ["ghi chú"], isRequired: false)

    private static func decodeCase(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Security_V1_SecurityRecord {
        var errors = CSVRowErrors()
        var securityCase = Planmonitor_Security_V1_SecurityCase()
        securityCase.recordID = row["record_id"]
        securityCase.orgUnitCode = row["org_unit_code"]
        securityCase.communeCode = row["commune_code"]
        if let (year, month, day) = errors.collect({ () throws(CSVFieldError) in try row.parse("occurred_on", as: CSVValue.date) }) {
            securityCase.occurredOn = LocalDay.make(Int32(year), Int32(month), Int32(day))
        }
        securityCase.category = errors.collect { () throws(CSVFieldError) in
            guard let category = SecurityVocabulary.categories.first(where: { $0.codes.contains(row["category"].lowercased()) }) else {
                throw row.fieldError("category", "is not a category (\(SecurityVocabulary.categoryCodes))")
            }
            return category.category
        } ?? .unspecified
        securityCase.suspects = row["suspects"].isEmpty ? 0 : (errors.integer("suspects", of: row, as: Int32.self) ?? 0)
        securityCase.description_p = row["description"]
        if !errors.isEmpty { throw errors }
        return .with { $0.securityCase = securityCase }
    }

    private static func decodeTraffic(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Security_V1_SecurityRecord {
        var errors = CSVRowErrors()
        var traffic = Planmonitor_Security_V1_TrafficAccidents()
        traffic.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (traffic.year, traffic.month) = (year, month)
        }
        traffic.cases = (errors.integer("cases", of: row, as: Int32.self) ?? 0)
        traffic.deaths = (errors.integer("deaths", of: row, as: Int32.self) ?? 0)
        traffic.injuries = (errors.integer("injuries", of: row, as: Int32.self) ?? 0)
        traffic.note = row["note"]
        traffic.recordID = row["record_id"].isEmpty ? "tngt-\(traffic.orgUnitCode)-\(traffic.year)-\(traffic.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.traffic = traffic }
    }

    private static func decodeFires(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Security_V1_SecurityRecord {
        var errors = CSVRowErrors()
        var fires = Planmonitor_Security_V1_FiresAndExplosions()
        fires.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (fires.year, fires.month) = (year, month)
        }
        fires.cases = (errors.integer("cases", of: row, as: Int32.self) ?? 0)
        fires.deaths = (errors.integer("deaths", of: row, as: Int32.self) ?? 0)
        fires.injuries = (errors.integer("injuries", of: row, as: Int32.self) ?? 0)
        fires.damage = errors.collect { () throws(CSVFieldError) in
            let amount = try row.parse("damage", as: CSVValue.decimal)
            let unitText = row["unit"]
            guard let unit = unitText.isEmpty ? .millionVnd : MoneyUnits.unit(unitText) else {
                throw row.fieldError("unit", "is not a unit of money (triệu đồng, tỷ đồng, đồng)")
            }
            return Planmonitor_Common_V1_Money(amount: amount, unit: unit)
        } ?? .init()
        fires.note = row["note"]
        fires.recordID = row["record_id"].isEmpty ? "chay-no-\(fires.orgUnitCode)-\(fires.year)-\(fires.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.fires = fires }
    }

    private static func decodeConscription(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Security_V1_SecurityRecord {
        var errors = CSVRowErrors()
        var conscription = Planmonitor_Security_V1_Conscription()
        conscription.orgUnitCode = row["org_unit_code"]
        conscription.year = (errors.integer("year", of: row, as: Int32.self) ?? 0)
        conscription.quota = (errors.integer("quota", of: row, as: Int32.self) ?? 0)
        conscription.delivered = (errors.integer("delivered", of: row, as: Int32.self) ?? 0)
        conscription.note = row["note"]
        conscription.recordID = row["record_id"].isEmpty ? "giao-quan-\(conscription.orgUnitCode)-\(conscription.year)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.conscription = conscription }
    }

    private static func decodeDrill(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Security_V1_SecurityRecord {
        var errors = CSVRowErrors()
        var drill = Planmonitor_Security_V1_Drill()
        drill.orgUnitCode = row["org_unit_code"]
        drill.communeCode = row["commune_code"]
        let kind = errors.collect { () throws(CSVFieldError) in
            guard let kind = SecurityVocabulary.drillKinds.first(where: { $0.codes.contains(row["kind"].lowercased()) }) else {
                throw row.fieldError("kind", "is not a kind of drill (\(SecurityVocabulary.drillKindCodes))")
            }
            return kind
        }
        drill.kind = kind?.kind ?? .unspecified
        if let (year, month) = errors.month("planned_month", of: row) {
            (drill.year, drill.plannedMonth) = (year, month)
        }
        if let (year, month, day) = errors.collect({ () throws(CSVFieldError) in try row.parseIfPresent("held_on", as: CSVValue.date) }) ?? nil {
            drill.heldOn = LocalDay.make(Int32(year), Int32(month), Int32(day))
        }
        drill.note = row["note"]
        let place = drill.communeCode.isEmpty ? drill.orgUnitCode : drill.communeCode
        drill.recordID = row["record_id"].isEmpty ? "dien-tap-\(kind?.codes[0] ?? "")-\(place)-\(drill.year)-\(drill.plannedMonth)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.drill = drill }
    }
}
