import io

import pytest
from pymongo import MongoClient


from locations import create_app
from locations.seed import seed


@pytest.fixture
def db(settings):
    client = MongoClient(settings.mongo_url, tz_aware=True)
    yield client[settings.db_name("locations")]
    client.close()


@pytest.fixture
def seeded(db):
    seed(db, out=io.StringIO())
    return db


@pytest.fixture
def client(make_app):
    return make_app(create_app).test_client()
