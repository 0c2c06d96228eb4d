"""Keys, JWK Sets and JWTs minted by the tests (python3-cryptography), and a JWK Set
server on loopback that the tests control: rotate keys, go down, serve garbage, serve an
OpenID Connect discovery document; it counts what it serves."""
import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value):
    return b64(json.dumps(value, separators=(",", ":")).encode())


def _int_bytes(n, size=None):
    return n.to_bytes(size or (n.bit_length() + 7) // 8, "big")


CURVES = {"ES256": (ec.SECP256R1, "P-256", 32, hashes.SHA256),
          "ES384": (ec.SECP384R1, "P-384", 48, hashes.SHA384),
          "ES512": (ec.SECP521R1, "P-521", 66, hashes.SHA512)}
DIGESTS = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


class Key:
    """A signing key for one alg, with its public JWK."""

    def __init__(self, alg, kid, curve="Ed25519", bits=2048, jwk_extra=None):
        self.alg, self.kid = alg, kid
        if alg[:2] in ("RS", "PS"):
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
            numbers = self.private.public_key().public_numbers()
            jwk = {"kty": "RSA", "n": b64(_int_bytes(numbers.n)), "e": b64(_int_bytes(numbers.e))}
        elif alg in CURVES:
            curve_class, crv, size, _ = CURVES[alg]
            self.private = ec.generate_private_key(curve_class())
            numbers = self.private.public_key().public_numbers()
            jwk = {"kty": "EC", "crv": crv, "x": b64(_int_bytes(numbers.x, size)),
                   "y": b64(_int_bytes(numbers.y, size))}
        elif alg == "EdDSA":
            self.private = (ed25519.Ed25519PrivateKey if curve == "Ed25519"
                            else ed448.Ed448PrivateKey).generate()
            raw = self.private.public_key().public_bytes(serialization.Encoding.Raw,
                                                         serialization.PublicFormat.Raw)
            jwk = {"kty": "OKP", "crv": curve, "x": b64(raw)}
        else:
            raise ValueError(alg)
        jwk.update({"kid": kid, "use": "sig", "alg": alg})
        jwk.update(jwk_extra or {})
        self.jwk = {k: v for k, v in jwk.items() if v is not None}

    def public_pem(self):
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, data):
        alg = self.alg
        if alg.startswith("RS"):
            return self.private.sign(data, padding.PKCS1v15(), DIGESTS[alg[2:]]())
        if alg.startswith("PS"):
            digest = DIGESTS[alg[2:]]
            return self.private.sign(data, padding.PSS(mgf=padding.MGF1(digest()),
                                                       salt_length=digest.digest_size),
                                     digest())
        if alg in CURVES:
            _, _, size, digest = CURVES[alg]
            r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(digest())))
            return _int_bytes(r, size) + _int_bytes(s, size)
        return self.private.sign(data)


def hmac_sign(secret, alg, data):
    mac = hmac.HMAC(secret, DIGESTS[alg[2:]]())
    mac.update(data)
    return mac.finalize()


def token(key, claims, header=None, alg=None, secret=None, signature=None):
    """A compact JWS: signed by key (or HMAC with secret); header entries replace the
    defaults (alg, kid, typ); None values are removed."""
    alg = alg or (key.alg if key else "HS256")
    head = {"alg": alg, "typ": "at+jwt"}
    if key:
        head["kid"] = key.kid
    head.update(header or {})
    head = {k: v for k, v in head.items() if v is not None}
    signing_input = (b64json(head) + "." + b64json(claims)).encode()
    if signature is None:
        signature = hmac_sign(secret, alg, signing_input) if secret else key.sign(signing_input)
    return signing_input.decode() + "." + b64(signature)


class KeyServer:
    """GET /jwks (the current set), GET /.well-known/openid-configuration (discovery
    naming /jwks and issuer)."""

    def __init__(self, keys, issuer=None):
        self.keys = list(keys)
        self.issuer = issuer
        self.calls = {"/jwks": 0, "/.well-known/openid-configuration": 0}
        self.down = False       # answer 503
        self.garbage = False    # answer 200 with a body that is not JSON
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                with server.lock:
                    if self.path in server.calls:
                        server.calls[self.path] += 1
                    keys, down, garbage = list(server.keys), server.down, server.garbage
                if down:
                    return self.answer(503, b'{"error": "down"}')
                if garbage:
                    return self.answer(200, b"<html>not a key set</html>")
                if self.path == "/jwks":
                    return self.answer(200, json.dumps(
                        {"keys": [k.jwk if isinstance(k, Key) else k for k in keys]}).encode())
                if self.path == "/.well-known/openid-configuration":
                    return self.answer(200, json.dumps(
                        {"issuer": server.issuer, "jwks_uri": server.url("/jwks")}).encode())
                return self.answer(404, b"{}")

            def answer(self, status, data):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def count(self, path="/jwks"):
        with self.lock:
            return self.calls[path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
