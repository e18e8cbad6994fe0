import pytest

from locations.domain.phones import phone_display


@pytest.mark.parametrize("stored, shown", [
    ("+18705550100", "(870) 555-0100"),     # the practice's own: national form
    ("+15015550100", "(501) 555-0100"),
    ("+442071838750", "+44 20 7183 8750"),  # abroad: the country code is part of what to dial
    (None, None),
    ("", None),
    ("not a number", "not a number"),       # never lose what is stored
])
def test_phone_display(stored, shown):
    assert phone_display(stored) == shown
