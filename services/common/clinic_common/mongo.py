"""MongoDB access: one client per process, made on first use (after gunicorn forks), never at import."""
from __future__ import annotations

import os
import threading

from pymongo import MongoClient
from pymongo.database import Database

from clinic_common.config import Settings


class MongoNotConfigured(RuntimeError):
    pass


class LazyMongo:
    """Hands out this process's database, creating the client on first use.

    The fork check matters: a MongoClient must not cross a fork, so a child
    that inherits this object builds its own client instead of reusing ours.
    """

    def __init__(self, settings: Settings, db_name: str, app_name: str, event_listeners=()):
        self._settings = settings
        self._db_name = db_name
        self._app_name = app_name
        self._listeners = list(event_listeners)
        self._client: MongoClient | None = None
        self._pid = None
        self._lock = threading.Lock()

    @property
    def client(self) -> MongoClient:
        if self._client is None or self._pid != os.getpid():
            with self._lock:
                if self._client is None or self._pid != os.getpid():
                    self._client = self._build()
                    self._pid = os.getpid()
        return self._client

    @property
    def db(self) -> Database:
        return self.client[self._db_name]

    def ping(self) -> None:
        self.client.admin.command("ping")

    def close(self) -> None:
        if self._client is not None and self._pid == os.getpid():
            self._client.close()
        self._client = None

    def _build(self) -> MongoClient:
        if not self._settings.mongo_url:
            raise MongoNotConfigured("MONGO_URL is not set")
        timeout = self._settings.mongo_timeout_ms
        return MongoClient(
            self._settings.mongo_url,
            tz_aware=True,
            appname=self._app_name,
            serverSelectionTimeoutMS=timeout,
            connectTimeoutMS=timeout,
            socketTimeoutMS=max(timeout * 5, 10000),
            event_listeners=self._listeners,
        )
