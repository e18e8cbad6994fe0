"""The merged OpenAPI document and the page that shows it."""
from __future__ import annotations


def test_the_merged_document_has_every_service_paths(gateway):
    response = gateway.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Clinic scheduling API"
    assert spec["servers"] == [{"url": "/"}]
    assert set(spec["paths"]) == {"/api/v1/locations", "/api/v1/bookings", "/api/v1/notifications"}
    assert [tag["name"] for tag in spec["tags"]] == ["locations", "bookings", "notifications"]
    assert "x-missing-services" not in spec


def test_same_schema_is_kept_once_and_different_ones_are_prefixed_with_refs_rewritten(gateway):
    spec = gateway.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert "Error" in schemas  # identical in every service
    assert {"locations_Item", "bookings_Item", "notifications_Item"} <= set(schemas) and "Item" not in schemas
    for name in ("locations", "bookings", "notifications"):
        ok = spec["paths"][f"/api/v1/{name}"]["get"]["responses"]["200"]
        ref = ok["content"]["application/json"]["schema"]["$ref"]
        assert ref == f"#/components/schemas/{name}_Item"
        assert schemas[f"{name}_Item"]["properties"]["owner"]["enum"] == [name]


def test_a_missing_service_leaves_the_rest_and_is_named(make_gateway, dead_url):
    spec = make_gateway(BOOKINGS_URL=dead_url).get("/api/v1/openapi.json").get_json()
    assert spec["x-missing-services"] == ["bookings"]
    assert set(spec["paths"]) == {"/api/v1/locations", "/api/v1/notifications"}
    assert {"locations_Item", "notifications_Item"} <= set(spec["components"]["schemas"])


def test_the_document_is_cached(gateway, services):
    first = gateway.get("/api/v1/openapi.json").get_json()
    services["locations"].spec = {"openapi": "3.0.3", "paths": {"/api/v1/changed": {}}}
    assert gateway.get("/api/v1/openapi.json").get_json() == first


def test_the_docs_page_is_self_contained(gateway):
    response = gateway.get("/api/docs")
    assert response.status_code == 200
    assert response.content_type.startswith("text/html")
    page = response.get_data(as_text=True)
    assert "/api/v1/openapi.json" in page
    assert "<script>" in page and "src=" not in page and "https://" not in page
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def _bookings_spec(responses: dict) -> dict:
    return {"openapi": "3.0.3", "paths": {"/api/v1/bookings": {"post": {"responses": responses}}},
            "components": {"schemas": {"Problem": {"type": "object"}},
                           "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}}}


def test_the_merged_document_says_how_to_authenticate_and_lists_409_for_booking_creation():
    from gateway.openapi import merge_specs
    from gateway.upstream import Probe

    spec = merge_specs({"bookings": Probe("bookings", 200, _bookings_spec({"201": {"description": "Created"}}))})
    assert "Authorization: Bearer" in spec["info"]["description"]
    assert "X-Manage-Token" in spec["info"]["description"] and "problem+json" in spec["info"]["description"]
    schemes = spec["components"]["securitySchemes"]
    assert schemes["manageToken"] == {"type": "apiKey", "in": "header", "name": "X-Manage-Token",
                                      "description": schemes["manageToken"]["description"]}
    assert schemes["bearerAuth"]["scheme"] == "bearer"  # the services' own scheme is kept
    conflict = spec["paths"]["/api/v1/bookings"]["post"]["responses"]["409"]
    assert conflict["content"] == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_a_409_the_service_documents_itself_is_left_as_it_is():
    from gateway.openapi import merge_specs
    from gateway.upstream import Probe

    own = {"description": "Taken", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
    spec = merge_specs({"bookings": Probe("bookings", 200, _bookings_spec({"201": {}, "409": own}))})
    assert spec["paths"]["/api/v1/bookings"]["post"]["responses"]["409"] == own


def test_the_docs_page_describes_authentication_errors_and_the_bookings_409(gateway):
    page = gateway.get("/api/docs").get_data(as_text=True)
    for words in ("Authorization: Bearer &lt;JWT&gt;", "X-Manage-Token", "application/problem+json", "409 Conflict",
                  "Idempotency-Key", "/problems/validation"):
        assert words in page, words
