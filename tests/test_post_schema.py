"""One declaration of a post's fields (hub.posts.schema.PostMeta) that every stage reads."""

from __future__ import annotations

from hub.comms import check
from hub.posts import schema


def test_order_and_writers_come_from_the_one_declaration() -> None:
    assert tuple(schema.PostMeta.model_fields) == schema.FIELD_ORDER
    assert set(schema.SYNCED_FIELDS) <= set(schema.FIELD_ORDER)
    # what a person decides is never overwritten by the sync
    people_only = {"status", "pinned", "publish_date", "image_alt", "source"}
    assert not people_only & set(schema.SYNCED_FIELDS)


def test_check_validates_with_the_same_model() -> None:
    assert check.PostMeta is schema.PostMeta
    assert frozenset(schema.FIELD_ORDER) == check.KNOWN_KEYS
