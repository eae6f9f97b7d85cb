"""Printed forms (DESIGN §3.8): each of the seven forms of a case built through the real services renders
to an A4 PDF with the CJK font embedded, the case number and its Chinese labels; the print view checks
scope and role.

Set PRINT_FORMS_DIR to a directory to keep the PDFs the tests render (to look at them)."""

from __future__ import annotations

import io
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.glossary import Role
from applications import services
from applications.glossary import Stage
from applications.models import Application
from applications.printing import FORMS, form_context
from daye_relief.pdf import render_pdf
from households.models import Asset, Income, RigidExpense

from ..factories import MemberFactory, user_with_role, valid_id
from .cases import receive

pytestmark = pytest.mark.django_db


ACCEPTED_ON = date(2025, 9, 1)
REJECTION_REASON = "经核对，家庭人均收入高于当地低保标准，且名下有机动车辆，不符合救助帮扶条件。"

# Per form: words its PDF must show (the title, key labels, signature lines).
EXPECTED = {
    "application": [
        "救助帮扶申请书",
        "申请人基本情况",
        "共同生活家庭成员情况",
        "家庭困难情况",
        "申请人签字",
        "受理人",
    ],
    "materials": ["一次性告知材料清单", "户口簿", "家庭成员身份证", "申请人的权利和义务", "告知人签字"],
    "commitment": [
        "家庭经济状况真实性承诺书",
        "含核对授权",
        "真实性承诺",
        "家庭经济状况核对授权",
        "申请人签字",
    ],
    "investigation": [
        "入户调查表",
        "调查组成员",
        "调查方式",
        "入户调查",
        "家庭经济状况核对",
        "调查结论",
        "调查人员签字",
    ],
    "review": ["集体研判记录", "参会人员", "分类研判结果", "研判意见", "参会人员签字", "镇审批意见（盖章）"],
    "decision": ["救助帮扶审批通知书", "低保", "防止返贫监测", "镇审批意见（盖章）", "送达回执"],
    "filing": ["备案表", "报送备案", "市民政局", "市农业农村局", "防返贫监测重复标识", "镇审批意见（盖章）"],
}


# Building cases through the real services ----------------------------------------------------------------


def _task_force(world: Any) -> list[Any]:
    users = world.users
    if "task_force_2" not in users:
        users["task_force_2"] = user_with_role(Role.TASK_FORCE, world.town_a, "print_taskforce_2")
        users["task_force_3"] = user_with_role(Role.TASK_FORCE, world.town_a, "print_taskforce_3")
    return [users["task_force"], users["task_force_2"], users["task_force_3"]]


def _family(household: Any, *, extra_members: int = 0) -> None:
    """The applicant with a spouse and a schoolchild, incomes, a deposit and a medical expense."""
    applicant = household.members.get(relation="applicant")
    Income.objects.create(member=applicant, kind="farming", annual_amount=Decimal("5000.00"))
    spouse = MemberFactory(
        household=household,
        name="王秀英",
        relation="spouse",
        sex="female",
        birth_date=date(1962, 3, 8),
        id_number=valid_id(date(1962, 3, 8), male=False),
        labor_capacity="partial",
        serious_illness=True,
    )
    Income.objects.create(member=spouse, kind="transfer", annual_amount=Decimal("1200.00"))
    MemberFactory(
        household=household,
        name="柯小军",
        relation="child",
        birth_date=date(2009, 6, 1),
        id_number=valid_id(date(2009, 6, 1)),
        full_time_student=True,
        education_level="senior_secondary",
    )
    for n in range(extra_members):
        MemberFactory(
            household=household,
            name=f"亲属{n + 1:02d}",
            relation="grandchild",
            birth_date=date(2015, 1, 1),
            id_number=valid_id(date(2015, 1, 1)),
        )
    Asset.objects.create(household=household, kind="deposit", value=Decimal("3000.00"), note="农商行活期")
    RigidExpense.objects.create(
        household=household, kind="medical", annual_amount=Decimal("8000.00"), note="配偶住院自付"
    )


