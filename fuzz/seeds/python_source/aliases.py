import os as o
from os import environ as env, getenv
from os import *
import duckdb as ddb
from duckdb import connect as c

e = env
e2 = e.copy()
get = o.environ.get
batch = int(e2["BATCH_SIZE"])
debug = getenv("DEBUG", "0") == "1"
flag = get("FLAG")
if (token := o.environ.pop("TMP_TOKEN", None)) is not None:
    pass
if "REGION" in env and "OTHER" not in o.environ.keys():
    pass
dict(o.environ)["COPY"]
conn = c("md:" + "db", config={"motherduck_token": token})
conn2 = ddb.connect(database=f"motherduck:{batch}")
