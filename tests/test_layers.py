"""The layers of the apps (pyproject.toml, [tool.importlinter]; docs/architecture.md) are kept,
and `lint-imports` would say so if they were not: with the layers of two apps swapped, it fails
and names the import that breaks them."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


def _lint(config: Path) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS is not None, "lint-imports is not installed (make install)"
    return subprocess.run(
        [LINT_IMPORTS, str(config), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return list(config["contracts"][0]["layers"])


def test_the_apps_keep_their_layers() -> None:
    result = _lint(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_app_importing_from_a_layer_above_it_breaks_the_contract(
    layers: list[str], tmp_path: Path
) -> None:
    # Reviews above the programme: the programme's imports of reviews now go upwards.
    swapped = [
        {"programme": "reviews", "reviews": "programme"}.get(layer, layer) for layer in layers
    ]
    assert swapped != layers
    config = tmp_path / "layers.toml"
    quoted = ", ".join(f'"{layer}"' for layer in swapped)
    config.write_text(
        '[tool.importlinter]\nroot_package = "ecm_inspect"\n'
        "exclude_type_checking_imports = true\n"
        "[[tool.importlinter.contracts]]\n"
        'name = "Swapped"\ntype = "layers"\ncontainers = ["ecm_inspect"]\n'
        f"layers = [{quoted}]\n"
        'ignore_imports = ["ecm_inspect.*.tests.** -> ecm_inspect.**"]\n'
    )
    result = _lint(config)
    assert result.returncode != 0
    assert "0 kept, 1 broken" in result.stdout
    assert "ecm_inspect.programme is not allowed to import ecm_inspect.reviews" in result.stdout