def _accept(world: Any, household: Any) -> Application:
    return services.application_accept(
        intake=services.Intake(
            household=household,
            applicant=household.members.get(relation="applicant"),
            channel="window",
            procedure="commitment",
            proxy="none",
            proxy_reason="",
            situation="配偶患重病长期住院，孩子在读高中，家庭仅靠种地维持生活，入不敷出。",
            materials=["application_form", "hukou_book", "id_cards", "medical_records"],
            materials_given_on=ACCEPTED_ON,
            commitment_signed_on=ACCEPTED_ON,
            accepted_on=ACCEPTED_ON,
        ),
        acting_user=world.users["town_clerk"],
    )


def _build_case(world: Any, household: Any, *, until: str = Stage.FILED, approve: bool = True) -> Application:
    """Accept → investigate (clerk and agri officer) → check → complete → notice → close → decide → file."""
    clerk, agri = world.users["town_clerk"], world.users["town_agri_officer"]
    application = _accept(world, household)
    if until == Stage.ACCEPTED:
        return application
    application = services.investigation_start(
        application=application,
        team=[clerk, agri],
        check_requested_on=ACCEPTED_ON,
        started_on=ACCEPTED_ON,
        acting_user=clerk,
    )
    application = services.investigation_record_check(
        application=application,
        reference="HS-2025-0901",
        result="未发现机动车辆、工商登记和大额存款。",
        result_on=date(2025, 9, 3),
        acting_user=agri,
    )
    application = services.investigation_complete(
        application=receive(application, "commitment_signed", acting_user=clerk),
        methods=["home_visit", "neighbors"],
        video_reason="",
        findings="入户核实家庭人口3人，配偶患重病，收入以种植为主，情况属实。",
        completed_on=date(2025, 9, 4),
        acting_user=clerk,
    )
    if until == Stage.INVESTIGATING:
        return application
    application = services.notice_send(application=application, acting_user=clerk)
    application = services.notice_close(
        application=application, closed_on=date(2025, 9, 10), acting_user=clerk
    )
    if until == Stage.DELIBERATING:
        return application
    attendees = _task_force(world)
    if approve:
        decisions = [
            services.Decision("dibao", True, "人均月收入低于农村低保标准。"),
            services.Decision("monitoring", True, "人均年收入低于防止返贫监测标准。"),
        ]
    else:
        decisions = [services.Decision("dibao", False, "人均月收入高于农村低保标准。")]
    application = services.application_decide(
        application=application,
        held_on=date(2025, 9, 12),
        attendees=attendees,
        attendees_note="村支书 柯建国",
        decisions=decisions,
        reason="同意纳入低保并标识为防止返贫监测对象。" if approve else REJECTION_REASON,
        departure_reason="经集体研判，按低保和防止返贫监测对象纳入。",
        approved_by=attendees[0],
        acting_user=attendees[0],
    )
    if until != Stage.FILED or not approve:
        return application
    return services.application_file(application=application, filed_on=date(2025, 9, 15), acting_user=clerk)


@pytest.fixture
def filed_case(world: Any) -> Application:
    _family(world.household_a1)
    return _build_case(world, world.household_a1)


# Reading PDFs -----------------------------------------------------------------------------------------------


def _reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF")
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    """The text of every page, without whitespace (the PDF spaces CJK glyphs as it likes)."""
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in _reader(pdf).pages))


def _embedded_fonts(pdf: bytes) -> list[str]:
    """The /BaseFont of each font used on any page that carries an embedded font program."""
    found = []
    for page in _reader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            candidates = [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]
            for candidate in candidates:
                descriptor = candidate.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    found.append(str(candidate.get("/BaseFont", font.get("/BaseFont"))))
    return found


