"""Issue 9, done when: a town follows one family from approval through a birth, a death, a job and a
gradual exit to its exit — amounts, visits and checks recorded, the public list right on every day.

The family of 柯大山 (东湖村, 还地桥镇): he, his wife 王桂兰 and his mother 柯母, who is 特困. Each step is
done by the person who does it in the town, through the real services and pages; each asserts what
that person (or the internet, for the public list) sees."""

from __future__ import annotations

import calendar
import io
import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import OrgUnit, User
from accounts.orgs import ensure_base_org_units
from accounts.system import system_user
from applications import services
from applications.adjustment_outcomes import proposed_comparison
from applications.glossary import Stage
from applications.models import Application
from applications.services import MemberChange, adjustment_open
from households.models import Enrollment, Household, Income, Member
from households.names import mask_name
from households.services.assistance import assistance_record_create
from households.services.enrollments import gradual_exits_end_due
from monitoring.models import Warning
from monitoring.services.checks import check_task_open_ad_hoc, check_task_record
from monitoring.services.imports import dataset_import_now
from monitoring.services.visits import visit_record
from publicity.selectors import long_term_list

from .applications import cases
from .applications.adjust import decide, investigate
from .conftest import World
from .factories import MemberFactory, valid_id
from .monitoring.conftest import csv_bytes

pytestmark = pytest.mark.django_db

D = Decimal
PUBLIC = "/public/villages/420281104201/"


def person(**fields: Any) -> Member:
    return cast(Member, MemberFactory(**fields))


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(pdf: bytes) -> str:
    """The printed text as pdftotext reads it, without whitespace (CJK glyphs are spaced as it likes)."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run([pdftotext, "-layout", f.name, "-"], capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def listed(world: World, day: date) -> dict[str, list[str]]:
    """The public long-term list of 东湖村 as it reads on `day`: masked head's name → categories."""
    return {row.name: row.categories for row in long_term_list(village=world.village_a1, on=day)}


def active(household: Household) -> dict[str, tuple[D | None, date | None]]:
    return {
        f"{e.category}:{e.member.name}" if e.member else e.category: (e.monthly_amount, e.gradual_exit_until)
        for e in Enrollment.objects.filter(household=household, end_date__isnull=True).select_related(
            "member"
        )
    }


def file_and_acknowledge(world: World, case: Application, on: date) -> Application:
    """The clerk files the decided case; each bureau's reviewer acknowledges it on the filing queue."""
    case = services.application_file(application=case, filed_on=on, acting_user=world.users["town_clerk"])
    for filing in case.filings.all():
        reviewer = world.users[
            "civil_affairs_reviewer" if filing.bureau == "civil_affairs" else "agri_bureau_reviewer"
        ]
        posted = login(reviewer).post(f"/cases/filing/{filing.pk}/acknowledge/", {"note": ""})
        assert posted.status_code == 302, posted.content.decode()
    case.refresh_from_db()
    assert {f.status for f in case.filings.all()} == {"acknowledged"}
    return case


