#!/usr/bin/env bash
# Every way to authenticate that a shell can do with curl and openssl, then one API call each.
#
#   WK_BASE_URL=http://127.0.0.1:3000/sandbox WK_CLIENT_NAME=acme-app WK_CLIENT_SECRET=... \
#     bash examples/curl/tokens.sh
#
# 1. an issued token from POST /authtoken; 2. a self-signed HS256 token (openssl computes the HMAC).
# (ES256 signing from a shell needs DER → r||s conversion: use the TypeScript, Python or Java example.)
# Prints one JSON line per way: {"way", "status", "body"}.
set -euo pipefail
BASE=${WK_BASE_URL:-http://127.0.0.1:3000/sandbox}
: "${WK_CLIENT_NAME:?set WK_CLIENT_NAME}" "${WK_CLIENT_SECRET:?set WK_CLIENT_SECRET}"
SUB=${WK_SUB:-user-123}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

verify() { # way token
  local out status
  out=$(curl -sS -w '\n%{http_code}' "$BASE/v1/auth/verify" -H "Authorization: Bearer $2" -H "X-Request-Id: sh-$$-$1")
  status=${out##*$'\n'}
  printf '{"way":"%s","status":%s,"body":%s}\n' "$1" "$status" "${out%$'\n'*}"
}

# 1. Issued token (4 h; reuse it until expiresAt). The body is JSON: build it with a JSON tool if names or
#    secrets could contain quotes (a clientSecret is URL-safe base64, so here they cannot).
TOKEN=$(curl -sS "$BASE/authtoken" -H 'Content-Type: application/json' \
  -d "{\"clientName\":\"$WK_CLIENT_NAME\",\"clientSecret\":\"$WK_CLIENT_SECRET\",\"sub\":\"$SUB\"}" \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "/authtoken gave no token" >&2; exit 1; }
verify issued "$TOKEN"

# 2. HS256 with the secret: the HMAC key is the secret's UTF-8 bytes, as jsonwebtoken.sign does.
NOW=$(date +%s)
HEADER=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
CLAIMS=$(printf '{"clientName":"%s","sub":"%s","iat":%d,"exp":%d}' "$WK_CLIENT_NAME" "$SUB" "$NOW" $((NOW + 300)) | b64url)
SIG=$(printf '%s' "$HEADER.$CLAIMS" | openssl dgst -sha256 -hmac "$WK_CLIENT_SECRET" -binary | b64url)
verify client-hs256 "$HEADER.$CLAIMS.$SIG"
