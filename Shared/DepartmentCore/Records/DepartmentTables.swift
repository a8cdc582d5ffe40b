import PlanPersistence

/// The tables every department service keeps besides its share of the directive (applied after
/// `DirectiveShareStore.migrations`):
///
/// - `records` — every version of every domain record: id, version, kind, unit, year, month (0 for a whole-year
///   record), the protobuf record, and who changed it, when, in which request and why. The current version of a
///   record is its highest.
/// - `audit_log` — one row per change (record created or amended, CSV imported, report submitted or corrected):
///   who (user and agency), when, what, in which request.
/// - `observations` — the current figure of each (origin, agency, target, sub-target, indicator, unit, unit of
///   government, period), with its version and the protobuf `Observation`.
/// - `monthly_reports` — every version of every monthly report.
public enum DepartmentTables {
    /// The migrations, in order.
    public static let migrations: [Migration] = [
        Migration(id: "department-0002-records-reports-observations", statements: [
            """
            CREATE TABLE {schema}.records (
                record_id TEXT NOT NULL CHECK (length(record_id) BETWEEN 1 AND 200),
                version INTEGER NOT NULL CHECK (version > 0),
                kind TEXT NOT NULL,
                org_unit_code TEXT NOT NULL,
                year INTEGER NOT NULL,
                month INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
                record BYTEA NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('created', 'amended')),
                reason TEXT NOT NULL,
                changed_by_user TEXT NOT NULL,
                changed_by_agency TEXT NOT NULL,
                request_id TEXT NOT NULL,
                changed_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (record_id, version)
            )
            """,
            "CREATE INDEX records_by_year ON {schema}.records (year, kind, org_unit_code, month)",
            """
            CREATE TABLE {schema}.audit_log (
                sequence BIGSERIAL PRIMARY KEY,
                at TIMESTAMPTZ NOT NULL,
                user_name TEXT NOT NULL,
                agency_code TEXT NOT NULL,
                request_id TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                detail TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE {schema}.observations (
                origin TEXT NOT NULL,
                agency_code TEXT NOT NULL,
                target_number INTEGER NOT NULL,
                sub_target_code TEXT NOT NULL,
                indicator TEXT NOT NULL,
                unit TEXT NOT NULL,
                org_unit_code TEXT NOT NULL,
                period_key TEXT NOT NULL,
                year INTEGER NOT NULL,
                version INTEGER NOT NULL,
                value TEXT NOT NULL,
                observation BYTEA NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key)
            )
            """,
            "CREATE INDEX observations_by_year ON {schema}.observations (year, target_number, org_unit_code)",
            """
            CREATE TABLE {schema}.monthly_reports (
                report_id TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version > 0),
                org_unit_code TEXT NOT NULL,
                agency_code TEXT NOT NULL,
                year INTEGER NOT NULL,
                month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
                received_at TIMESTAMPTZ NOT NULL,
                report BYTEA NOT NULL,
                PRIMARY KEY (report_id, version)
            )
            """,
        ]),
    ]
}
