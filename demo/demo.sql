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
