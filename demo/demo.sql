-- flights_helper demo: run by `make demo` in the DuckDB 1.5 CLI, extension loaded.
SELECT flights_helper_version() AS version;
