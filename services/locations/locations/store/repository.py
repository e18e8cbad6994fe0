"""The one way a locations repository makes its indexes.

`Repository.connect(db)` builds the repository and calls `ensure_indexes()`, which makes the
outbox's index (VersionedCollection) and every index the class lists in INDEXES. Nothing else in
the service creates an index, and nothing builds a repository without `connect`.
"""
from __future__ import annotations

from typing import Self

from pymongo.database import Database

from clinic_common.versioned import VersionedCollection


class Repository(VersionedCollection):
    INDEXES: tuple[list[tuple[str, int]], ...] = ()  # each: the keys of one index, as pymongo takes them

    @classmethod
    def connect(cls, db: Database) -> Self:
        repository = cls(db)
        repository.ensure_indexes()
        return repository

    def ensure_indexes(self) -> None:
        super().ensure_indexes()
        for keys in self.INDEXES:
            self.coll.create_index(keys)
