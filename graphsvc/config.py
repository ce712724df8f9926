"""Settings, read once from the environment (prefix ``GRAPHSVC_``) or ``.env``.

Every setting here is documented in the README; a test keeps the two in step.
"""

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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


@lru_cache
def get_settings() -> Settings:
    return Settings()
