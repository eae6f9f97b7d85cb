"""The provincial app's push (issue 20 point 4) and the progress API (point 3): POST
/api/v1/intake/applications/ with an external channel's token; the same Idempotency-Key twice makes one
application; bad input answers every error with its JSON path and stores nothing."""

import base64
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from online.channels import channel_create
from online.models import OnlineApplication
from tests.online.forms import APPLICANT_ID, SPOUSE_ID

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def channel_key(world):
    _channel, key = channel_create(name="湖北省救助通")
    return key


def _jpeg() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (90, 120, 150)).save(buffer, "JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


def push_body(world, **changes):
    body = {
        "village": world.village_a1.code,
        "phone": "13907140002",
        "situation": "本人患病，无劳动能力。",
        "asked": ["unsure"],
        "commitment": {"accepted": True, "name": "柯秋生"},
        "household": {
            "hukou_type": "rural",
            "financial_assets": "0",
            "motor_vehicles": 0,
            "motor_vehicle_value": "0",
            "houses": 1,
            "registered_business": False,
            "medical": "0",
            "education": "0",
            "other": "0",
        },
        "members": [
            {
                "name": "柯秋生",
                "id_number": APPLICANT_ID,
                "relation": "applicant",
                "labor_capacity": "none",
                "annual_income": "3000",
            },
            {
                "name": "王桂兰",
                "id_number": SPOUSE_ID,
                "relation": "spouse",
                "labor_capacity": "none",
                "annual_income": "0",
            },
        ],
        "documents": [{"kind": "id_card", "name": "身份证.jpg", "content_base64": _jpeg()}],
    }
    body.update(changes)
    return body


def _push(client, key, body, idem="req-1"):
    return client.post(
        reverse("api-intake-applications"),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Channel {key}",
        HTTP_IDEMPOTENCY_KEY=idem,
    )


def test_a_push_answers_201_with_number_and_code_and_lands_in_the_inbox(client, world, channel_key):
    response = _push(client, channel_key, push_body(world))
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert set(answer) == {"number", "query_code", "stage"}
    assert answer["stage"] == "submitted"
    online = OnlineApplication.objects.get(number=answer["number"])
    assert online.channel.name == "湖北省救助通"
    assert online.town == world.town_a
    assert online.documents.count() == 1
    progress = client.get(
        reverse("api-public-progress"), {"number": answer["number"], "code": answer["query_code"]}
    )
    assert progress.status_code == 200
    assert progress.json()["stage_label"] == "已提交、待受理"


def test_the_same_push_twice_with_one_idempotency_key_makes_one_application(client, world, channel_key):
    first = _push(client, channel_key, push_body(world))
    second = _push(client, channel_key, push_body(world))
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert OnlineApplication.objects.count() == 1
    other = _push(client, channel_key, push_body(world, situation="另一件事"))
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert _push(client, channel_key, push_body(world), idem="req-2").status_code == 201
    assert OnlineApplication.objects.count() == 2


def test_a_push_with_errors_answers_each_with_its_path_and_stores_nothing(client, world, channel_key):
    body = push_body(world, phone="123", asked=[])
    body["members"][1]["id_number"] = "420281196007020000"
    body["household"]["houses"] = -1
    body["documents"][0]["content_base64"] = "not base64!"
    body["colour"] = "red"
    response = _push(client, channel_key, body)
    assert response.status_code == 400
    paths = {error["path"] for error in response.json()["errors"]}
    assert {
        "$.phone",
        "$.asked",
        "$.members[1].id_number",
        "$.household.houses",
        "$.documents[0].content_base64",
        "$.colour",
    } <= paths
    assert OnlineApplication.objects.count() == 0
    # The forms right, the service's own refusals keep their paths too.
    body = push_body(world, commitment={"accepted": True, "name": "别人"})
    body["documents"][0]["content_base64"] = base64.b64encode(b"MZ not a picture").decode()
    response = _push(client, channel_key, body, idem="req-3")
    assert response.status_code == 400
    paths = {error["path"] for error in response.json()["errors"]}
    assert paths == {"$.commitment.name", "$.documents[0]"}
    assert OnlineApplication.objects.count() == 0


def test_an_unknown_village_is_told_with_the_other_errors(client, world, channel_key):
    response = _push(client, channel_key, push_body(world, village="999999999999", phone="1"))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["path"] for e in errors].count("$.village") == 1
    assert "$.phone" in {e["path"] for e in errors}


def test_no_token_or_a_revoked_one_answers_401(client, world, channel_key):
    body = push_body(world)
    no_token = client.post(
        reverse("api-intake-applications"), json.dumps(body), content_type="application/json"
    )
    assert no_token.status_code in (401, 403)
    assert _push(client, "dc_wrong", body).status_code == 401
    from online.models import ExternalChannel

    ExternalChannel.objects.update(revoked=True)
    assert _push(client, channel_key, body).status_code == 401
    assert OnlineApplication.objects.count() == 0


def test_documents_added_one_by_one(client, world, channel_key):
    body = push_body(world, documents=[])
    number = _push(client, channel_key, body).json()["number"]
    buffer = io.BytesIO(base64.b64decode(_jpeg()))
    buffer.name = "户口簿.jpg"
    url = reverse("api-intake-documents", args=[number])
    response = client.post(
        url, {"file": buffer, "kind": "hukou"}, HTTP_AUTHORIZATION=f"Channel {channel_key}"
    )
    assert response.status_code == 201
    assert response.json()["documents"] == 1
    bad = io.BytesIO(b"MZ program")
    bad.name = "x.jpg"
    refused = client.post(url, {"file": bad, "kind": "hukou"}, HTTP_AUTHORIZATION=f"Channel {channel_key}")
    assert refused.status_code == 400
    assert refused.json()["code"] == "bad_file_type"
    assert refused.json()["field"] == "file"
    _other, other_key = channel_create(name="另一渠道")
    assert client.post(url, {"kind": "hukou"}, HTTP_AUTHORIZATION=f"Channel {other_key}").status_code == 404
