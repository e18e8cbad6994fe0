"""What the waitlist's matching needs of a provider (the languages they speak, the states they are
licensed in), from GET /providers/{id} at locations, translated into domain/waitlist.ProviderTraits and
kept for a minute in this process (a freed slot asks about one provider; a rescan about a few)."""
from __future__ import annotations

import threading
from urllib.parse import quote

from cachetools import TTLCache

from bookings.adapters.locations_http import LocationsHttp
from bookings.domain.waitlist import ProviderTraits


def traits_from(answer: dict) -> ProviderTraits:
    return ProviderTraits(id=answer["id"], languages=frozenset(answer.get("languages") or ()),
                          licensed_states=frozenset(answer.get("licensed_states") or ()))


class ProviderTraitsSource(LocationsHttp):
    def __init__(self, base_url: str, timeout, ttl_s: float = 60, max_entries: int = 512):
        super().__init__(base_url, timeout)
        self._cache: TTLCache = TTLCache(maxsize=max_entries, ttl=ttl_s)
        self._lock = threading.Lock()

    def traits(self, provider_id: str) -> ProviderTraits | None:
        """None for a provider locations does not know (nothing then matches a language or licence)."""
        with self._lock:
            if provider_id in self._cache:
                return self._cache[provider_id]
        response = self._get(f"/api/v1/providers/{quote(provider_id, safe='')}")
        found = traits_from(response.json()) if response.status_code == 200 else None
        with self._lock:
            self._cache[provider_id] = found
        return found
