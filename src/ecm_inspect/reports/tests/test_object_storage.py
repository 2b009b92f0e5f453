"""Stored files in an S3 bucket (`ECM_S3_BUCKET`), against moto's S3 server on this machine:
an evidence attachment uploaded through the page lands in the bucket; a reader who passes the
check is redirected to a signed address that expires, and one who does not gets no address; a
published report's PDF is put in the bucket when it is published."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3  # type: ignore[import-untyped]
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.models import Attachment, EvidenceKind
from ecm_inspect.evidence.services import evidence_record
from ecm_inspect.reports.tests.test_reports import _publish, _ready
from ecm_inspect.reviews.tests.conftest import ReviewWorld, team_set

BUCKET = "ecm-inspect-files"
LINK_SECONDS = 45


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server, started for these tests on a free port and stopped after them."""
    server = Path(sys.executable).parent / "moto_server"
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (our own program, fixed arguments)
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An empty private bucket, and STORAGES pointing at it as ECM_S3_BUCKET would."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    s3 = boto3.resource("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    created = s3.create_bucket(Bucket=BUCKET)
    settings.ECM_DOWNLOAD_LINK_SECONDS = LINK_SECONDS
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "querystring_auth": True,
                "querystring_expire": LINK_SECONDS,
                "default_acl": "private",
                "file_overwrite": False,
                "signature_version": "s3v4",
            },
        },
    }
    yield created
    created.objects.all().delete()
    created.delete()


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (moto on this machine)
        return bytes(answer.read())


def _signed_and_expiring(location: str, endpoint: str) -> dict[str, list[str]]:
    assert location.startswith(f"{endpoint}/{BUCKET}/")
    query = parse_qs(urlsplit(location).query)
    assert "X-Amz-Signature" in query
    assert query["X-Amz-Expires"] == [str(LINK_SECONDS)]
    return query


def test_an_attachment_is_kept_in_the_bucket_and_served_by_a_signed_short_lived_address(
    rw: ReviewWorld, bucket: Any, s3_endpoint: str, django_capture_on_commit_callbacks: Any
) -> None:
    team_set(rw)
    item = evidence_record(
        review=rw.review, kind=EvidenceKind.PLAN, title="Children and young people's plan",
        source="Council", dated=date(2026, 6, 1),
    )  # fmt: skip
    leader = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    url = f"/reviews/{rw.review.pk}/evidence/{item.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(url, {"file": SimpleUploadedFile("plan.pdf", b"the plan")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(item=item)
    assert [o.key for o in bucket.objects.all()] == [attachment.file.name]
    assert bucket.Object(attachment.file.name).get()["Body"].read() == b"the plan"
    # Not readable from the bucket without a signature.
    with pytest.raises(urllib.error.HTTPError) as refused:
        _fetch(f"{s3_endpoint}/{BUCKET}/{attachment.file.name}")
    assert refused.value.code == 403

    download = leader.get(f"{url}files/{attachment.pk}/")
    assert download.status_code == 302
    assert download["Cache-Control"] == "private, no-store"
    query = _signed_and_expiring(download["Location"], s3_endpoint)
    assert 'filename="plan.pdf"' in query["response-content-disposition"][0]
    assert _fetch(download["Location"]) == b"the plan"

    for outsider in (Role.DCS, Role.PARTNER_CONTRIBUTOR):
        refused_page = client_for(rw.people.users[outsider]).get(f"{url}files/{attachment.pk}/")
        assert refused_page.status_code in (403, 404), outsider
        assert s3_endpoint not in refused_page.get("Location", "")
        assert s3_endpoint.encode() not in refused_page.content


def test_a_published_report_pdf_is_put_in_the_bucket_at_publication(
    rw: ReviewWorld, bucket: Any, s3_endpoint: str, django_capture_on_commit_callbacks: Any
) -> None:
    _ready(rw)
    with django_capture_on_commit_callbacks(execute=True):
        publication = _publish(rw)
    publication.refresh_from_db()
    assert publication.pdf.name.startswith("published-reports/")
    assert [o.key for o in bucket.objects.all()] == [publication.pdf.name]
    stored = bucket.Object(publication.pdf.name).get()["Body"].read()
    assert stored.startswith(b"%PDF")
    answer = client_for(None).get(f"/reports/{rw.review.pk}/report.pdf")
    assert answer.status_code == 302
    _signed_and_expiring(answer["Location"], s3_endpoint)
    assert _fetch(answer["Location"]) == stored
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"  # never a real account's keys
