"""bench/wire.py and bench/datastore_ops.py's pure parts: commands read off real OP_MSG / OP_QUERY bytes."""
import struct

import bson
import pytest

from bench.datastore_ops import per_booking_rows, short_namespace
from bench.wire import OP_MSG, OP_QUERY, Command, MessageStream, Tally, command_of


def op_msg(body: dict, sequences: dict | None = None, checksum: bool = False, request_id: int = 7) -> bytes:
    """One OP_MSG as a driver sends it: a kind-0 body, then a kind-1 section per document sequence."""
    sections = b"\x00" + bson.encode(body)
    for identifier, docs in (sequences or {}).items():
        payload = identifier.encode() + b"\x00" + b"".join(bson.encode(doc) for doc in docs)
        sections += b"\x01" + struct.pack("<i", 4 + len(payload)) + payload
    message = struct.pack("<I", 1 if checksum else 0) + sections + (b"\xde\xad\xbe\xef" if checksum else b"")
    return struct.pack("<iiii", 16 + len(message), request_id, 0, OP_MSG) + message


def op_query(namespace: str, query: dict) -> bytes:
    message = struct.pack("<i", 0) + namespace.encode() + b"\x00" + struct.pack("<ii", 0, -1) + bson.encode(query)
    return struct.pack("<iiii", 16 + len(message), 1, 0, OP_QUERY) + message


def parsed(raw: bytes) -> Command:
    ((opcode, payload),) = MessageStream().feed(raw)
    return command_of(opcode, payload)


@pytest.mark.parametrize("body, sequences, expected", [
    ({"insert": "bookings", "$db": "p_bookings"}, {"documents": [{"_id": 1}, {"_id": 2}, {"_id": 3}]},
     Command("p_bookings.bookings", "insert", 3)),
    ({"insert": "audit", "documents": [{"_id": 1}], "$db": "p_bookings"}, None, Command("p_bookings.audit", "insert", 1)),
    ({"update": "notifications", "ordered": False, "$db": "p_n"}, {"updates": [{"q": {}, "u": {}}] * 2},
     Command("p_n.notifications", "update", 2)),
    ({"delete": "claims", "deletes": [{"q": {}, "limit": 1}], "$db": "p_n"}, None, Command("p_n.claims", "delete", 1)),
    ({"findAndModify": "notifications", "query": {"status": "pending"}, "$db": "p_n"}, None,
     Command("p_n.notifications", "findAndModify", 1)),
    ({"getMore": bson.Int64(42), "collection": "bookings", "$db": "p_b"}, None, Command("p_b.bookings", "getMore", 1)),
    ({"aggregate": 1, "pipeline": [], "$db": "admin"}, None, Command("admin", "aggregate", 1)),
    ({"hello": 1, "$db": "admin"}, None, Command("admin", "hello", 1)),
])
def test_an_op_msg_names_its_command_collection_and_statements(body, sequences, expected):
    assert parsed(op_msg(body, sequences)) == expected


def test_a_checksum_is_not_read_as_a_section():
    assert parsed(op_msg({"find": "ledger", "$db": "p_b"}, checksum=True)) == Command("p_b.ledger", "find", 1)


def test_the_legacy_handshake_is_a_command_on_its_database():
    assert parsed(op_query("admin.$cmd", {"isMaster": 1})) == Command("admin", "isMaster", 1)


def test_messages_are_reassembled_however_tcp_split_them():
    raw = op_msg({"find": "a", "$db": "d"}, request_id=1) + op_msg({"count": "b", "$db": "d"}, request_id=2)
    stream, seen = MessageStream(), []
    for cut in range(0, len(raw), 5):
        seen += [command_of(*message).name for message in stream.feed(raw[cut:cut + 5])]
    assert seen == ["find", "count"]


def test_a_difference_keeps_negative_keys_so_totals_add_up():
    batch, idle = Tally(), Tally()
    for command in (Command("p_b.bookings", "insert", 2), Command("admin", "hello", 1)):
        batch.add(command)
    for _ in range(3):
        idle.add(Command("admin", "hello", 1))
    net = batch.minus(idle)
    assert net.statements == {("p_b.bookings", "insert"): 2, ("admin", "hello"): -2}
    assert net.commands[("p_b.bookings", "insert")] == 1


def test_rows_are_per_booking_without_the_run_prefix_largest_first():
    net = Tally()
    for command in [Command("bench1_bookings.ledger", "insert", 1)] * 4 + [Command("bench1_n.x", "update", 6)] * 2:
        net.add(command)
    assert per_booking_rows(net, 4, "bench1") == [("n.x", "update", 3.0, 0.5), ("bookings.ledger", "insert", 1.0, 1.0)]
    assert per_booking_rows(net, 0, "bench1") == []
    assert short_namespace("admin", "bench1") == "admin"
