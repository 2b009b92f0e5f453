"""The Framework pages, readable by anyone."""

import html
import re

import pytest
from django.test import Client

from ecm_inspect.framework.models import KeyJudgement
from ecm_inspect.framework.services import LoadResult

pytestmark = pytest.mark.django_db

TITLES_2005 = [
    "Being healthy",
    "Staying safe",
    "Enjoying and achieving",
    "Making a positive contribution",
    "Achieving economic well-being",
]


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    if status == 200:
        assert response["Content-Type"] == "text/html; charset=utf-8"
    return html.unescape(response.content.decode())


def test_index_lists_the_outcomes_and_judgements(
    client: Client, catalogue: LoadResult, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(7):  # 5 today: version, outcomes, 3 prefetches
        text = page(client, "/framework/")
    titles = re.findall(r'<h2 class="govuk-summary-card__title">(.*?)</h2>', text)
    assert titles == TITLES_2005
    for kj in KeyJudgement.objects.all():
        assert f"<strong>{kj.code}</strong> {kj.text}" in text
    assert "HMI 2433" in text
    links = re.findall(r'href="/framework/outcomes/(\w+)/"', text)
    assert links == ["BH", "SS", "EA", "PC", "EW"]
    assert "not loaded yet" not in text
    # The 2004 outcome titles belong to the 2004 page, not this one.
    assert "Physical and mental health" not in text


def test_outcome_page_shows_its_key_judgements(
    client: Client, catalogue: LoadResult, django_assert_max_num_queries
) -> None:
    # 8 today: the 2005 outcome and its 2004 one; 2 for the grade descriptors in force.
    with django_assert_max_num_queries(12):
        text = page(client, "/framework/outcomes/SS/")
    headings = re.findall(r'<h3 class="govuk-heading-s">(.*?)</h3>', text)
    expected = [f"{kj.code}: {kj.text}" for kj in KeyJudgement.objects.filter(outcome__code="SS")]
    assert len(expected) == 8
    assert headings == expected
    assert text.count('class="ecm-key-judgement"') == 8
    assert '<h1 class="govuk-heading-xl">Staying safe</h1>' in text
    # The 2004 illustrations for the same outcome follow.
    assert "Protection from harm and neglect" in text
    assert "fall through the net" in text
    assert text.count("(SS.c") == 7
    # Vulnerable-group judgements are tagged.
    assert "Children and young people in care" in text


def test_outcome_page_shows_relevance(client: Client, catalogue: LoadResult) -> None:
    text = page(client, "/framework/outcomes/PC/")
    pc4 = text.split('id="PC.4"', 1)[1].split('class="ecm-key-judgement"', 1)[0]
    assert "Youth offending team" in pc4
    assert "HM Inspectorate of Constabulary, HM Inspectorate of Probation" in pc4
    assert "Hospital" not in pc4


def test_outcome_code_is_case_insensitive(client: Client, catalogue: LoadResult) -> None:
    assert '<h1 class="govuk-heading-xl">Staying safe</h1>' in page(
        client, "/framework/outcomes/ss/"
    )


@pytest.mark.parametrize("code", ["XX", "SS.1", "a"])
def test_unknown_outcome_is_404(client: Client, catalogue: LoadResult, code: str) -> None:
    page(client, f"/framework/outcomes/{code}/", status=404)


def test_principles_page(client: Client, catalogue: LoadResult) -> None:
    text = page(client, "/framework/principles/")
    for n in range(1, 9):
        assert f"({n}) " in text
    assert "(9) " not in text  # the 2004 draft principles are not here
    assert "Inspection aims to improve outcomes for children and young people." in text
    assert "<li>review the effectiveness of services</li>" in text
    assert "Inspectors want to make sure that the views" in text


def test_relevance_page(client: Client, catalogue: LoadResult) -> None:
    text = page(client, "/framework/relevance/")
    assert "Relevance matrix (29 kinds of provider)" in text
    row = text.split('<th scope="row" class="govuk-table__header">Youth offending team</th>')[1]
    row = row.split("</tr>", 1)[0]
    assert "Up to 18th birthday" in row
    assert "<strong>HM Inspectorate of Constabulary</strong> (2): PC.4, PC.5" in row


def test_2004_page(client: Client, catalogue: LoadResult) -> None:
    text = page(client, "/framework/2004/")
    assert "Every child matters: inspecting services for children and young people" in text
    for title in ["Physical and mental health", "Social and economic well-being"]:
        assert f'<h3 class="govuk-heading-m">{title}</h3>' in text
    assert len(re.findall(r"\((?:BH|SS|EA|PC|EW)\.c\d\)", text)) == 34
    assert "Children and young people with special needs and/or disabilities" in text
    assert "make good attachments" in text
    assert "<li>review the effectiveness of service provision</li>" in text
    assert text.count('<td class="govuk-table__cell">Fieldwork</td>') == 8
    assert text.count('<td class="govuk-table__cell">Analysis</td>') == 7
    assert "<li>have the experiences of children and young people" in text
