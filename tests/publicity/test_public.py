"""What anyone can read under /public/: crawled over the demo data, no ID or mobile number anywhere."""

import io
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from demo.seed import seed_demo
from households.models import Household, Member
from households.names import mask_name
from households.services.enrollments import enrollment_end

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
            assert "max-age=60" in response["Cache-Control"]
            assert '<meta name="robots" content="noindex, nofollow, noarchive">' in text
            for link in LINK.findall(text):
                queue.append(link)
                if link.startswith(("/public/notices/", "/public/villages/")) and link.endswith("/"):
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
    before = client.get("/public/villages/420281104201/").content.decode()
    assert mask_name(name) in before
    for enrollment in household.enrollments.filter(end_date__isnull=True):
        enrollment_end(enrollment=enrollment, on=timezone.localdate(), reason="other", acting_user=None)
    cache.clear()
    after = client.get("/public/villages/420281104201/").content.decode()
    assert after.count(mask_name(name)) == before.count(mask_name(name)) - 1


def test_names_are_masked_on_the_internet_and_full_on_the_board_copy(client, demo, django_user_model):
    """张*明 on every public page and PDF; the copy printed for the village's fixed board names them."""
    from publicity.models import Notice

    notice = Notice.objects.get(status="posted")
    names = [item.application.applicant.name for item in notice.items.all()]
    public = client.get(f"/public/notices/{notice.pk}/").content.decode()
    public_pdf = text_of(client.get(f"/public/notices/{notice.pk}.pdf"))
    household = (
        Household.objects.filter(village__code="420281104201", enrollments__isnull=False).distinct().first()
    )
    listed = household.members.get(relation="applicant").name
    village_page = client.get("/public/villages/420281104201/").content.decode()
    village_pdf = text_of(client.get("/public/villages/420281104201.pdf"))
    for name in names:
        assert name not in public
        assert name not in public_pdf
        assert mask_name(name) in public
        assert mask_name(name) in public_pdf
    assert listed not in village_page
    assert listed not in village_pdf
    assert mask_name(listed) in village_page
    assert mask_name(listed) in village_pdf
    # The village list links its PDFs.
    assert 'href="/public/villages/420281104201.pdf"' in village_page
    assert 'href="/public/villages/420281104201.pdf?paper=A3"' in village_page
    # The board copy is for staff: anonymous users are sent to log in; village staff get full names.
    assert client.get(f"/notices/{notice.pk}/print.pdf").status_code == 302
    client.force_login(django_user_model.objects.get(username="village_donghu"))
    board = text_of(client.get(f"/notices/{notice.pk}/print.pdf"))
    for name in names:
        assert name in board
    assert "东湖村村民委员会" in board
    assert "村(居)民委员会" not in board


def test_the_title_is_composed_not_typed(client, demo):
    from publicity.models import Notice

    notice = Notice.objects.get(status="posted")
    page = client.get(f"/public/notices/{notice.pk}/").content.decode()
    day = notice.posted_on
    assert f"<h1>东湖村困难群众救助帮扶对象公示（{day.year}年{day.month}月{day.day}日）</h1>" in page


def test_a_closed_notice_leaves_the_public_pages(client, demo):
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    from publicity import services
    from publicity.models import Notice

    notice = Notice.objects.get(status="posted")
    names = [mask_name(item.application.applicant.name) for item in notice.items.all()]
    Notice.objects.filter(pk=notice.pk).update(
        posted_on=notice.posted_on - timedelta(days=5), closes_on=notice.closes_on - timedelta(days=5)
    )
    services.notice_close(notice=notice, acting_user=get_user_model().objects.get(username="village_donghu"))
    cache.clear()
    index = client.get("/public/").content.decode()
    assert f"/public/notices/{notice.pk}/" not in index
    response = client.get(f"/public/notices/{notice.pk}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "公示已结束" in page
    assert 'href="/public/villages/420281104201/"' in page
    assert not any(name in page for name in names)
    assert client.get(f"/public/notices/{notice.pk}.pdf").status_code == 404


def test_robots_txt_keeps_search_engines_off_the_names(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /public/" in body
