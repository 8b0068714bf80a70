#!/usr/bin/env python3
"""Listens on chatwoot-groups' /cable as Chatwoot's dashboard does, for scripts/bench's message-creation run.

    bench-cable-listener.py BASE_URL API_ACCESS_TOKEN CONVERSATION [--ready FILE] [--duration S] [--drain S]
                            [--arrivals FILE]

Opens a websocket to BASE_URL/cable (subprotocol actioncable-v1-json), subscribes to RoomChannel with the token's
user's pubsub_token, writes FILE once the subscription is confirmed (the bench starts wrk then), and counts the
message.created events of conversation CONVERSATION (its display id) until SIGTERM/SIGINT or --duration seconds.
Told to stop, it keeps listening until no event came for --drain seconds (1): what was committed before wrk ended is
still on its way. Then it prints one JSON object:

    heard       message.created events of the conversation; unique: distinct message ids among them
    others      message.created events of other conversations (none expected)
    delay_ms    {p50, p99, max} from the message's created_at to its arrival, when created_at carries
                milliseconds; else null, and delay_note says why (Chatwoot's payload has whole epoch seconds: with
                --arrivals FILE, each heard message's id and arrival in epoch ms go to FILE, a line each, for the
                bench to set against the store's created_at, which has milliseconds)
    drain_s     how long after the stop events still arrived (the cable's backlog when wrk ended)
    closed      why the server closed the socket, when it did (the cable ends a client 1,000 frames behind)

Python 3's standard library only: the bench runs on a fresh Debian machine with no pip. The handshake and framing are
RFC 6455's, by hand: client frames masked, server frames unmasked, pings answered with pongs.
"""

import argparse
import base64
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import time
import urllib.parse
import urllib.request

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
SUBPROTOCOL = "actioncable-v1-json"


def api(base, token, path):
    """GET base+path as the token's holder; the JSON answer."""
    request = urllib.request.Request(base + path, headers={"api_access_token": token})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def subscriber(base, token):
    """(user id, account id, pubsub_token, where the token came from) of the token's user."""
    profile = api(base, token, "/api/v1/profile")
    pubsub = profile.get("pubsub_token")
    source = "profile"
    if not pubsub:
        # Chatwoot's profile carries pubsub_token; ours may not. The bootstrap key is also a platform app that may
        # show the user (as the realtime tests read it).
        pubsub = api(base, token, "/platform/api/v1/users/%d" % profile["id"]).get("pubsub_token")
        source = "platform"
    if not pubsub:
        sys.exit("bench-cable-listener: no pubsub_token for user %s" % profile["id"])
    return profile["id"], profile["account_id"], pubsub, source


