import io

import pytest
from pymongo import MongoClient

from clinic_common.auth import issue_token

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


@pytest.fixture
def staff(settings):
    return {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "front-desk", "staff")}


@pytest.fixture
def clinician(settings):
    return {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "dr", "clinician", provider_id="grace-okafor")}
