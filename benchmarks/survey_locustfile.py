"""A child answering the area survey, for locust (benchmarks/survey_load.py runs it).

Each simulated child opens their school's page, says how old they are, skips the questions
about themselves, answers every page of their version with a pause to read and think, checks
and sends. School codes come from SURVEY_CODES (comma-separated)."""

import os
import random
import re

from locust import HttpUser, between, task

CODES = os.environ.get("SURVEY_CODES", "").split(",")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIO = re.compile(r'name="([a-z_]+)" type="radio" value="([^"]+)"')
PAGES = {"11_15": ("secondary", 6), "8_10": ("primary", 6)}


class StopChild(Exception):
    pass


class Child(HttpUser):
    wait_time = between(5, 15)  # reading a page of questions and choosing the answers

    def _cookies_kept(self) -> None:
        """Production cookies are Secure; this runs on plain HTTP on loopback, where a proxy
        would terminate TLS: send them back as a browser behind it would."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def _post(self, path: str, page_html: str, data: dict[str, str], name: str) -> str:
        self._cookies_kept()
        token = CSRF.search(page_html)
        data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        with self.client.post(path, data=data, name=name, catch_response=True) as r:
            if r.status_code != 200 or "There is a problem" in r.text:
                r.failure(f"{name}: {r.status_code}")
                raise StopChild  # one failure: this child stops (no cascade of failures)
            return r.text

    @task
    def answer_the_survey(self) -> None:
        try:
            self._answer()
        except StopChild:
            pass

    def _answer(self) -> None:
        self.client.cookies.clear()
        code = random.choice(CODES)  # noqa: S311
        age = random.choice(list(PAGES))  # noqa: S311
        version, pages = PAGES[age]
        start = self.client.get(f"/s/{code}/", name="/s/CODE/").text
        about = self._post(f"/s/{code}/", start, {"age_band": age}, "start")
        page = self._post(f"/s/{code}/about/", about, {}, "about")
        for number in range(1, pages + 1):
            self.wait()
            answers: dict[str, str] = {}
            for name, value in RADIO.findall(page):
                if name not in answers or random.random() < 0.3:  # noqa: S311
                    answers[name] = value
            answers["go"] = "next"
            page = self._post(f"/s/{code}/{version}/{number}/", page, answers, f"page {number}")
        sent = self._post(f"/s/{code}/check/", page, {}, "send")
        if "your answers have been sent" not in sent:
            self.environment.events.request.fire(
                request_type="CHECK",
                name="sent",
                response_time=0,
                response_length=0,
                exception=RuntimeError("answers not sent"),
                context={},
            )
