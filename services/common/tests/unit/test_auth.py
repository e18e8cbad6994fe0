import time

import jwt
import pytest

from clinic_common.auth import decode_token, issue_token
from clinic_common.errors import Unauthorized

SECRET = "s" * 40


def test_a_valid_token_yields_its_claims():
    claims = decode_token(issue_token(SECRET, "ana", "clinician", provider_id="prov-1"), SECRET)
    assert (claims.sub, claims.role, claims.provider_id, claims.is_staff) == ("ana", "clinician", "prov-1", False)


@pytest.mark.parametrize("token", [
    jwt.encode({"sub": "a", "role": "staff", "exp": int(time.time()) - 5}, SECRET, algorithm="HS256"),
    jwt.encode({"sub": "a", "role": "staff", "exp": int(time.time()) + 60}, "o" * 40, algorithm="HS256"),
    jwt.encode({"sub": "a", "role": "root", "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),
    jwt.encode({"sub": "a", "role": "staff"}, SECRET, algorithm="HS256"),
    jwt.encode({"sub": "a", "role": "clinician", "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),
    "not-a-jwt",
])
def test_bad_tokens_are_refused(token):
    with pytest.raises(Unauthorized):
        decode_token(token, SECRET)


def test_the_none_algorithm_is_refused():
    token = jwt.encode({"sub": "a", "role": "admin", "exp": int(time.time()) + 60}, None, algorithm="none")
    with pytest.raises(Unauthorized):
        decode_token(token, SECRET)
