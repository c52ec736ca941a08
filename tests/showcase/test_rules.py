"""The programme's rules (issue #13), each tried the way it used to be got around: a direct POST, the ORM,
a decision against the standard's rule, a draft started while barred, a step by someone who acts for the unit."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from showcase.models import RatingLevel, StandardFrozen, StandardGroup, StandardItem, items_of

from .conftest import score

FROZEN = "冻结的评价标准不能新增或修改细则"


# ---------------------------------------------------------------- 1. a frozen standard accepts nothing new


@pytest.fixture
def frozen(assigned, experts, items, levels, standard):
    """The 2019 standard once an expert has rated an item with it."""
    score(assigned, experts[0], items, levels, submit=False)
    assert standard.is_frozen
    return standard


def _weights(standard):
    items = items_of(standard)
    return len(items), sum((i.weight for i in items), Decimal(0))


def test_frozen_standard_refuses_a_new_item_posted_to_the_admin(client_for, secretariat, frozen):
    group3 = StandardGroup.objects.get(standard=frozen, number=3)
    response = client_for(secretariat).post(reverse("showcase_item:add"), {
        "group": group3.pk, "code": "3.4", "title": "新增细则", "evidence": "无", "weight": "20",
        "sort_order": "9"})
    assert response.status_code == 200  # the form again, with the error
    assert FROZEN in response.content.decode()
    assert _weights(frozen) == (13, Decimal(100))


def test_frozen_standard_refuses_item_deletion_posted_to_the_admin(client_for, secretariat, frozen, items):
    client = client_for(secretariat)
    response = client.post(reverse("showcase_item:delete", args=[items[0].pk]))
    assert response.status_code == 302
    assert FROZEN in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert StandardItem.objects.filter(pk=items[0].pk).exists()
    response = client.post(reverse("showcase_item:edit", args=[items[0].pk]), {
        "group": items[0].group_id, "code": "1.1", "title": "改写", "evidence": "改写", "weight": "60",
        "sort_order": "0"})
    assert StandardItem.objects.get(pk=items[0].pk).weight == Decimal(6)


def test_frozen_standard_refuses_new_changed_and_deleted_parts_through_the_orm(frozen, items):
    group3 = StandardGroup.objects.get(standard=frozen, number=3)
    with pytest.raises(StandardFrozen) as refused:
        StandardItem.objects.create(group=group3, code="3.4", title="新增", evidence="无", weight=20)
    assert FROZEN in refused.value.messages[0]
    with pytest.raises(StandardFrozen):
        RatingLevel.objects.create(standard=frozen, name="部分符合", fraction=Decimal("0.3"))
    with pytest.raises(StandardFrozen):
        StandardGroup.objects.create(standard=frozen, number=4, title="新增分组")
    item = StandardItem.objects.get(pk=items[0].pk)
    item.weight = 60
    with pytest.raises(StandardFrozen):
        item.save()
    level = frozen.levels.get(name="基本符合")
    level.fraction = Decimal("0.9")
    with pytest.raises(StandardFrozen):
        level.save()
    with pytest.raises(StandardFrozen):
        StandardItem.objects.get(pk=items[1].pk).delete()
    with pytest.raises(StandardFrozen):
        group3.delete()
    frozen.pass_threshold = 60
    with pytest.raises(StandardFrozen):
        frozen.save()
    assert _weights(frozen) == (13, Decimal(100))
    assert frozen.levels.count() == 3


def test_a_copy_of_a_frozen_standard_can_be_changed(frozen):
    from showcase.admin_views import copy_standard_version

    copy = copy_standard_version(frozen)
    group3 = copy.groups.get(number=3)
    StandardItem.objects.create(group=group3, code="3.4", title="新增", evidence="无", weight=10)
    assert _weights(copy) == (14, Decimal(110))
