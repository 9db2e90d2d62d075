import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # The fleet audit, reactive

    What a MotherDuck Flight run gets, and what is wrong with it, checked offline with
    flights_helper: the environment of the example on MotherDuck's page "Authentication, config, and
    secrets", then a fleet of Flights as a chart; pick one to see its environment and findings.

    **Run it** from a checkout: `make repository` (writes `build/repository`), then
    `marimo edit examples/fleet_audit.py` with `marimo`, `duckdb` (1.5 or 2.0), `polars` and
    `matplotlib` installed. `make test-notebooks` exports it to HTML headless, in the pinned
    environments of `tools/requirements-notebooks.txt` (DuckDB 2.0.1) and
    `tools/requirements-notebooks-1.5.txt` (DuckDB 1.5.6).
    """)
    return


@app.cell
def _():
    import duckdb
    import marimo as mo

    from findings_chart import plot_findings  # beside this notebook: the drawing of README's picture

    return duckdb, mo, plot_findings


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Load the extension

    flights_helper is not signed by DuckDB, so the connection must allow unsigned extensions when it
    opens. marimo's SQL cells run on DuckDB's default in-memory connection unless they name another
    (`engine=`, the engine menu of a SQL cell); that default connection opens without unsigned
    extensions and cannot load flights_helper. So this notebook opens `con` and every SQL cell
    names it. (`duckdb.set_default_connection(con)` would make it the default instead.)

    The next cell loads the flights_helper you have installed, from wherever it came (DuckDB's
    community repository, your team's, a build of your own); only when none is installed does it
    install one, from your team's repository (here the one `make repository` wrote). It prints which
    build it loaded. To replace an installed build with the repository's, run
    `FORCE INSTALL flights_helper FROM '<repository>'` once and restart the kernel. To also
    `ATTACH 'md:'` here, run a DuckDB that MotherDuck accepts (1.4 and 1.5 today, not 2.0).
    """)
    return


@app.cell
def _(duckdb, mo):
    # Your team's repository (on a web server, its URL); here the one `make repository` wrote.
    repository = (mo.notebook_dir().parent / "build" / "repository").resolve().as_posix()
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    try:
        con.execute("LOAD flights_helper")  # the installed build, wherever it came from
    except duckdb.IOException:  # none installed: install it once, then load it
        con.execute(f"INSTALL flights_helper FROM '{repository}'")
        # Once flights_helper is a DuckDB community extension: INSTALL flights_helper FROM community
        con.execute("LOAD flights_helper")
    duckdb_version, version, origin = con.execute(
        "SELECT version(), extension_version, installed_from FROM duckdb_extensions() "
        "WHERE extension_name = 'flights_helper'"
    ).fetchone()
    print(f"flights_helper {version} (installed from {origin}) loaded on DuckDB {duckdb_version}")
    return (con,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## The documented example's environment

    The secret `my_api_secret` holds `API_KEY` and `ENDPOINT`; attached to a Flight, `API_KEY`
    arrives as `MY_API_SECRET_API_KEY`. Secret values are never shown.
    """)
    return


@app.cell
def _(con, mo):
    documented_env = mo.sql(
        f"""
        FROM flight_env_preview(
            config := MAP {{'REGION': 'us', 'BATCH_SIZE': '1000'}},
            flight_secret_names := ['my_api_secret'],
            secrets := MAP {{'my_api_secret': ['API_KEY', 'ENDPOINT']}})
        """,
        engine=con,
    )
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## The fleet

    A local table shaped like MotherDuck's rows (`MD_GET_FLIGHT_VERSION`'s columns, with
    `flight_name` and `schedule_cron` from `MD_FLIGHTS()`), as copied from an `md:` session; the
    same Flights as `examples/fleet.sql`.
    """)
    return


