"""A real learning record store for the tests: Ralph (ralph-malph, France Université Numérique's LRS),
with its file-system backend, as a subprocess on a free loopback port.

Ralph lives in its own pinned virtualenv (tests/xapi/lrs/.venv, made by `make tests/xapi/lrs/.venv/.installed`
and by `make test`): its FastAPI, pydantic and uvicorn never meet the app's packages. Each server gets its own
data directory and basic-auth users (bcrypt hashes written to its auth file, as `ralph auth` does).
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.sso.idps import free_port

HERE = Path(__file__).resolve().parent
VENV_PYTHON = HERE / "lrs" / ".venv" / "bin" / "python"
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}


class Ralph:
    """One Ralph LRS: ``start()``, ``stop()`` (the LRS is down; its statements stay on disk), ``start()``
    again on the same port, ``statements()`` read back through its own xAPI API."""

    def __init__(self, workdir: Path, users: dict[str, str]):
        if not VENV_PYTHON.exists():
            pytest.fail(
                "the test LRS (Ralph) needs its virtualenv: run `make tests/xapi/lrs/.venv/.installed`"
            )
        self.workdir = workdir
        self.users = users
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.data = workdir / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.auth_file = workdir / "auth.json"
        self._write_auth()
        self.process: subprocess.Popen | None = None
        self.log = workdir / "ralph.log"

    def _write_auth(self) -> None:
        script = (
            "import bcrypt, json, sys\n"
            "users = json.loads(sys.argv[1])\n"
            "hashed = lambda pw: bcrypt.hashpw(pw.encode(), bcrypt.gensalt(4)).decode()\n"
            "print(json.dumps([{'username': name, 'hash': hashed(pw),"
            " 'scopes': ['all'], 'agent': {'objectType': 'Agent', 'account': {'homePage': 'https://lrs.test',"
            " 'name': name}}} for name, pw in users.items()]))\n"
        )
        out = subprocess.run(
            [str(VENV_PYTHON), "-c", script, json.dumps(self.users)],
            check=True,
            capture_output=True,
            text=True,
        )
        self.auth_file.write_text(out.stdout)

    def start(self) -> "Ralph":
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("RALPH_")},
            "RALPH_APP_DIR": str(self.workdir / "app"),
            "RALPH_AUTH_FILE": str(self.auth_file),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.data),
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(VENV_PYTHON),
                    "-m",
                    "uvicorn",
                    "ralph.api:app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Ralph exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"Ralph did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def clear(self) -> None:
        """Forget every stored statement (between tests)."""
        for path in self.data.iterdir():
            path.unlink()

    def statements(self, user: str, **params) -> list[dict]:
        """Every statement the LRS holds (following its ``more`` links), read with ``user``'s credentials."""
        found, url = [], f"{self.url}statements"
        params = {"limit": 500, **params}
        while url:
            response = requests.get(
                url, params=params, auth=(user, self.users[user]), headers=XAPI_HEADERS, timeout=10
            )
            response.raise_for_status()
            body = response.json()
            if "statements" not in body:  # one statement asked by id
                return [body]
            found += body["statements"]
            more = body.get("more")
            url, params = (f"http://127.0.0.1:{self.port}{more}", {}) if more else (None, None)
        return found