def test_a_family_from_approval_to_exit(world: World) -> None:
    ensure_base_org_units()
    users = cases.staff(world)
    clerk, village = users["town_clerk"], users["village_staff"]
    household = world.household_a1
    head = household.members.get()
    head.birth_date = date(1985, 5, 17)  # a man of working age: his mother, not he, is 特困
    head.id_number = valid_id(head.birth_date)
    head.save()
    wife = person(
        household=household, name="王桂兰", relation="spouse", sex="female", birth_date=date(1987, 3, 3)
    )
    grandmother = person(
        household=household,
        name="柯母",
        relation="parent",
        sex="female",
        birth_date=date(1938, 2, 2),
        labor_capacity="none",
    )
    household_page = lambda: login(clerk).get(f"/households/{household.pk}/").content.decode()  # noqa: E731
    notice = lambda c: pdf_text(login(clerk).get(f"/cases/{c.pk}/print/decision.pdf").content)  # noqa: E731
    family = mask_name(head.name)  # the internet sees 柯*山

    # 1. Approval (2025-09-28): the clerk accepts, the town investigates and publicises, the task force
    #    approves 低保 for the household, 特困 for the grandmother and monitoring; filed with both bureaus.
    case = cases.advance(world, cases.accept(world), Stage.DELIBERATING)
    approved_on = date(2025, 9, 28)
    assert case.accepted_on == approved_on
    case = services.application_decide(
        application=case,
        held_on=approved_on,
        attendees=[users["task_force"], users["task_force_2"], users["task_force_3"]],
        attendees_note="",
        decisions=[
            services.Decision("dibao", True, "人均月收入低于低保标准。"),
            services.Decision("tekun", True, "无劳动能力、无收入来源。", grandmother),
            services.Decision("monitoring", True, "人均年收入低于监测标准。"),
        ],
        reason="同意纳入。",
        departure_reason="其子收入微薄，无赡养能力，经集体研判认定柯母为特困。",
        approved_by=users["task_force"],
        acting_user=users["task_force"],
    )
    case = file_and_acknowledge(world, case, approved_on)
    assert active(household) == {
        "dibao": (D("783.00"), None),
        "tekun:柯母": (D("780.00"), None),
        "monitoring": (None, None),
    }
    printed = notice(case)
    assert "救助帮扶审批通知书" in printed
    assert "低保全户783.00" in printed
    assert "特困柯母780.00" in printed
    page = household_page()
    assert "每月救助金合计 <strong>1563.00</strong> 元" in page
    assert listed(world, approved_on - timedelta(days=1)) == {}  # not a day before the approval
    assert listed(world, approved_on) == {family: ["特困人员", "低保", "防止返贫监测"]}

    # 2. A visit (2025-10-08): the village staff record the six items, all secure; no flag for the town.
    visit_record(
        household=household,
        visited_on=date(2025, 10, 8),
        method="home",
        visitors="村委会 柯文",
        items=dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), ("secure", "")),
        acting_user=village,
    )
    assert not Warning.objects.filter(household=household).exists()

    # 3. A birth: 柯小宝 is entered, the clerk opens an adjustment, the task force decides 增发 on 2025-10-20.
    baby = person(household=household, name="柯小宝", relation="child", birth_date=date(2025, 10, 1))
    born = adjustment_open(
        household=household,
        trigger="member_change",
        note="柯小宝出生。",
        opened_on=date(2025, 10, 9),
        acting_user=clerk,
        member_change=MemberChange("birth", baby, date(2025, 10, 1), "出生医学证明"),
    )
    born = services.review_send(
        application=investigate(world, born, day=date(2025, 10, 9)), acting_user=clerk
    )
    born = decide(
        world,
        born,
        [
            services.Decision("dibao", True, "新增人口。"),
            services.Decision("tekun", True, "继续供养。", grandmother),
            services.Decision("monitoring", True, "继续监测。"),
        ],
        on=date(2025, 10, 20),
    )
    born = file_and_acknowledge(world, born, date(2025, 10, 21))
    assert active(household)["dibao"] == (D("1383.00"), None)
    printed = notice(born)
    assert "动态调整决定通知书" in printed
    assert "柯小宝出生（2025年10月1日）" in printed
    assert "决定自2025年10月20日起调整如下" in printed
    assert "低保783.001383.00增发" in printed
    assert "特困（柯母）780.00780.00不变" in printed
    assert "每月救助金合计 <strong>2163.00</strong> 元" in household_page()
    assert listed(world, date(2025, 10, 20)) == {family: ["特困人员", "低保", "防止返贫监测"]}

    # 4. The grandmother dies (2025-11-30): the adjustment ends her 特困 with `death` from the decision
    #    date (2025-12-15); the household stays listed for 低保, without 特困 from that day, not before.
    died = adjustment_open(
        household=household,
        trigger="member_change",
        note="柯母去世。",
        opened_on=date(2025, 12, 2),
        acting_user=clerk,
        member_change=MemberChange("death", grandmother, date(2025, 11, 30), "死亡医学证明"),
    )
    died = services.review_send(
        application=investigate(world, died, day=date(2025, 12, 2)), acting_user=clerk
    )
    died = decide(
        world,
        died,
        [services.Decision("dibao", True, "继续保障。"), services.Decision("monitoring", True, "继续监测。")],
        on=date(2025, 12, 15),
    )
    died = file_and_acknowledge(world, died, date(2025, 12, 16))
    tekun = Enrollment.objects.get(household=household, category="tekun")
    assert (tekun.end_date, tekun.end_reason) == (date(2025, 12, 15), "death")
    printed = notice(died)
    assert "柯母死亡（2025年11月30日）" in printed
    assert "特困（柯母）780.00不再纳入取消" in printed
    assert "低保1383.001383.00不变" in printed
    assert listed(world, date(2025, 12, 14)) == {family: ["特困人员", "低保", "防止返贫监测"]}
    assert listed(world, date(2025, 12, 15)) == {family: ["低保", "防止返贫监测"]}
    page = household_page()
    assert "每月救助金合计 <strong>1383.00</strong> 元" in page
    assert "死亡" in page[page.index("柯母", page.index("退出原因")) :]  # her ended 特困 among the exits

    # 5. A check: the town opens an ad hoc check and records it confirmed.
    today = timezone.localdate()
    task = check_task_open_ad_hoc(
        household=household, due_on=today + timedelta(days=10), reason="不定期抽查。", acting_user=clerk
    )
    task = check_task_record(
        task_id=task.pk, result="confirmed", note="入户核实，情况属实。", acting_user=clerk
    )
    assert (task.status, task.result, task.adjustment) == ("done", "confirmed", None)

    # 6. Assistance: the clerk records the medical assistance the head received; the household page shows it.
    assistance_record_create(
        household=household,
        member=head,
        kind="medical",
        received_on=date(2026, 3, 1),
        amount=D("1200.00"),
        note="住院医疗救助",
        acting_user=clerk,
    )
    section = household_page().split('<section id="assistance">')[1].split("</section>")[0]
    assert "柯大山" in section
    assert "1200.00" in section
    assert '医疗救助比例：<strong class="ratio">70%</strong>（低保）' in section

    # 7. A job: 人社局's employment data shows the wife's wage; an income_rise warning for the town; the
    #    clerk reinvestigates on the warning page; the task force cancels 低保 (with a gradual exit) and
    #    monitoring from today.
    rows = csv_bytes(
        [
            {
                "id_number": wife.id_number,
                "name": wife.name,
                "started_on": today.isoformat(),
                "monthly_wage": "4000",
            }
        ]
    )
    dataset_import_now(
        dataset_key="employment",
        period=today.strftime("%Y-%m"),
        binary=io.BytesIO(rows),
        file_name="employment.csv",
        department=OrgUnit.objects.get(code="RSJ"),
    )
    warning = Warning.objects.get(household=household, type="income_rise")
    assert "将不再符合：低保、防止返贫监测" in warning.detail
    posted = login(clerk).post(
        f"/monitoring/warnings/{warning.pk}/feedback/",
        {"action": "reinvestigation", "feedback": "入户核实，王桂兰已在工厂务工。"},
    )
    assert posted.status_code == 302
    warning.refresh_from_db()
    job = warning.adjustment
    assert job is not None
    assert (warning.status, job.kind, job.trigger) == ("handled", "adjustment", "warning")
    Income.objects.create(member=wife, kind="wage", annual_amount=D("48000.00"))  # what the visit found
    job = services.review_send(application=investigate(world, job, day=today), acting_user=clerk)
    # The decision page's re-evaluation proposes what the task force then decides: both categories go.
    proposed = {(r.category, r.outcome) for r in proposed_comparison(job, on=today)}
    assert proposed == {("dibao", "cancel"), ("monitoring", "cancel")}
    job = decide(
        world,
        job,
        [
            services.Decision("dibao", False, "务工收入超过低保标准。"),
            services.Decision("monitoring", False, "收入稳定超过监测标准。"),
        ],
        on=today,
        income_from_work=True,
        gradual_exit=True,
    )
    job = file_and_acknowledge(world, job, today)
    until = active(household)["dibao"][1]
    assert until is not None
    assert until.day == calendar.monthrange(until.year, until.month)[1]
    assert active(household) == {"dibao": (D("1383.00"), until)}
    printed = notice(job)
    assert f"你（户）因就业增收预警（{today.isoformat()}），经还地桥镇" in printed  # not only "因预警"
    assert "低保1383.00不再纳入取消" in printed
    assert "防止返贫监测已纳入不再纳入取消" in printed
    assert f"低保待遇按原标准继续发放至{until.year}年{until.month}月{until.day}日" in printed
    assert f"渐退期至 {until.isoformat()}" in household_page()
    cache.clear()
    assert family in Client().get(PUBLIC).content.decode()  # today, in the gradual exit, still listed
    assert listed(world, today) == {family: ["低保"]}

    # 8. The daily job ends the gradual exit on the day after its last day (across the month end), not before;
    #    the household then has no enrollment and is off the public list.
    assert gradual_exits_end_due(today=until, acting_user=system_user()) == 0
    assert listed(world, until) == {family: ["低保"]}
    next_day = until + timedelta(days=1)
    assert next_day.day == 1
    assert gradual_exits_end_due(today=next_day, acting_user=system_user()) == 1
    assert (
        gradual_exits_end_due(today=next_day, acting_user=system_user()) == 0
    )  # running twice: nothing more
    dibao = Enrollment.objects.get(household=household, category="dibao")
    assert (dibao.end_date, dibao.end_reason) == (next_day, "gradual_exit_ended")
    assert listed(world, next_day) == {}
    assert not Enrollment.objects.filter(household=household, end_date__isnull=True).exists()
    # (The household page reads the real today, when the gradual exit still runs: it is not asked here.)
