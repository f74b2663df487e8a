#!/usr/bin/env python3
"""Independent JOSE implementation (jwcrypto) checking Palisade envelopes, and making some for it.

  jose_interop.py open <envelope> <recipient-private-jwk.json> <sender-public-jwk.json>
      decrypt + verify an envelope; print {"jwe_header", "jws_header", "claims", "thumbprints"}
  jose_interop.py seal <sender-private-jwk.json> <recipient-public-jwk.json> <claims.json>
      print a nested JWT (EdDSA JWS inside an ECDH-ES+A256KW/A256GCM JWE) made by jwcrypto
"""
import json
import sys

from jwcrypto import jwe, jwk, jws, jwt


def load_key(path):
    with open(path, encoding="utf-8") as f:
        return jwk.JWK(**json.load(f))


def open_envelope(envelope_path, recipient_path, sender_path):
    with open(envelope_path, encoding="utf-8") as f:
        compact = f.read().strip()
    recipient, sender = load_key(recipient_path), load_key(sender_path)
    outer = jwe.JWE()
    outer.allowed_algs = ["ECDH-ES+A256KW", "A256GCM"]  # pinned, as on our side
    outer.deserialize(compact, key=recipient)
    jwe_header = json.loads(outer.objects["protected"])
    inner = jws.JWS()
    inner.allowed_algs = ["EdDSA"]
    inner.deserialize(outer.payload.decode("ascii"))
    inner.verify(sender)
    print(json.dumps({
        "jwe_header": jwe_header,
        "jws_header": inner.jose_header,
        "claims": json.loads(inner.payload),
        "thumbprints": {"recipient": recipient.thumbprint(), "sender": sender.thumbprint()},
    }))


def seal_envelope(sender_path, recipient_path, claims_path):
    sender, recipient = load_key(sender_path), load_key(recipient_path)
    with open(claims_path, encoding="utf-8") as f:
        claims = json.load(f)
    signed = jwt.JWT(header={"alg": "EdDSA", "kid": sender.thumbprint(), "typ": "palisade-msg+jwt"}, claims=claims)
    signed.make_signed_token(sender)
    sealed = jwt.JWT(
        header={"alg": "ECDH-ES+A256KW", "enc": "A256GCM", "kid": recipient.thumbprint(), "cty": "JWT"},
        claims=signed.serialize(),
    )
    sealed.make_encrypted_token(recipient)
    print(sealed.serialize())


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"open": open_envelope, "seal": seal_envelope}[command](*args)
