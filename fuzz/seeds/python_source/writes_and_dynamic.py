import os

# os.environ["IN_COMMENT"]
text = "os.environ['IN_STRING']"
os.environ["WRITTEN"] = "1"
del os.environ["DELETED"]
os.environ["COUNTER"] += "1"
for os.environ["LOOP"] in []:
    pass
name = "X"
value = os.environ[name]
other = os.environ[f"PREFIX_{name}"]
os.getenv(*["A"])
os.environ.setdefault("DEFAULTED", "v")
os.environ.__getitem__("DUNDER")
os.environ["CONCAT_" "ENATED"] + os.environ["PL" + "US"]
