"""Settings, read once from the environment (prefix ``GRAPHSVC_``) or ``.env``.

Every setting here is documented in the README; a test keeps the two in step.
"""

import ipaddress
import math
import re
import secrets
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graphsvc.analysis.weights import IntroductionWeights
from graphsvc.errors import GraphsvcError

# Placeholders people copy from examples; never a secret.
PLACEHOLDER_SECRETS = frozenset({"change-me", "changeme", "secret", "dev", "development"})
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128
# Words of example secrets ("your-secret-key-here"): credited nothing when
# estimating how guessable a secret is. Removing them from a random secret,
# where one may turn up by chance, only shortens it a little.
PLACEHOLDER_WORDS = re.compile(
    "secret|key|change|your|example|password|passwd|here|replace|default|sample|"
    "placeholder|insert|todo|test|dev|prod|graphsvc|qwerty|random|long|string|value|please",
    re.IGNORECASE,
)
# The alphabets secrets are made from, smallest first (hex, URL-safe base64, printable).
SECRET_ALPHABETS = (
    frozenset("0123456789abcdef"),
    frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"),
    frozenset(chr(c) for c in range(32, 127)),
)
MAKE_A_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def estimated_secret_bits(secret: str) -> float:
    """A cautious estimate of the randomness in ``secret``, in bits.

    Placeholder words count for nothing. What is left is credited
    ``length × log2(alphabet)``, where the alphabet is the smallest usual one
    holding every character (16 for hex, 64 for URL-safe base64, 95 for
    printable ASCII) if the secret uses at least half of what it could of
    it, as random ones do, and otherwise just its distinct characters. A
    random secret's runs of three characters are nearly all different; when
    more than a tenth repeat (``abcabc…``), only the distinct runs count.

    >>> estimated_secret_bits("a" * 36)
    0.0
    >>> estimated_secret_bits("your-secret-key-here-your-secret-key") < 128
    True
    >>> estimated_secret_bits("0123456789abcdef" * 2) < 128
    True
    >>> estimated_secret_bits("9f86d081884c7d659a2feaa0c55ad015") >= 128
    True
    """
    rest = PLACEHOLDER_WORDS.sub("", secret)
    if len(rest) < 3:
        return 0.0
    distinct = len(set(rest))
    alphabet = next((len(a) for a in SECRET_ALPHABETS if set(rest) <= a), 256)
    symbols = alphabet if 2 * distinct >= min(alphabet, len(rest)) else distinct
    runs = len(rest) - 2
    distinct_runs = len({rest[i : i + 3] for i in range(runs)})
    length = len(rest) if 10 * distinct_runs >= 9 * runs else distinct_runs + 2
    return length * math.log2(symbols)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRAPHSVC_", env_file=".env", extra="ignore")

    store: str = Field(
        default="./data",
        description="A directory for the embedded store, or a bolt:// or neo4j:// URL.",
    )
    graph: str = Field(
        default="network",
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="The graph's name inside the embedded database.",
    )
    neo4j_user: str = Field(default="neo4j", description="Neo4j user name.")
    neo4j_password: SecretStr | None = Field(default=None, description="Neo4j password.")
    neo4j_database: str | None = Field(
        default=None, description="Neo4j database name (the server's default if unset)."
    )
    host: str = Field(default="127.0.0.1", description="Address the web service listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web service uses.")
    import_max_mb: int = Field(
        default=64, ge=1, le=4096, description="Largest file an import accepts, in MiB."
    )
    environment: Literal["development", "production"] = Field(
        default="development", description="development or production."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs the web service's form tokens; required outside development.",
    )
    accounts: str | None = Field(
        default=None,
        description="The SQLite file of users and sign-ins (default: inside the store directory).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For is believed (none by default).",
    )
    small_count: int = Field(
        default=3,
        ge=1,
        le=100,
        description="Counts of people below this (but not none) are shown to everyone "
        "but admins as 'fewer than N'; 1 shows every count.",
    )
    invite_days: int = Field(
        default=7, ge=1, le=90, description="Days an invitation link works (once)."
    )
    reset_hours: int = Field(
        default=1, ge=1, le=72, description="Hours a password-reset link works (once)."
    )
    smtp_host: str | None = Field(
        default=None,
        description="Mail server that sends invitation and reset links (none: links are "
        "only shown to the admin).",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="The mail server's port.")
    smtp_user: str | None = Field(default=None, description="User name at the mail server.")
    smtp_password: SecretStr | None = Field(default=None, description="Its password.")
    smtp_from: str | None = Field(
        default=None, description="The From address of the links sent (default: smtp_user)."
    )
    smtp_starttls: bool = Field(
        default=True, description="Whether to switch the connection to TLS with STARTTLS."
    )
    introduction_weights: str = Field(
        default="",
        description="Weights of introductions' scores and the plausibility floor, as "
        "comma-separated name=value pairs (e.g. both_in_london=-3,floor=0.1); the rest "
        "keep their defaults.",
    )

    @cached_property
    def signing_key(self) -> bytes:
        """The secret that signs form tokens.

        Outside development a missing, short, placeholder or guessable secret
        (under ``MIN_SECRET_BITS`` by :func:`estimated_secret_bits`) stops the
        service; in development such a one is replaced by one made up for this process.
        """
        given = self.secret_key.get_secret_value().strip() if self.secret_key else ""
        weak = (
            given.lower() in PLACEHOLDER_SECRETS
            or len(given) < MIN_SECRET_LENGTH
            or estimated_secret_bits(given) < MIN_SECRET_BITS
        )
        if weak and self.environment != "development":
            raise GraphsvcError(
                "GRAPHSVC_SECRET_KEY is unset, a placeholder, shorter than "
                f"{MIN_SECRET_LENGTH} characters or too easy to guess; set it to a long "
                f"random value, e.g. the output of: {MAKE_A_SECRET}"
            )
        return secrets.token_bytes(32) if weak else given.encode()

    @cached_property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """The reverse proxies whose ``X-Forwarded-For`` is believed (none unless listed)."""
        try:
            return tuple(
                ipaddress.ip_network(entry.strip(), strict=False)
                for entry in self.trusted_proxies.split(",")
                if entry.strip()
            )
        except ValueError as exc:
            raise GraphsvcError(
                f"GRAPHSVC_TRUSTED_PROXIES: {exc}; give addresses or networks separated "
                "by commas, e.g. 127.0.0.1,10.0.0.0/8"
            ) from None

    @cached_property
    def introduction_weight_values(self) -> IntroductionWeights:
        """The weights introductions are scored with: the defaults, changed by the setting."""
        try:
            return IntroductionWeights().changed(self.introduction_weights)
        except ValueError as exc:
            raise GraphsvcError(f"GRAPHSVC_INTRODUCTION_WEIGHTS: {exc}") from None

    def accounts_path(self, store: str | None = None) -> Path:
        """Where users and sign-ins are kept: the setting, else beside the embedded store."""
        if self.accounts:
            return Path(self.accounts).expanduser()
        target = store if store is not None else self.store
        if "://" in target and not target.startswith("file://"):
            return Path("accounts.sqlite")
        return Path(target.removeprefix("file://")).expanduser() / "accounts.sqlite"

    def saved_analysis_path(self, store: str | None = None) -> Path:
        """Where the service keeps its latest finished analysis: beside the accounts file
        (inside the embedded store's directory by default), one file per graph."""
        return self.accounts_path(store).with_name(f"analysis-{self.graph}.pickle")


@lru_cache
def get_settings() -> Settings:
    return Settings()
