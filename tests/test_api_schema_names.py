"""Every schema of the API has its own name in the OpenAPI document.

django-ninja names a component after its class, and two classes of one name are silently
merged into one component: a client would then be told the wrong shape for one of them."""

from collections import Counter
from typing import Any

from ninja import Schema

from ecm_inspect.config.api import api


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _ours() -> list[type[Schema]]:
    return [c for c in _subclasses(Schema) if c.__module__.startswith("ecm_inspect.")]


def test_no_two_schemas_share_a_name() -> None:
    names = Counter(c.__name__ for c in _ours())
    assert [name for name, n in names.items() if n > 1] == []


def test_each_component_has_the_fields_of_its_one_schema() -> None:
    components: dict[str, Any] = api.get_openapi_schema()["components"]["schemas"]
    by_name = {c.__name__: c for c in _ours()}
    checked = 0
    for name, component in components.items():
        cls = by_name.get(name)
        if cls is None or "properties" not in component:
            continue
        fields = {f.alias or n for n, f in cls.model_fields.items()}
        assert set(component["properties"]) == fields, name
        checked += 1
    assert checked > 20