def _keep(name: str, pdf: bytes) -> None:
    directory = os.environ.get("PRINT_FORMS_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        (Path(directory) / f"{name}.pdf").write_bytes(pdf)


def _render(application: Application, code: str, *, full_ids: bool = True, keep_as: str = "") -> bytes:
    context = form_context(application, code, full_id_numbers=full_ids)
    pdf = render_pdf(FORMS[code].template, context)
    if keep_as:
        _keep(keep_as, pdf)
    return pdf


# The forms ------------------------------------------------------------------------------------------


def test_registry_names_the_seven_forms() -> None:
    assert list(FORMS) == [
        "application",
        "materials",
        "commitment",
        "investigation",
        "review",
        "decision",
        "filing",
    ]
    assert FORMS["commitment"].title == "家庭经济状况真实性承诺书（含核对授权）"


@pytest.mark.parametrize("code", list(EXPECTED))
def test_each_form_renders_a4_with_its_labels_the_case_number_and_an_embedded_cjk_font(
    filed_case: Application, code: str
) -> None:
    assert FORMS[code].available(filed_case)
    pdf = _render(filed_case, code, keep_as=code)
    reader = _reader(pdf)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=1)
    text = _text(pdf)
    for label in [*EXPECTED[code], "案件编号", filed_case.case_number, "柯大山"]:
        assert label in text, f"{code}: {label} missing"
    assert "打印日期" in text
    assert f"第1页共{len(reader.pages)}页" in text
    fonts = _embedded_fonts(pdf)
    assert fonts, f"{code}: no embedded font"
    assert all("Noto" in name for name in fonts), fonts


def test_case_file_forms_show_full_id_numbers_and_family_notices_masked_ones(filed_case: Application) -> None:
    full = filed_case.applicant.id_number
    masked = filed_case.applicant.masked_id_number
    for code in ("application", "commitment", "investigation", "review", "filing"):
        text = _text(_render(filed_case, code))
        assert full in text, code
    for code in ("materials", "decision"):
        text = _text(_render(filed_case, code))
        assert full not in text, code
        assert masked in text, code
    # Without the right to see full numbers, every form masks them.
    text = _text(_render(filed_case, "application", full_ids=False))
    assert full not in text
    assert masked in text


def test_application_form_lists_members_property_and_situation(filed_case: Application) -> None:
    text = _text(_render(filed_case, "application"))
    for word in (
        "王秀英",
        "柯小军",
        "配偶",
        "子女",
        "患重病",
        "全日制在校（普通高中）",
        "存款",
        "农商行活期",
        "医疗自付",
        "配偶住院自付",
        "6200.00",
        "配偶患重病长期住院",
        "告知承诺制",
        "镇窗口申请",
    ):
        assert word in text, word


def test_materials_list_ticks_the_materials_given(filed_case: Application) -> None:
    context = form_context(filed_case, "materials")
    ticked = [item["label"] for item in context["materials"] if item["checked"]]
    assert ticked == ["救助帮扶申请书", "户口簿", "家庭成员身份证", "病历、医疗费用票据（如有）"]


def test_investigation_form_shows_team_methods_check_and_counted_members(filed_case: Application) -> None:
    text = _text(_render(filed_case, "investigation"))
    for word in (
        "镇社会事务办",
        "镇农办",
        "邻里走访",
        "HS-2025-0901",
        "未发现机动车辆",
        "情况属实",
        "系统测算",
        "是否计入",
        "未成年子女",
    ):
        assert word in text, word


def test_review_record_names_attendees_and_category_decisions(filed_case: Application) -> None:
    context = form_context(filed_case, "review")
    assert len(context["attendees"]) == 3
    text = _text(_render(filed_case, "review"))
    for name in context["attendees"]:
        assert name in text
    for word in ("村支书柯建国", "纳入", "人均月收入低于农村低保标准", "公示期满", "批准"):
        assert word in text, word


def test_rejected_case_decision_is_a_rejection_notice_with_the_reason(world: Any) -> None:
    application = _build_case(world, world.household_a2, until=Stage.REJECTED, approve=False)
    assert application.stage == Stage.REJECTED
    assert FORMS["decision"].available(application)
    assert not FORMS["filing"].available(application)
    pdf = _render(application, "decision", keep_as="decision-rejected")
    text = _text(pdf)
    assert "不予批准通知书" in text
    assert re.sub(r"\s+", "", REJECTION_REASON) in text
    assert "行政复议" in text
    assert "救助帮扶审批通知书" not in text
    assert application.case_number in text


def test_forms_not_yet_available_before_their_stage(world: Any) -> None:
    application = _build_case(world, world.household_a1, until=Stage.ACCEPTED)
    assert [code for code, form in FORMS.items() if form.available(application)] == [
        "application",
        "materials",
        "commitment",
    ]
    assert "集体研判" in FORMS["review"].unavailable_message


