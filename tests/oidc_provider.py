"""A small OpenID Connect provider for tests: discovery, authorization code flow, signed ID
tokens (RS256) and its key set — what an organisation's sign-in (Entra ID, Google, Okta)
offers, without a network. It vouches for whichever person `sign_in_as` names, at once
(no login form), so a browser test can follow the real redirects of `st.login`."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

KEY_ID = "test-key"


@dataclass
class OidcProvider:
    client_id: str = "opportunity-map"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    email: str = ""
    name: str = ""
    codes: dict[str, dict] = field(default_factory=dict)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": KEY_ID}))
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def sign_in_as(self, email: str, name: str = "") -> None:
        self.email, self.name = email, name or email.split("@")[0].title()

    def metadata(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        """Where the browser goes next: back to the app with a one-time code."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"], "email": self.email, "name": self.name,
            "challenge": query.get("code_challenge"),
        }
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        grant = self.codes.pop(form.get("code", ""), None)
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if digest != grant["challenge"]:
                return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            "iss": self.url, "sub": hashlib.sha256(grant["email"].encode()).hexdigest()[:20], "aud": self.client_id,
            "iat": now, "exp": now + 300, "email": grant["email"], "email_verified": True, "name": grant["name"],
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, self.key)
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300, "id_token": id_token}

    def start(self) -> OidcProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                if parts.path == "/.well-known/openid-configuration":
                    self._json(200, provider.metadata())
                elif parts.path == "/jwks":
                    self._json(200, {"keys": [provider.key.as_dict(private=False)]})
                elif parts.path == "/authorize":
                    self.send_response(302)
                    self.send_header("Location", provider.authorize(query))
                    self.end_headers()
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self._json(*provider.token(form, self.headers.get("Authorization")))
                else:
                    self._json(404, {"error": "not_found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def secrets_toml(self, *, redirect_uri: str) -> str:
        return "\n".join([
            "[auth]",
            f'redirect_uri = "{redirect_uri}"',
            f'cookie_secret = "{secrets.token_urlsafe(32)}"',
            f'client_id = "{self.client_id}"',
            f'client_secret = "{self.client_secret}"',
            f'server_metadata_url = "{self.metadata_url}"',
            "",
        ])
