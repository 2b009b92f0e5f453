"""Making a school's code never spins: the tries are bounded."""

import pytest

from ecm_inspect.voices import services
from ecm_inspect.voices.services import SurveyRefused


@pytest.mark.django_db
def test_a_school_code_is_made_or_refused_in_bounded_tries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = services._school_code(set())
    assert len(code) == 6
    assert set(code) <= set(services.CODE_ALPHABET)
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: "A")
    taken = {"AAAAAA"}
    with pytest.raises(SurveyRefused, match="No free school code came up in 100 tries"):
        services._school_code(taken)
