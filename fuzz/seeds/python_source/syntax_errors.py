import os
def f(:
    os.environ["A"
  x = os.environ.get("B")
class
	os.getenv("C"))
