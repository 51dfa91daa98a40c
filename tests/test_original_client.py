"""The original MedBotX React frontend, against a real MedBotX server, unchanged.

Its code is re-implemented here from what it does (frontend/src/services/*.js and
components/Chat/ChatWindow.jsx of the original project): axios with `Content-Type: application/json` and
`Authorization: Bearer <token>` only when it holds a token, except the stream's `fetch`, which sends
`Authorization: ""` without one. Sending a question in a new chat: `POST /api/threads/` with
`{"title": "New Conversation", "is_guest": false}`, then the stream, while the thread's messages are loaded
again (the new thread id changes the chat window's state). The stream parser splits what it has read on
blank lines, keeps the last piece as the buffer, and uses only blocks that *start with* `data: `: `error`
ends with an alert, `done` completes, `content` is appended when not empty.

A real server (Daphne, SQLite) and the fake Groq server in their own processes: the bytes cross real
sockets, split wherever TCP splits them.
"""

import http.client
import json
import subprocess
import sys
import threading
import uuid
from urllib.parse import quote, urlsplit

import pytest

from tests.live import ROOT, LiveServer, free_port

TOKENS = 60  # the fake model's answer: "tok0 tok1 ... tok59 ", 30 tokens a second


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    groq = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.groq_server", "--port", str(port), "--rate", "30", "--tokens", str(TOKENS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert b"fake Groq on" in groq.stdout.readline()
        env = {
            "MEDBOTX_LLM": "groq",
            "GROQ_API_KEY": "gsk_test",
            "GROQ_BASE_URL": f"http://127.0.0.1:{port}",
            "LLM_MAX_RETRIES": "0",
        }
        with LiveServer(tmp_path_factory.mktemp("original-client"), **env) as live:
            yield live
    finally:
        groq.terminate()
        groq.wait(timeout=10)


class OriginalFrontend:
    """What the original frontend sends and how it reads the answers."""

    def __init__(self, base_url: str) -> None:
        self.base = urlsplit(base_url)
        self.token: str | None = None  # localStorage.token

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=30)

    # services/api.js: axios, JSON, the bearer token when there is one
    def api(self, method: str, path: str, body=None):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        connection = self._connection()
        connection.request(method, path, None if body is None else json.dumps(body), headers)
        response = connection.getresponse()
        data = json.loads(response.read() or b"null")
        connection.close()
        assert 200 <= response.status < 300, (method, path, response.status, data)  # axios rejects otherwise
        return data

    # services/authService.js + context/AuthContext.jsx
    def signup(self, email: str, password: str) -> None:
        self.token = self.api("POST", "/api/auth/signup", {"email": email, "password": password})["access_token"]

    def login(self, email: str, password: str) -> None:
        self.token = self.api("POST", "/api/auth/login", {"email": email, "password": password})["access_token"]

    # services/threadService.js
    def create_thread(self):
        return self.api("POST", "/api/threads/", {"title": "New Conversation", "is_guest": False})

    def get_threads(self):
        return self.api("GET", "/api/threads/")

    def get_messages(self, thread_id):
        return self.api("GET", f"/api/threads/{thread_id}/messages")

    def update_thread(self, thread_id, title):
        return self.api("PUT", f"/api/threads/{thread_id}?title={quote(title)}")

    def delete_thread(self, thread_id):
        return self.api("DELETE", f"/api/threads/{thread_id}")

    # services/chatService.js: fetch, then the reader loop
    def stream_chat(self, thread_id, message, on_first_chunk=None) -> dict:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.token}" if self.token else "",
        }
        connection = self._connection()
        body = json.dumps({"thread_id": thread_id, "message": message})
        connection.request("POST", "/api/chat/stream", body, headers)
        response = connection.getresponse()
        if not (200 <= response.status < 300):
            raise AssertionError(f"HTTP error! status: {response.status}: {response.read()!r}")
        outcome = {"chunks": [], "completed": False, "error": None, "blocks_ignored": 0}
        buffer = ""
        try:
            while True:
                value = response.read1(65536)  # reader.read(): whatever has arrived
                if not value:
                    outcome["completed"] = True  # the stream ended: onComplete
                    return outcome
                buffer += value.decode()
                blocks = buffer.split("\n\n")
                buffer = blocks.pop()
                for block in blocks:
                    if not block.startswith("data: "):
                        outcome["blocks_ignored"] += 1
                        continue
                    data = json.loads(block[6:])  # the whole rest of the block, as JSON.parse(line.slice(6))
                    if data.get("error"):
                        outcome["error"] = data["error"]
                        return outcome
                    if data.get("done"):
                        outcome["completed"] = True
                        return outcome
                    if data.get("content"):
                        outcome["chunks"].append(data["content"])
                        if on_first_chunk is not None and len(outcome["chunks"]) == 1:
                            on_first_chunk()
        finally:
            connection.close()

    # components/Chat/ChatWindow.jsx: handleSend in a new chat
    def send_in_new_chat(self, message: str) -> tuple[str, dict, list]:
        thread = self.create_thread()
        reloaded: list = []

        def load_messages():  # the thread id changes, so the window loads the thread's messages meanwhile
            loader = threading.Thread(target=lambda: reloaded.append(self.get_messages(thread["id"])))
            loader.start()
            loader.join(10)

        outcome = self.stream_chat(thread["id"], message, on_first_chunk=load_messages)
        return thread["id"], outcome, reloaded


