"""`python -m locations.seed [--if-empty]`: load the demo practice through the same rules and
repository as the API, so every record is validated and announced (location/service/provider.updated).
"""
from __future__ import annotations

import argparse
import sys

from clinic_common.config import load_settings
from clinic_common.mongo import LazyMongo

from locations.config import SERVICE
from locations.demo_practice import LOCATIONS, PROVIDERS, SERVICES
from locations.domain.changes import location_errors, provider_document, provider_errors
from locations.domain.hours import normalized
from locations.store.catalog import ProviderRepository, ServiceRepository
from locations.store.locations import LocationRepository


def seed(db, out=sys.stdout) -> int:
    """Insert or replace the demo records; returns how many were written."""
    locations, services, providers = (LocationRepository.connect(db), ServiceRepository.connect(db),
                                      ProviderRepository.connect(db))
    for location in LOCATIONS:
        doc = {**location, "hours": normalized(location["hours"]), "closures": []}
        _refuse_if(location_errors(doc), location["id"])
        _upsert(locations, doc)
    for service in SERVICES:
        _upsert(services, dict(service))
    known_services = services.get_many(s["id"] for s in SERVICES)
    known_locations = locations.get_many(loc["id"] for loc in LOCATIONS)
    for provider in PROVIDERS:
        _refuse_if(provider_errors(provider, known_services, known_locations), provider["id"])
        _upsert(providers, provider_document(provider))
    count = len(LOCATIONS) + len(SERVICES) + len(PROVIDERS)
    print(f"seeded the demo practice: {len(LOCATIONS)} locations, {len(SERVICES)} services, "
          f"{len(PROVIDERS)} providers", file=out)
    return count


def _refuse_if(errors: dict, record_id: str) -> None:
    if errors:
        raise ValueError(f"demo record {record_id} breaks the practice's rules: {errors}")


def _upsert(repository, record: dict) -> None:
    doc = {**record, "_id": record["id"]}
    doc.pop("id")
    if repository.get(doc["_id"]) is None:
        repository.create(doc)
    else:
        repository.change(doc["_id"], lambda current: {**current, **doc})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Load the demo practice")
    parser.add_argument("--if-empty", action="store_true", help="do nothing when any location exists")
    args = parser.parse_args(argv)
    settings = load_settings(needs_jwt_secret=False)
    mongo = LazyMongo(settings, settings.db_name(SERVICE), "locations-seed")
    try:
        if args.if_empty and not LocationRepository.connect(mongo.db).is_empty():
            print("the practice already has locations; not seeding")
            return 0
        seed(mongo.db)
    finally:
        mongo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
