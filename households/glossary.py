"""Django choices for household data, built from the one vocabulary in `households.codes`.

The member names are the codes upper-cased (`Relation.APPLICANT == "applicant"`); the codes and labels
themselves are written only in `households.codes`. The classes are typed `Any` because mypy cannot see
members created from data; a test checks every name the code uses exists.
"""

from typing import Any

from django.db import models

from . import codes

# Django's functional API for choices, which the stubs do not describe.
_TextChoices: Any = models.TextChoices
_IntegerChoices: Any = models.IntegerChoices


def _text_choices(name: str, pairs: codes.CodeLabels) -> Any:
    return _TextChoices(name, [(code.upper(), (code, label)) for code, label in pairs])


HukouType: Any = _text_choices("HukouType", codes.HUKOU_TYPES)
Relation: Any = _text_choices("Relation", codes.RELATIONS)
Sex: Any = _text_choices("Sex", codes.SEXES)
MaritalStatus: Any = _text_choices("MaritalStatus", codes.MARITAL_STATUSES)
EducationLevel: Any = _text_choices("EducationLevel", codes.EDUCATION_LEVELS)
DisabilityType: Any = _text_choices("DisabilityType", codes.DISABILITY_TYPES)
DisabilityGrade: Any = _IntegerChoices(
    "DisabilityGrade", [(f"GRADE_{grade}", (grade, label)) for grade, label in codes.DISABILITY_GRADES]
)
LaborCapacity: Any = _text_choices("LaborCapacity", codes.LABOR_CAPACITIES)
ParentsStatus: Any = _text_choices("ParentsStatus", codes.PARENTS_STATUSES)
ParentsEvidence: Any = _text_choices("ParentsEvidence", codes.PARENTS_EVIDENCE_KINDS)
IncomeKind: Any = _text_choices("IncomeKind", codes.INCOME_KINDS)
AssetKind: Any = _text_choices("AssetKind", codes.ASSET_KINDS)
ExpenseKind: Any = _text_choices("ExpenseKind", codes.EXPENSE_KINDS)
SupporterRelation: Any = _text_choices("SupporterRelation", codes.SUPPORTER_RELATIONS)
# Assistance categories (DESIGN §3.2).
Category: Any = _text_choices("Category", codes.CATEGORIES)

FINANCIAL_ASSET_KINDS = codes.FINANCIAL_ASSET_KINDS

# Enrollments (DESIGN §3.7): why one ended; which categories carry cash, go per member, exit gradually.
EndReason: Any = _text_choices("EndReason", codes.END_REASONS)
CASH_CATEGORIES = codes.CASH_CATEGORIES
MEMBER_CATEGORIES = codes.MEMBER_CATEGORIES
GRADUAL_EXIT_CATEGORIES = codes.GRADUAL_EXIT_CATEGORIES

# Special assistance (DESIGN §3.8).
AssistanceKind: Any = _text_choices("AssistanceKind", codes.ASSISTANCE_KINDS)
AssistanceSource: Any = _text_choices("AssistanceSource", codes.ASSISTANCE_SOURCES)
NeedKind: Any = _text_choices("NeedKind", codes.NEED_KINDS)
DATASET_ASSISTANCE_KINDS = codes.DATASET_ASSISTANCE_KINDS
