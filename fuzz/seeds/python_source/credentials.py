import os

OPENAI = "sk-abcdefghijklmnopqrstuvwxyz0123"
AWS = 'AKIAABCDEFGHIJKLMNOP'
JWT = """eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl"""
HEADERS = {"Authorization": "Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789"}
KEY = b"-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"
url = os.environ.get("URL", "xoxb-1234567890-abcdef")
