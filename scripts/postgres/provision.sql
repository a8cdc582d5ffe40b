-- PlanMonitor PostgreSQL provisioning: databases, one role per service, one schema per service.
-- Idempotent. Run by `scripts/stack` (psql as postgres) and, in docker-compose.yml, by the postgres
-- image at first start (/docker-entrypoint-initdb.d). Passwords are development-only.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

\set services '{budget,investment,infrastructure,social,security,aggregator}'
-- planmonitor = city (org unit 31); planmonitor_305 = Lê Chân; planmonitor_315 = Tiên Lãng; planmonitor_test = tests.
\set databases '{planmonitor,planmonitor_305,planmonitor_315,planmonitor_test}'

-- Roles are cluster-wide: LOGIN, no other privileges, password planmonitor-<role>-dev,
-- search_path = the schema of the same name.
SELECT format('CREATE ROLE %I LOGIN', r)
  FROM unnest(:'services'::text[]) AS r
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r)
\gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L', r, 'planmonitor-' || r || '-dev'),
       format('ALTER ROLE %I SET search_path = %I', r, r)
  FROM unnest(:'services'::text[]) AS r
\gexec

SELECT format('CREATE DATABASE %I ENCODING ''UTF8'' TEMPLATE template0', d)
  FROM unnest(:'databases'::text[]) AS d
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d)
\gexec

-- Per database: a schema per service owned by its role; nobody else may create in public.
\connect planmonitor
SET client_min_messages = warning;
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', s, s), format('ALTER SCHEMA %I OWNER TO %I', s, s)
  FROM unnest(:'services'::text[]) AS s
\gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

\connect planmonitor_305
SET client_min_messages = warning;
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', s, s), format('ALTER SCHEMA %I OWNER TO %I', s, s)
  FROM unnest(:'services'::text[]) AS s
\gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

\connect planmonitor_315
SET client_min_messages = warning;
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', s, s), format('ALTER SCHEMA %I OWNER TO %I', s, s)
  FROM unnest(:'services'::text[]) AS s
\gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

\connect planmonitor_test
SET client_min_messages = warning;
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', s, s), format('ALTER SCHEMA %I OWNER TO %I', s, s)
  FROM unnest(:'services'::text[]) AS s
\gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