def test_a_long_member_table_flows_to_a_second_page_with_its_header_repeated(world: Any) -> None:
    _family(world.household_a1, extra_members=45)
    application = _build_case(world, world.household_a1, until=Stage.INVESTIGATING)
    pdf = _render(application, "application", keep_as="application-long")
    reader = _reader(pdf)
    assert len(reader.pages) >= 2
    second = re.sub(r"\s+", "", reader.pages[1].extract_text())
    assert "与申请人关系" in second
    assert "身份证号码" in second
    assert f"第2页共{len(reader.pages)}页" in second


def test_form_context_reads_a_fixed_number_of_queries(world: Any) -> None:
    small = _build_case(world, world.household_a2, until=Stage.REJECTED, approve=False)
    _family(world.household_a1, extra_members=12)
    large = _build_case(world, world.household_a1)
    for code in FORMS:
        counts = []
        for application in (small, large):
            with CaptureQueriesContext(connection) as queries:
                form_context(application, code)
            counts.append(len(queries))
        assert counts[0] == counts[1], code
        assert counts[1] <= 12, code


# The view -------------------------------------------------------------------------------------------


def _url(application: Application, form: str) -> str:
    return reverse("applications:print", kwargs={"pk": application.pk, "form": form})


class TestPrintView:
    def test_town_clerk_gets_the_pdf_inline(self, client: Any, world: Any, filed_case: Application) -> None:
        client.force_login(world.users["town_clerk"])
        response = client.get(_url(filed_case, "decision"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'inline; filename="{filed_case.case_number}-decision.pdf"'
        assert "救助帮扶审批通知书" in _text(response.content)

    @pytest.mark.parametrize(
        "role",
        [
            "town_agri_officer",
            "task_force",
            "village_staff",
            "civil_affairs_reviewer",
            "agri_bureau_reviewer",
        ],
    )
    def test_other_roles_in_scope_may_print(
        self, client: Any, world: Any, filed_case: Application, role: str
    ) -> None:
        client.force_login(world.users[role])
        response = client.get(_url(filed_case, "filing"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"

    def test_full_id_numbers_follow_the_users_right_to_see_them(
        self, client: Any, world: Any, filed_case: Application
    ) -> None:
        full = filed_case.applicant.id_number
        client.force_login(world.users["town_clerk"])
        assert full in _text(client.get(_url(filed_case, "application")).content)
        client.force_login(world.users["village_staff"])
        text = _text(client.get(_url(filed_case, "application")).content)
        assert full not in text
        assert filed_case.applicant.masked_id_number in text

    def test_village_user_of_another_village_gets_404(
        self, client: Any, world: Any, filed_case: Application
    ) -> None:
        client.force_login(user_with_role(Role.VILLAGE_STAFF, world.village_a2, "print_village_a2"))
        assert client.get(_url(filed_case, "application")).status_code == 404

    def test_town_user_of_another_town_gets_404(
        self, client: Any, world: Any, filed_case: Application
    ) -> None:
        client.force_login(user_with_role(Role.TOWN_CLERK, world.town_b, "print_clerk_b"))
        assert client.get(_url(filed_case, "application")).status_code == 404

    @pytest.mark.parametrize("role", ["department_user", "administrator"])
    def test_department_and_admin_users_cannot_print(
        self, client: Any, world: Any, filed_case: Application, role: str
    ) -> None:
        client.force_login(world.users[role])
        assert (
            client.get(_url(filed_case, "application")).status_code == 404
        )  # the case is out of their scope

    def test_unknown_form_is_404(self, client: Any, world: Any, filed_case: Application) -> None:
        client.force_login(world.users["town_clerk"])
        assert client.get(_url(filed_case, "notice-board")).status_code == 404

    def test_form_not_yet_available_is_404_with_a_chinese_message(self, client: Any, world: Any) -> None:
        application = _build_case(world, world.household_a1, until=Stage.ACCEPTED)
        client.force_login(world.users["town_clerk"])
        response = client.get(_url(application, "review"))
        assert response.status_code == 404
        assert "尚未经镇工作专班集体研判" in response.content.decode()
        assert client.get(_url(application, "application")).status_code == 200

    def test_anonymous_is_sent_to_login(self, client: Any, filed_case: Application) -> None:
        response = client.get(_url(filed_case, "application"))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


# Whatever was typed (DESIGN issue 8, point 15) ----------------------------------------------------------

LONG = "长" * 5 + "X" * 2000  # one unbroken string, longer than any field allows


def test_every_free_text_field_of_the_case_has_a_maximum_length() -> None:
    from applications.models import Application, CategoryDecision, Filing, Investigation, Review

    for model in (Application, Investigation, Review, CategoryDecision, Filing):
        for field in model._meta.get_fields():
            if field.get_internal_type() in ("CharField", "TextField") and field.name != "note":
                assert field.max_length, f"{model.__name__}.{field.name}"
    assert Filing._meta.get_field("note").max_length


def test_forms_refuse_over_long_text_with_a_chinese_message(client: Any, world: Any) -> None:
    application = _build_case(world, world.household_a1, until=Stage.ACCEPTED)
    application.refresh_from_db()
    client.force_login(world.users["town_clerk"])
    response = client.post(
        f"/api/v1/applications/{application.pk}/transitions/extend/",
        {"total_working_days": 30, "reason": LONG},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["reason"] == ["确保该变量包含不超过 300 字符 (目前字符数 2005)。"]


def _max_text(limit: int) -> str:
    return ("长" + "X" * limit)[:limit]


def test_forms_filled_to_every_maximum_print_quickly_on_a_bounded_number_of_pages(world: Any) -> None:
    import time

    from applications.glossary import LONG_TEXT, SHORT_TEXT

    _family(world.household_a1)
    clerk, agri = world.users["town_clerk"], world.users["town_agri_officer"]
    application = services.application_accept(
        intake=services.Intake(
            household=world.household_a1,
            applicant=world.household_a1.members.get(relation="applicant"),
            channel="window",
            procedure="commitment",
            proxy="none",
            proxy_reason="",
            situation=_max_text(LONG_TEXT),
            materials=["application_form"],
            materials_given_on=ACCEPTED_ON,
            commitment_signed_on=ACCEPTED_ON,
            accepted_on=ACCEPTED_ON,
        ),
        acting_user=clerk,
    )
    application = services.investigation_start(
        application=application,
        team=[clerk, agri],
        check_requested_on=ACCEPTED_ON,
        started_on=ACCEPTED_ON,
        acting_user=clerk,
    )
    application = services.investigation_record_check(
        application=application,
        reference="R" * 64,
        result=_max_text(LONG_TEXT),
        result_on=ACCEPTED_ON,
        acting_user=agri,
    )
    application = services.investigation_complete(
        application=receive(application, "commitment_signed", acting_user=clerk),
        methods=["home_visit", "video"],
        video_reason=_max_text(SHORT_TEXT),
        findings=_max_text(LONG_TEXT),
        completed_on=ACCEPTED_ON,
        acting_user=clerk,
    )
    application = services.notice_send(application=application, acting_user=clerk)
    application = services.notice_close(application=application, closed_on=ACCEPTED_ON, acting_user=clerk)
    attendees = _task_force(world)
    application = services.application_decide(
        application=application,
        held_on=ACCEPTED_ON,
        attendees=attendees,
        attendees_note=_max_text(SHORT_TEXT),
        decisions=[
            services.Decision("dibao", True, _max_text(SHORT_TEXT)),
            services.Decision("monitoring", True, _max_text(SHORT_TEXT)),
        ],
        reason=_max_text(LONG_TEXT),
        departure_reason=_max_text(LONG_TEXT),
        approved_by=attendees[0],
        acting_user=attendees[0],
    )
    application = services.application_file(application=application, filed_on=ACCEPTED_ON, acting_user=clerk)
    # The same forms of an ordinary case, rendered in the same run, are the yardstick: the machine may be
    # slow or busy, but typing the maximum must not make a form much slower than an ordinary one (an
    # automatic table layout took 15-30 s over a thousand characters, against about 1 s).
    ordinary = _build_case(world, world.household_a2)
    for code in FORMS:
        started = time.perf_counter()
        _render(ordinary, code)
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        pdf = _render(application, code, keep_as=f"max-{code}")
        elapsed = time.perf_counter() - started
        pages = len(_reader(pdf).pages)
        assert pages <= 4, (code, pages)
        assert elapsed < 2 * baseline + 1.5, (code, elapsed, baseline)
        if code in ("application", "investigation", "review", "filing"):
            assert "XXXXXXXXXX" in _text(pdf), code  # the typed text is there, wrapped, not cut off
