"""?include_inactive=true: staff list deactivated clinicians, visit types and clinics too; nobody else may."""
import pytest

from clinic_common.auth import issue_token


@pytest.mark.parametrize("kind, record_id", [("providers", "grace-okafor"), ("services", "therapy-cbt"),
                                             ("locations", "paragould")])
def test_staff_list_inactive_records_and_the_public_lists_do_not(seeded, client, staff, settings, kind, record_id):
    assert client.patch(f"/api/v1/{kind}/{record_id}", json={"active": False}, headers=staff).status_code == 200
    ids = lambda answer: [r["id"] for r in answer.json[kind]]  # noqa: E731
    assert record_id not in ids(client.get(f"/api/v1/{kind}"))
    listed = client.get(f"/api/v1/{kind}?include_inactive=true", headers=staff)
    assert listed.status_code == 200 and record_id in ids(listed)
    assert client.get(f"/api/v1/{kind}?include_inactive=true").status_code == 401
    clinician = {"Authorization": "Bearer " + issue_token(settings.jwt_secret, "dr", "clinician", provider_id="x")}
    assert client.get(f"/api/v1/{kind}?include_inactive=true", headers=clinician).status_code == 403
    assert client.get(f"/api/v1/{kind}?include_inactive=maybe", headers=staff).status_code == 422
