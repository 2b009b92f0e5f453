"""gunicorn's settings (config/gunicorn.py): workers and address from the environment, and the
access log as one JSON object a request."""

import importlib
import json
import logging
from datetime import timedelta
from types import ModuleType, SimpleNamespace

import pytest
from gunicorn.config import Config
from pythonjsonlogger.json import JsonFormatter


class Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name in ("WEB_CONCURRENCY", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import ecm_inspect.config.gunicorn as module

    return importlib.reload(module)


def test_workers_and_address_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    module = load(monkeypatch, WEB_CONCURRENCY="3", HOST="127.0.0.1", PORT="8611")
    assert module.workers == 3
    assert module.bind == "127.0.0.1:8611"
    assert module.wsgi_app == "ecm_inspect.config.wsgi:application"


def test_the_default_is_two_workers_per_core_plus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    module = load(monkeypatch)
    assert module.workers == 5
    assert module.bind == "0.0.0.0:8000"


def test_a_request_is_logged_as_json_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    module = load(monkeypatch)
    config = Config()
    config.set("accesslog", "-")
    logger = module.JsonLogger(config)
    handler = Keep()
    logger.access_log.addHandler(handler)
    try:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/s/",
            "QUERY_STRING": "code=SECRET",
            "REMOTE_ADDR": "10.0.0.2",
            "HTTP_USER_AGENT": 'agent "quoted"',
        }
        response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
        logger.access(response, None, environ, timedelta(milliseconds=12.5))
    finally:
        logger.access_log.removeHandler(handler)
    spec = dict(module.logconfig_dict["formatters"]["json"])
    assert spec.pop("()") == "pythonjsonlogger.json.JsonFormatter"
    line = json.loads(JsonFormatter(**spec).format(handler.records[-1]))
    assert line["method"] == "GET"
    assert line["path"] == "/s/"
    assert line["status"] == 200
    assert line["bytes"] == 1234
    assert line["duration_ms"] == 12.5
    assert line["user_agent"] == 'agent "quoted"'
    assert "SECRET" not in json.dumps(line)  # query strings are not logged
