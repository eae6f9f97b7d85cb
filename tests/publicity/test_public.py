"""What anyone can read under /public/: crawled over the demo data, no ID or mobile number anywhere."""

import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from demo.seed import seed_demo
from households.models import Household, Member

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
LINK = re.compile(r'href="(/public/[^"#]*)"')


def text_of(response) -> str:
    if response["Content-Type"] == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode()


@pytest.fixture
def demo(db):
    cache.clear()
    seed_demo()


def test_crawl_of_public_pages_and_pdfs_shows_no_id_or_mobile_number(client, demo):
    queue, seen, texts = ["/public/"], set(), {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        texts[url] = text
        assert not ID_NUMBER.search(text), url
        assert not MOBILE.search(text), url
        if response["Content-Type"].startswith("text/html"):
            assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
            assert "max-age=300" in response["Cache-Control"]
            assert '<meta name="robots" content="noindex, nofollow, noarchive">' in text
            for link in LINK.findall(text):
                queue.append(link)
                if link.startswith(("/public/notices/", "/public/villages/")):
                    queue.append(link.rstrip("/") + ".pdf")
                    queue.append(link.rstrip("/") + ".pdf?paper=A3")
    notices = [u for u in seen if re.fullmatch(r"/public/notices/\d+/", u)]
    lists = [u for u in seen if re.fullmatch(r"/public/villages/\d+/", u)]
    assert notices, "the demo has a posted notice"
    assert len(lists) == 7
    assert sum(1 for u in seen if ".pdf" in u) == 2 * (len(notices) + len(lists))
    # The pages do say what they must: names, categories, dates and figures.
    notice_text = texts[notices[0]]
    assert "东湖村困难群众救助帮扶对象公示" in notice_text
    assert "人均月收入" in notice_text
    # No private detail of any demo member, whatever its form.
    everything = "\n".join(texts.values())
    for member in Member.objects.all()[:600]:
        assert member.id_number not in everything
        assert member.id_number[-8:] not in everything
        assert not member.phone or member.phone not in everything
    for household in Household.objects.all():
        assert household.address not in everything
        assert not household.phone or household.phone not in everything
    for word in ("残疾", "重病", "患病", "服刑"):
        assert word not in everything


def test_notice_pdf_has_the_dates_the_contact_and_a_qr_code(client, demo):
    listing = client.get("/public/").content.decode()
    notice_url = re.search(r'href="(/public/notices/\d+/)"', listing).group(1)
    pdf = client.get(notice_url.rstrip("/") + ".pdf")
    text = text_of(pdf)
    assert "东湖村困难群众救助帮扶对象公示" in text
    assert "公示期：" in text
    assert "异议受理电话：0714-8710401" in text
    assert "扫码查看网上公示" in text
    reader = PdfReader(io.BytesIO(pdf.content))
    assert round(float(reader.pages[0].mediabox.width)) == 595
    a3 = PdfReader(io.BytesIO(client.get(notice_url.rstrip("/") + ".pdf?paper=A3").content))
    assert round(float(a3.pages[0].mediabox.width)) == 842


def test_long_term_list_follows_enrollment_and_exit(client, demo):
    household = (
        Household.objects.filter(village__code="420281104201", enrollments__isnull=False).distinct().first()
    )
    name = household.members.get(relation="applicant").name
    assert name in client.get("/public/villages/420281104201/").content.decode()
    household.enrollments.update(end_date=date(2026, 1, 1))
    cache.clear()
    assert name not in client.get("/public/villages/420281104201/").content.decode()


def test_names_can_be_masked_by_the_parameter(client, demo):
    from decimal import Decimal

    from eligibility.services import parameter_save

    parameter_save(
        code="public_name_masked",
        region_code="420281104",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        value=Decimal(1),
        source="镇政府决定",
    )
    page = client.get("/public/villages/420281104201/").content.decode()
    household = (
        Household.objects.filter(village__code="420281104201", enrollments__isnull=False).distinct().first()
    )
    name = household.members.get(relation="applicant").name
    assert name not in page
    assert name[0] + "*" * (len(name) - 1) in page


def test_robots_txt_keeps_search_engines_off_the_names(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /public/" in body
