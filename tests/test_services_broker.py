"""The real Redis broker answers and carries a message (no mocks)."""

from __future__ import annotations

import uuid

from kombu import Connection


def test_it_round_trips_a_message_through_the_redis_broker(broker_url: str) -> None:
    name = f"lwnkb-test-{uuid.uuid4().hex}"
    with Connection(broker_url, connect_timeout=5) as conn:
        simple = conn.SimpleQueue(name, queue_opts={"auto_delete": True})
        simple.put({"hello": "broker"}, serializer="json")
        message = simple.get(block=True, timeout=5)
        message.ack()
        simple.close()
    assert message.payload == {"hello": "broker"}