@app.cell
def _(con, mo):
    _df = mo.sql(
        f"""
        CREATE OR REPLACE TABLE my_flight_versions AS
        SELECT * FROM (VALUES
            ('nightly_ingest', '0 6 * * *', '80000000-0000-0000-0000-000000000001'::UUID, 3::UINTEGER,
             'flights-prod-ingest', ['my_api_secret'],
             MAP {{'REGION': 'eu-central-1', 'BATCH_SIZE': '5000'}},
             concat_ws(chr(10), 'import os',
                                'region = os.environ["REGION"]',
                                'key = os.environ["MY_API_SECRET_API_KEY"]'),
             'duckdb==1.5.6', 900::UINTEGER, 'F4'),
            ('hourly_export', '0 * * * *', '80000000-0000-0000-0000-000000000002'::UUID, 1::UINTEGER,
             NULL, ['my_api_secret', 'old_secret'],
             MAP {{'REGION': 'us', 'AWS_SECRET_ACCESS_KEY': 'wJalr...'}},
             concat_ws(chr(10), 'import os',
                                'api_key = os.environ["API_KEY"]'),
             'duckdb==1.5.6', 0::UINTEGER, 'F4'),
            ('weekly_report', '0 8 * * 1', '80000000-0000-0000-0000-000000000003'::UUID, 7::UINTEGER,
             'flights-prod-reports', [],
             MAP {{'SLACK_CHANNEL': '#metrics', 'REPORT_DAYS': ''}},
             concat_ws(chr(10), 'import os',
                                'webhook = "xoxb-0123456789-abcdefghijklmnop"',
                                'channel = os.environ["SLACK_CHANNEL"]',
                                'days = int(os.environ["REPORT_DAYS"] or "7")',
                                'owner = os.environ["REPORT_OWNER"]'),
             'requests==2.32.3', 600::UINTEGER, 'F4'),
            ('dbt_refresh', NULL, '80000000-0000-0000-0000-000000000004'::UUID, 2::UINTEGER,
             'flights-prod-dbt', [],
             MAP {{'DBT_TARGET': 'prod', 'dbt-threads': '4'}},
             concat_ws(chr(10), 'import os',
                                'def main(:',
                                '    target = os.environ["DBT_TARGET"]'),
             'dbt-duckdb==1.9.1', 3600::UINTEGER, 'F8'),
            ('adhoc_backfill', NULL, '80000000-0000-0000-0000-000000000005'::UUID, 1::UINTEGER,
             NULL, [],
             MAP {{'START_DATE': '2024-01-01', 'END_DATE': '2024-12-31'}},
             concat_ws(chr(10), 'import os',
                                'start, end = os.environ["START_DATE"], os.environ["END_DATE"]'),
             NULL, 0::UINTEGER, 'F4')
        ) t(flight_name, schedule_cron, flight_id, flight_version, access_token_name, flight_secret_names, config,
            source_code, requirements_txt, max_runtime_sec, instance_type)
        """,
        engine=con,
        output=False,
    )
    return


@app.cell
def _(con, mo, my_flight_versions):
    counts = mo.sql(
        f"""
        WITH audit AS (
            SELECT flight_name, flight_findings(v) AS findings FROM my_flight_versions v
        )
        SELECT flight_name,
               len(list_filter(findings, lambda f: f.severity = 'error'))   AS error,
               len(list_filter(findings, lambda f: f.severity = 'warning')) AS warning,
               len(list_filter(findings, lambda f: f.severity = 'info'))    AS info
        FROM audit
        ORDER BY error DESC, warning DESC, info DESC, flight_name
        """,
        engine=con,
    )
    return (counts,)


@app.cell
def _(counts, plot_findings):
    plot_findings(counts.rows())
    return


@app.cell
def _(con, mo, my_flight_versions):
    flights = mo.sql(
        f"""
        SELECT flight_name, flight_id::VARCHAR AS flight_id, schedule_cron, access_token_name
        FROM my_flight_versions ORDER BY flight_name
        """,
        engine=con,
        output=False,
    )
    flight = mo.ui.dropdown(
        options=dict(zip(flights["flight_name"], flights["flight_id"])),
        value="hourly_export",
        label="Flight",
    )
    flight
    return (flight,)


@app.cell
def _(con, flight, mo, my_flight_versions):
    flight_environment = mo.sql(
        f"""
        SELECT e.name, e.value, e.source, e.origin, e.note
        FROM (SELECT unnest(flight_env(v)) AS e FROM my_flight_versions v WHERE flight_id = '{flight.value}')
        """,
        engine=con,
    )
    return


@app.cell
def _(con, flight, mo, my_flight_versions):
    flight_findings_rows = mo.sql(
        f"""
        SELECT f.severity, f.code, f.subject, f.message
        FROM (SELECT unnest(flight_findings(v)) AS f FROM my_flight_versions v WHERE flight_id = '{flight.value}')
        """,
        engine=con,
    )
    return


if __name__ == "__main__":
    app.run()
