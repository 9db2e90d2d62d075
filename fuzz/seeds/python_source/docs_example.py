import os
import duckdb

api_key = os.environ["MY_API_SECRET_API_KEY"]
endpoint = os.environ.get("MY_API_SECRET_ENDPOINT", "https://api.example.com")
region = os.getenv("REGION")

con = duckdb.connect("md:my_db")
con.sql("CREATE TABLE IF NOT EXISTS t AS SELECT 42 AS x")