def answer(outcome: dict) -> str:
    return "".join(outcome["chunks"])


EXPECTED = "".join(f"tok{i} " for i in range(TOKENS))


def test_a_guest_sees_the_answer_stream_and_done(server):
    client = OriginalFrontend(server.url)
    thread_id, outcome, reloaded = client.send_in_new_chat("What helps a tension headache?")
    assert outcome["completed"] and outcome["error"] is None
    assert answer(outcome) == EXPECTED
    assert outcome["blocks_ignored"] == 1  # the opening comment; every event starts with `data: `
    # The reload while the answer streamed shows the question only, not an empty bubble for the reply.
    assert [(m["role"], m["content"]) for m in reloaded[0]] == [("user", "What helps a tension headache?")]
    # Reopened later: the question and the whole answer.
    messages = client.get_messages(thread_id)
    assert [(m["role"], m["content"]) for m in messages] == [
        ("user", "What helps a tension headache?"),
        ("assistant", EXPECTED),
    ]


def test_a_signed_in_user_signs_up_logs_in_chats_lists_renames_and_deletes(server):
    client = OriginalFrontend(server.url)
    email = f"original-{uuid.uuid4().hex[:8]}@example.com"
    client.signup(email, "a long enough password")
    client.token = None  # logout
    client.login(email, "a long enough password")

    thread_id, outcome, reloaded = client.send_in_new_chat("How much sleep do adults need?")
    assert outcome["completed"] and outcome["error"] is None and answer(outcome) == EXPECTED
    assert [m["role"] for m in reloaded[0]] == ["user"]

    # A second question in the same thread: the earlier exchange and the new answer.
    outcome = client.stream_chat(thread_id, "And for teenagers?")
    assert outcome["completed"] and answer(outcome) == EXPECTED
    assert [m["role"] for m in client.get_messages(thread_id)] == ["user", "assistant", "user", "assistant"]

    threads = client.get_threads()
    assert [t["id"] for t in threads] == [thread_id]
    assert threads[0]["is_guest"] is False
    assert client.update_thread(thread_id, "Sleep")["title"] == "Sleep"
    assert client.delete_thread(thread_id) == {"message": "Thread deleted successfully"}
    assert client.get_threads() == []


def test_an_emergency_shows_the_fixed_answer_and_done(server):
    client = OriginalFrontend(server.url)
    thread_id, outcome, _ = client.send_in_new_chat("my dad has crushing chest pain and can't breathe")
    assert outcome["completed"] and outcome["error"] is None
    text = answer(outcome)
    assert "911" in text
    messages = client.get_messages(thread_id)
    assert messages[-1]["role"] == "assistant" and messages[-1]["content"] == text


def test_the_stream_has_no_id_or_event_lines(server):
    """The framing itself, on the wire: comments, or `data: <one line>` and a blank line."""
    client = OriginalFrontend(server.url)
    thread = client.create_thread()
    connection = client._connection()
    body = json.dumps({"thread_id": thread["id"], "message": "What is a normal resting heart rate?"})
    connection.request("POST", "/api/chat/stream", body, {"Content-Type": "application/json", "Authorization": ""})
    raw = connection.getresponse().read().decode()
    connection.close()
    assert raw.endswith("\n\n")
    for block in raw[:-2].split("\n\n"):
        lines = block.split("\n")
        assert len(lines) == 1, block
        assert lines[0].startswith((":", "data: ")), block
