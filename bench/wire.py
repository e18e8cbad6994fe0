"""What a MongoDB client asks of its datastore, read off the wire: the counting half of bench/wireproxy.py.

Only the client-to-server direction is parsed. Each message names one command: OP_MSG (every command
pymongo 4 sends) carries it as the first key of its kind-0 section's document, the collection as that
key's value and the database as `$db`; OP_QUERY is only the legacy handshake on `<db>.$cmd`. A write
command may carry several statements (documents to insert, updates, deletes), inline in its document
or in a kind-1 section: they are counted as statements, the way serverStatus opcounters count writes,
while the command itself is one round trip.
"""
from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, field

import bson

OP_QUERY, OP_COMPRESSED, OP_MSG = 2004, 2012, 2013
HEADER = struct.Struct("<iiii")  # messageLength, requestID, responseTo, opCode
CHECKSUM_PRESENT = 1
STATEMENT_ARRAYS = {"insert": "documents", "update": "updates", "delete": "deletes"}


@dataclass(frozen=True)
class Command:
    namespace: str   # "db.collection", or "db" for a command on no collection (hello, ping, endSessions)
    name: str        # as sent: "insert", "findAndModify", "getMore", ...
    statements: int  # documents inserted, updates or deletes sent; 1 for any other command


@dataclass
class Tally:
    """Round trips and statements per (namespace, command name)."""
    commands: Counter = field(default_factory=Counter)
    statements: Counter = field(default_factory=Counter)

    def add(self, command: Command) -> None:
        key = (command.namespace, command.name)
        self.commands[key] += 1
        self.statements[key] += command.statements

    def copy(self) -> "Tally":
        return Tally(Counter(self.commands), Counter(self.statements))

    def minus(self, other: "Tally") -> "Tally":
        """Key by key, negative results kept: Counter's own `-` would drop them and flatter the figure."""
        keys = self.commands.keys() | other.commands.keys()
        return Tally(Counter({k: self.commands[k] - other.commands[k] for k in keys}),
                     Counter({k: self.statements[k] - other.statements[k] for k in keys}))


def command_of(opcode: int, payload: bytes) -> Command:
    """The command in one message's payload (the bytes after its 16-byte header)."""
    if opcode == OP_MSG:
        return _op_msg(payload)
    if opcode == OP_QUERY:
        return _op_query(payload)
    return Command("?", "compressed" if opcode == OP_COMPRESSED else f"opcode {opcode}", 1)


def _op_msg(payload: bytes) -> Command:
    (flags,) = struct.unpack_from("<I", payload)
    end = len(payload) - (4 if flags & CHECKSUM_PRESENT else 0)
    body, sequences, at = {}, {}, 4
    while at < end:
        kind, at = payload[at], at + 1
        size = struct.unpack_from("<i", payload, at)[0]
        if kind == 0:
            body = bson.decode(payload[at:at + size])
        else:  # kind 1: size, identifier, then documents up to size; only how many matters here
            name_end = payload.index(b"\0", at + 4)
            sequences[payload[at + 4:name_end].decode()] = _count_documents(payload, name_end + 1, at + size)
        at += size
    return _command(body, body.get("$db", "?"), sequences)


def _op_query(payload: bytes) -> Command:
    name_end = payload.index(b"\0", 4)
    db = payload[4:name_end].decode().split(".", 1)[0]
    query = bson.decode(payload[name_end + 9:])  # after numberToSkip and numberToReturn
    return _command(query.get("$query", query), db, {})


def _command(body: dict, db: str, sequences: dict[str, int]) -> Command:
    if not body:
        return Command(db, "?", 1)
    name, target = next(iter(body.items()))
    collection = body.get("collection") if name == "getMore" else target
    namespace = f"{db}.{collection}" if isinstance(collection, str) else db
    array = STATEMENT_ARRAYS.get(name)
    statements = len(body.get(array, ())) + sequences.get(array, 0) if array else 1
    return Command(namespace, name, statements)


def _count_documents(data: bytes, at: int, end: int) -> int:
    count = 0
    while at < end:
        at += struct.unpack_from("<i", data, at)[0]
        count += 1
    return count


class MessageStream:
    """Reassembles whole messages from one connection's bytes, however TCP split them."""

    def __init__(self):
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        """[(opcode, payload)] of every message completed by `data`."""
        self._buffer += data
        messages = []
        while len(self._buffer) >= HEADER.size:
            length, _request, _response_to, opcode = HEADER.unpack_from(self._buffer)
            if len(self._buffer) < length:
                break
            messages.append((opcode, bytes(self._buffer[HEADER.size:length])))
            del self._buffer[:length]
        return messages
