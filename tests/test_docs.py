"""Every management command, setting and API endpoint of ours is documented, or the build fails."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SETTINGS_DIR = ROOT / "src" / "ecm_inspect" / "config" / "settings"


def test_every_ecm_command_is_documented() -> None:
    ours = sorted(name for name, app in get_commands().items() if app.startswith("ecm_inspect."))
    assert ours, "no commands found"
    text = (DOCS / "commands.md").read_text()
    missing = [name for name in ours if f"`ecm {name}" not in text]
    assert missing == []


def test_every_environment_variable_is_documented() -> None:
    read = set()
    for path in SETTINGS_DIR.glob("*.py"):
        read |= set(re.findall(r"env\.\w+\(\s*\"([A-Z_]+)\"", path.read_text()))
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY"} <= read
    settings_doc = (DOCS / "settings.md").read_text()
    example = (ROOT / ".env.example").read_text()
    assert sorted(v for v in read if f"`{v}`" not in settings_doc) == []
    assert sorted(v for v in read if f"\n{v}=" not in example) == []


@pytest.mark.django_db
def test_every_api_endpoint_is_documented(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/schema/").json()
    text = (DOCS / "api.md").read_text()
    endpoints = sorted(
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    )
    assert endpoints
    missing = [e for e in endpoints if f"`{e}" not in text]
    assert missing == []


def test_readme_names_the_two_commands_and_the_docs() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme
    assert "make test" in readme
    for link in re.findall(r"\]\((docs/[^)]+)\)", readme):
        assert (ROOT / link).exists(), link
