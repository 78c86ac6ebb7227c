"""Settings from the environment (and an optional `.env`), read once per process."""

from functools import lru_cache
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./twinstars.db"
    environment: Literal["development", "test", "production"] = "development"
    # Page sizes are bounded so that one request cannot ask for the whole table.
    page_size_default: int = 50
    page_size_max: int = 200


@lru_cache
def get_settings() -> Settings:
    return Settings()
