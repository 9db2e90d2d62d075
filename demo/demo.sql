-- flights_helper demo: run by `make demo` in the DuckDB 1.5 CLI, after INSTALL flights_helper FROM build/repository and LOAD flights_helper (by name).
-- An ingest Flight: stored config, one attached Flight secret, a service-account token,
-- and a per-run override of REGION. What will the run's environment be?
.print '-- The environment a run of the ingest Flight gets (REGION overridden for this run):'
FROM flight_env_preview(
    config := MAP {'REGION': 'us-east-1', 'BATCH_SIZE': '1000'},
    override := MAP {'REGION': 'eu-central-1'},
    flight_secret_names := ['my_api_secret'],
    secrets := MAP {'my_api_secret': ['API_KEY', 'ENDPOINT']},
    access_token_name := 'flights-prod-ingest');

.print '-- What flight_check says about a Flight with mistakes in it:'
SELECT severity, code, subject FROM flight_check(
    config := MAP {'REGION': 'us-east-1', 'OPENAI_API_KEY': 'sk-proj0123456789abcdefghijklmnop'},
    override := MAP {'REGON': 'eu-central-1'},
    flight_secret_names := ['my_api_secret', 'dropped_secret'],
    secrets := MAP {'my_api_secret': ['API_KEY']});

.print '-- Updating config replaces the whole map: BATCH_SIZE would be gone.'
FROM flight_config_diff(MAP {'REGION': 'us-east-1', 'BATCH_SIZE': '1000'}, MAP {'REGION': 'eu-central-1'});

.print '-- Which per-run overrides would MotherDuck accept?'
SELECT run, flight_override_is_valid(stored, override) AS ok, flight_validate_override(stored, override) AS problems
FROM (VALUES (1, MAP {'REGION': 'us-east-1', 'BATCH_SIZE': '1000'}, MAP {'REGION': 'eu-central-1'}),
             (2, MAP {'REGION': 'us-east-1', 'BATCH_SIZE': '1000'}, MAP {'REGON': 'eu-central-1'}))
     runs(run, stored, override);

.print '-- The fleet audit: a local table shaped like MD_GET_FLIGHT_VERSION rows (plus flight_name and'
.print '-- schedule_cron from MD_FLIGHTS()), as copied from an md: session. Which Flights will fail,'
.print '-- leak a credential, or run a schedule on a personal token?'
CREATE TEMP TABLE my_flight_versions AS
SELECT * FROM (VALUES
    ('80000000-0000-0000-0000-000000000001'::UUID, 'nightly_ingest', 3::UINTEGER, 'flights-prod-ingest', ['my_api_secret'],
     MAP {'REGION': 'eu-central-1', 'BATCH_SIZE': '5000'}, 'import os
key = os.environ["MY_API_SECRET_API_KEY"]', '0 6 * * *'),
    ('80000000-0000-0000-0000-000000000002'::UUID, 'hourly_export', 1::UINTEGER, NULL, ['my_api_secret', 'old_secret'],
     MAP {'REGION': 'us', 'AWS_SECRET_ACCESS_KEY': 'wJalr...'}, 'import os
api_key = os.environ["API_KEY"]', '0 * * * *')
) t(flight_id, flight_name, flight_version, access_token_name, flight_secret_names, config, source_code, schedule_cron);

SELECT flight_name, f.severity, f.code, f.subject
FROM (SELECT flight_name, unnest(flight_findings(v)) AS f FROM my_flight_versions v)
WHERE f.severity IN ('error', 'warning')
ORDER BY flight_name, f.severity, f.code;

.print '-- And the environment of one of them:'
SELECT e.name, e.value, e.source, e.origin
FROM (SELECT unnest(flight_env(v)) AS e FROM my_flight_versions v WHERE flight_name = 'nightly_ingest');

.print '-- The same audit over motherduck_flights(): every Flight the token's user owns, fetched from MotherDuck'
.print '-- (here a mock MCP server on loopback, started by make demo, answering in the documented shapes).'
SELECT flight_name, f.severity, f.code, f.subject
FROM (SELECT flight_name, unnest(flight_findings(fl)) AS f FROM motherduck_flights() fl)
WHERE f.severity IN ('error', 'warning')
ORDER BY flight_name, f.severity, f.code;

.print '-- After a run fails: the newest failed run of every Flight, diagnosed from its log, the version it ran'
.print '-- and the current version (motherduck_fleet_diagnosis; one Flight: motherduck_flight_diagnosis).'
SELECT flight_name, run_number, flight_version, code, subject
FROM motherduck_fleet_diagnosis() WHERE severity = 'error' ORDER BY flight_name;
