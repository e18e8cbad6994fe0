from pymongo import MongoClient

from locations import create_app


def test_locations_are_listed_and_read_by_id(settings, make_app):
    db = MongoClient(settings.mongo_url)[settings.db_name("locations")]
    db.locations.insert_many([
        {"_id": "jonesboro", "name": "Jonesboro", "timezone": "America/Chicago", "modalities": ["in_person"], "hours": {}},
        {"_id": "closed", "name": "Old office", "timezone": "America/Chicago", "modalities": ["in_person"], "hours": {}, "active": False},
    ])
    client = make_app(create_app).test_client()
    listed = client.get("/api/v1/locations").json["locations"]
    assert [loc["id"] for loc in listed] == ["jonesboro"]
    assert client.get("/api/v1/locations/jonesboro").json["timezone"] == "America/Chicago"
    missing = client.get("/api/v1/locations/nowhere")
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    db.client.close()