class Socket:
    """One client websocket: RFC 6455 frames over a plain TCP connection."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.sock = socket.create_connection((url.hostname, url.port or 80), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                "GET /cable HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n"
                "Origin: %s\r\n\r\n" % (url.netloc, key, SUBPROTOCOL, base)
            ).encode()
        )
        self.buffer = b""
        self.parts = []
        while b"\r\n\r\n" not in self.buffer:
            self.fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        if lines[0].split(" ")[1:2] != ["101"]:
            sys.exit("bench-cable-listener: /cable answered %r, not 101" % lines[0])
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != accept:
            sys.exit("bench-cable-listener: wrong Sec-WebSocket-Accept %r" % headers.get("sec-websocket-accept"))
        if headers.get("sec-websocket-protocol") != SUBPROTOCOL:
            sys.exit("bench-cable-listener: the server chose subprotocol %r" % headers.get("sec-websocket-protocol"))

    def fill(self):
        """Reads more bytes (socket.timeout when none came in time)."""
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the connection")
        self.buffer += data

    def send(self, opcode, payload):
        """One final frame, masked as every client frame must be."""
        mask = os.urandom(4)
        size = len(payload)
        if size < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
        elif size < 1 << 16:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def frame(self):
        """(fin, opcode, payload) of the next frame. Bytes leave the buffer only once a whole frame is there, so a
        timeout (socket.timeout from fill) never loses part of one."""
        while True:
            if len(self.buffer) >= 2:
                b0, b1 = self.buffer[0], self.buffer[1]
                if b1 & 0x80:
                    raise ConnectionError("the server masked a frame")
                size, start = b1 & 0x7F, 2
                if size == 126 and len(self.buffer) >= 4:
                    size, start = struct.unpack("!H", self.buffer[2:4])[0], 4
                elif size == 127 and len(self.buffer) >= 10:
                    size, start = struct.unpack("!Q", self.buffer[2:10])[0], 10
                if (b1 & 0x7F) < 126 or start > 2:
                    if len(self.buffer) >= start + size:
                        payload, self.buffer = self.buffer[start : start + size], self.buffer[start + size :]
                        return bool(b0 & 0x80), b0 & 0x0F, payload
            self.fill()

    def message(self):
        """The next text message (fragments joined); answers pings on the way. None when the server closed."""
        while True:
            fin, opcode, payload = self.frame()
            if opcode == 0x9:  # ping
                self.send(0xA, payload)
            elif opcode == 0x8:  # close: answer it, keep its code and reason
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                try:
                    self.send(0x8, payload[:2])
                except OSError:
                    pass
                self.closed = "close frame %s %s" % (code, payload[2:].decode("utf-8", "replace"))
                return None
            elif opcode in (0x0, 0x1, 0x2):
                if opcode != 0x0:
                    self.first = opcode
                self.parts.append(payload)
                if fin:
                    text, self.parts = b"".join(self.parts), []
                    if self.first == 0x1:
                        return text.decode()

    closed = None
    first = None


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("conversation", type=int)
    parser.add_argument("--ready")
    parser.add_argument("--duration", type=float)
    parser.add_argument("--drain", type=float, default=1.0)
    parser.add_argument("--arrivals")
    args = parser.parse_args()

    user, account, pubsub, source = subscriber(args.base, args.token)
    stop = {"at": None}

    def on_signal(_number, _frame):
        if stop["at"] is None:
            stop["at"] = time.monotonic()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    cable = Socket(args.base)
    identifier = json.dumps(
        {"channel": "RoomChannel", "pubsub_token": pubsub, "account_id": account, "user_id": user}, separators=(",", ":")
    )
    subscribed = False
    heard, ids, others, delays, arrivals = 0, set(), 0, [], []
    last_event = None
    deadline = time.monotonic() + args.duration if args.duration else None
    cable.sock.settimeout(0.1)
    while True:
        now = time.monotonic()
        if stop["at"] is None and deadline is not None and now >= deadline:
            stop["at"] = now
        if stop["at"] is not None and now - max(stop["at"], last_event or 0) >= args.drain:
            break
        if stop["at"] is not None and now - stop["at"] >= 60:
            cable.closed = "still hearing events 60 s after the stop"
            break
        try:
            text = cable.message()
        except socket.timeout:
            continue
        except ConnectionError as error:
            cable.closed = str(error)
            break
        if text is None:
            break
        arrived = time.time()
        frame = json.loads(text)
        kind = frame.get("type")
        if kind == "welcome":
            cable.send(0x1, json.dumps({"command": "subscribe", "identifier": identifier}).encode())
        elif kind == "reject_subscription":
            sys.exit("bench-cable-listener: RoomChannel rejected the subscription of user %d" % user)
        elif kind == "confirm_subscription" and frame.get("identifier") == identifier:
            subscribed = True
            if args.ready:
                with open(args.ready, "w") as ready:
                    ready.write("subscribed\n")
        elif kind is None and isinstance(frame.get("message"), dict):
            message = frame["message"]
            if message.get("event") != "message.created":
                continue
            data = message.get("data") or {}
            if data.get("conversation_id") != args.conversation:
                others += 1
                continue
            heard += 1
            ids.add(data.get("id"))
            arrivals.append("%s %d\n" % (data.get("id"), round(arrived * 1000)))
            last_event = time.monotonic()
            created = data.get("created_at")
            # Chatwoot sends whole epoch seconds: a delay of a few ms would vanish in the rounding. Epoch milliseconds
            # or fractional seconds would do.
            if isinstance(created, (int, float)) and (created > 1e12 or created != int(created)):
                delays.append((arrived - (created / 1000 if created > 1e12 else created)) * 1000)

    if args.arrivals:
        with open(args.arrivals, "w") as out:
            out.writelines(arrivals)
    stopped = stop["at"]
    result = {
        "subscribed": subscribed,
        "token_from": source,
        "heard": heard,
        "unique": len(ids),
        "others": others,
        "delay_ms": None,
        "drain_s": round(max(0.0, last_event - stopped), 3) if stopped and last_event else 0.0,
        "closed": cable.closed,
    }
    if delays:
        result["delay_ms"] = {
            "p50": round(percentile(delays, 0.5), 3),
            "p99": round(percentile(delays, 0.99), 3),
            "max": round(max(delays), 3),
        }
    elif heard:
        result["delay_note"] = "created_at is whole seconds, too coarse for a delay"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
