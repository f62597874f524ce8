"""Every way to authenticate to WorkoutKit Gateway, from Python, then one API call each.

  WK_BASE_URL=http://127.0.0.1:3000/sandbox WK_CLIENT_NAME=acme-app WK_CLIENT_SECRET=... \
    python3 examples/python/workoutkit_example.py

1. an issued token: POST /authtoken with the client's name and secret (standard library only);
2. a self-signed HS256 token with the client secret (standard library only);
3. a self-signed ES256 token with the client's own key (needs `pip install cryptography`): with
   WK_ADMIN_KEY set (the local gateway's operator key) it generates a key and registers its public
   JWKS first; in AWS the platform team registers your JWKS (or JWKS URL) instead.

Each way calls GET /v1/auth/verify and prints one JSON line: {"way", "status", "body"}.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE = os.environ.get("WK_BASE_URL", "http://127.0.0.1:3000/sandbox").rstrip("/")
CLIENT = os.environ["WK_CLIENT_NAME"]
SECRET = os.environ["WK_CLIENT_SECRET"]
SUB = os.environ.get("WK_SUB", "user-123")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def call(method: str, path: str, body=None, headers=None):
    """One HTTP call; returns (status, parsed JSON body). Error answers are JSON too."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("X-Request-Id", "py-" + uuid.uuid4().hex)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=15) as res:
            raw = res.read()
            return res.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        # Act on the "error" code, not on the text (docs/integrators.md, error reference).
        return err.code, json.loads(err.read() or b"null")


def verify(way: str, token: str) -> None:
    status, body = call("GET", "/v1/auth/verify", headers={"Authorization": "Bearer " + token})
    print(json.dumps({"way": way, "status": status, "body": body}))


def issued_token() -> str:
    status, body = call("POST", "/authtoken", {"clientName": CLIENT, "clientSecret": SECRET, "sub": SUB})
    if status != 200:
        sys.exit(f"/authtoken answered {status}: {body}")
    return body["token"]  # valid 4 h: reuse it until body["expiresAt"]


def jws(header: dict, claims: dict, sign) -> str:
    signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + \
        b64url(json.dumps(claims, separators=(",", ":")).encode())
    return signing_input + "." + b64url(sign(signing_input.encode("ascii")))


def hs256_token() -> str:
    now = int(time.time())
    claims = {"clientName": CLIENT, "sub": SUB, "iat": now, "exp": now + 300}
    # The HMAC key is the UTF-8 bytes of the secret string, as jsonwebtoken.sign(payload, secret) does.
    return jws({"alg": "HS256", "typ": "JWT"}, claims,
               lambda m: hmac.new(SECRET.encode("utf-8"), m, hashlib.sha256).digest())


def es256_token() -> str:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    key = ec.generate_private_key(ec.SECP256R1())
    kid = "py-" + uuid.uuid4().hex[:8]
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256", "use": "sig",
           "x": b64url(numbers.x.to_bytes(32, "big")), "y": b64url(numbers.y.to_bytes(32, "big"))}
    admin_key = os.environ.get("WK_ADMIN_KEY")
    if admin_key:
        status, body = call("PUT", f"/admin/clients/{CLIENT}/keys", {"jwks": {"keys": [jwk]}},
                            {"X-WorkoutKit-Admin-Key": admin_key})
        if status != 200:
            sys.exit(f"registering the JWKS answered {status}: {body}")
        # The gateway's authorizers keep a client's keys for up to 5 s: a new key is accepted
        # once that has passed (in AWS as locally).
        time.sleep(6)

    def sign(message: bytes) -> bytes:
        # JWS wants the raw 64-byte r || s, not the DER that cryptography returns.
        r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    now = int(time.time())
    return jws({"alg": "ES256", "typ": "JWT", "kid": kid},
               {"clientName": CLIENT, "sub": SUB, "iat": now, "exp": now + 300}, sign)


if __name__ == "__main__":
    verify("issued", issued_token())
    verify("client-hs256", hs256_token())
    verify("client-asymmetric", es256_token())
