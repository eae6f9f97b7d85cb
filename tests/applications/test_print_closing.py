"""The review record and the filing sheet keep their signature block with the last rows: when the form
runs onto a second page, the last section goes with the signatures instead of leaving them alone."""

import io

import pytest
from pypdf import PdfReader

from applications.glossary import Stage
from applications.printing import form_context
from daye_relief.pdf import render_pdf

from ..factories import MemberFactory
from .cases import accept, advance

pytestmark = pytest.mark.django_db


def pages(application, form):
    from applications.printing import FORMS

    context = form_context(application, form, full_id_numbers=False)
    reader = PdfReader(io.BytesIO(render_pdf(FORMS[form].template, context)))
    return [page.extract_text() for page in reader.pages]


def first_overflow(application, form, grow, start, stop):
    """Grows the form until it runs onto a second page; that page's text."""
    for size in range(start, stop):
        grow(size)
        texts = pages(application, form)
        if len(texts) > 1:
            return texts
    pytest.fail(f"{form} never ran onto a second page")


def test_the_signatures_never_stand_alone_on_the_second_page(world):
    application = advance(world, accept(world), Stage.FILED)
    household = application.household
    added = []

    def members(count):
        while len(added) < count:
            added.append(MemberFactory(household=household, relation="child", name=f"柯小{len(added)}"))

    second = first_overflow(application, "filing", members, 10, 60)
    assert "填表人签字" in second[-1]
    assert "四、报送备案" in second[-1]

    from applications.models import Investigation

    def findings(lines):
        Investigation.objects.filter(application=application).update(
            findings="经入户调查，情况属实。" * 4 * lines
        )

    second = first_overflow(application, "review", findings, 0, 80)
    assert "记录人签字" in second[-1]
    assert "三、研判意见" in second[-1]
