"""Settings, read once from the environment (prefix ``GRAPHSVC_``) or ``.env``.

Every setting here is documented in the README; a test keeps the two in step.
"""

import secrets
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graphsvc.errors import GraphsvcError

# Placeholders people copy from examples; never a secret.
PLACEHOLDER_SECRETS = frozenset({"change-me", "changeme", "secret", "dev", "development"})
MIN_SECRET_LENGTH = 32


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

    @cached_property
    def signing_key(self) -> bytes:
        """The secret that signs form tokens.

        Outside development a missing, short or placeholder secret stops the
        service; in development such a one is replaced by one made up for this process.
        """
        given = self.secret_key.get_secret_value().strip() if self.secret_key else ""
        weak = not given or given.lower() in PLACEHOLDER_SECRETS or len(given) < MIN_SECRET_LENGTH
        if weak and self.environment != "development":
            raise GraphsvcError(
                "GRAPHSVC_SECRET_KEY is unset, a placeholder or shorter than "
                f"{MIN_SECRET_LENGTH} characters; set it to a long random value, e.g. the "
                "output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return secrets.token_bytes(32) if weak else given.encode()

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
