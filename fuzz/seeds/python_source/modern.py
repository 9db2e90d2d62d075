import os
from typing import Any


async def main(**kwargs: Any) -> None:
    match os.environ.get("MODE"):
        case "full":
            rows = [r async for r in fetch(os.environ["SOURCE_URL"])]
        case _:
            rows = []
    print(f"{os.environ['REGION']!r:>10} {len(rows)}")
    lam = lambda: os.getenv(key="LAZY", default=None)
    type Alias = list[int]
    return None
