import io

import pytest


from locations import create_app
from locations.seed import seed


@pytest.fixture
def db(service_db):
    return service_db("locations")


@pytest.fixture
def seeded(db):
    seed(db, out=io.StringIO())
    return db


@pytest.fixture
def client(make_app):
    return make_app(create_app).test_client()
