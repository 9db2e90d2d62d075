-- A fleet of five Flights as a local table shaped like MotherDuck's rows: the columns of
-- MD_GET_FLIGHT_VERSION as MotherDuck's SQL reference lists them (less version_id and created_at),
-- with flight_name and schedule_cron from MD_FLIGHTS(), as you would copy them from an md: session:
--   CREATE TEMP TABLE my_flight_versions AS
--       SELECT f.flight_name, f.schedule_cron, v.* FROM MD_FLIGHTS() f JOIN my_versions v USING (flight_id);
-- Each source_code is its lines joined with newlines (chr(10)), so the statement reads the same
-- however it is indented. Used as is by examples/flights_helper.ipynb and tools/fleet_chart.py
-- (README's picture); examples/fleet_audit.py holds a copy (tools/run_notebooks.py checks it).
CREATE OR REPLACE TABLE my_flight_versions AS
SELECT * FROM (VALUES
    ('nightly_ingest', '0 6 * * *', '80000000-0000-0000-0000-000000000001'::UUID, 3::UINTEGER,
     'flights-prod-ingest', ['my_api_secret'],
     MAP {'REGION': 'eu-central-1', 'BATCH_SIZE': '5000'},
     concat_ws(chr(10), 'import os',
                        'region = os.environ["REGION"]',
                        'key = os.environ["MY_API_SECRET_API_KEY"]'),
     'duckdb==1.5.6', 900::UINTEGER, 'F4'),
    ('hourly_export', '0 * * * *', '80000000-0000-0000-0000-000000000002'::UUID, 1::UINTEGER,
     NULL, ['my_api_secret', 'old_secret'],
     MAP {'REGION': 'us', 'AWS_SECRET_ACCESS_KEY': 'wJalr...'},
     concat_ws(chr(10), 'import os',
                        'api_key = os.environ["API_KEY"]'),
     'duckdb==1.5.6', 0::UINTEGER, 'F4'),
    ('weekly_report', '0 8 * * 1', '80000000-0000-0000-0000-000000000003'::UUID, 7::UINTEGER,
     'flights-prod-reports', [],
     MAP {'SLACK_CHANNEL': '#metrics', 'REPORT_DAYS': ''},
     concat_ws(chr(10), 'import os',
                        'webhook = "xoxb-0123456789-abcdefghijklmnop"',
                        'channel = os.environ["SLACK_CHANNEL"]',
                        'days = int(os.environ["REPORT_DAYS"] or "7")',
                        'owner = os.environ["REPORT_OWNER"]'),
     'requests==2.32.3', 600::UINTEGER, 'F4'),
    ('dbt_refresh', NULL, '80000000-0000-0000-0000-000000000004'::UUID, 2::UINTEGER,
     'flights-prod-dbt', [],
     MAP {'DBT_TARGET': 'prod', 'dbt-threads': '4'},
     concat_ws(chr(10), 'import os',
                        'def main(:',
                        '    target = os.environ["DBT_TARGET"]'),
     'dbt-duckdb==1.9.1', 3600::UINTEGER, 'F8'),
    ('adhoc_backfill', NULL, '80000000-0000-0000-0000-000000000005'::UUID, 1::UINTEGER,
     NULL, [],
     MAP {'START_DATE': '2024-01-01', 'END_DATE': '2024-12-31'},
     concat_ws(chr(10), 'import os',
                        'start, end = os.environ["START_DATE"], os.environ["END_DATE"]'),
     NULL, 0::UINTEGER, 'F4')
) t(flight_name, schedule_cron, flight_id, flight_version, access_token_name, flight_secret_names, config,
    source_code, requirements_txt, max_runtime_sec, instance_type);
