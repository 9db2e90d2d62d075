#!/usr/bin/env python3
"""Entry point of the mock MCP server (tools/mock_mcp/, see its __init__.py and server.py).
Usage: mock_mcp_server.py --port-file FILE [--era E] [--flights N --delay-ms D] [--fleet]"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mock_mcp.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
