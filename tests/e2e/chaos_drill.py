"""A chaos drill of the four services (evidence, coaching, issuer, verifier) as processes, shared by the chaos tests
(tests/e2e/test_chaos.py embedded, tests/integration/test_chaos_real_engines.py on Kafka + FerretDB + S3) and the
large run in bench/chaos.

Staff members are prepared through the API (recipient, enrolment in a Rookie badge, its steps, the coach's sign-off)
while the HR system pushes their events (`staff.joined`, the mobility or guest that the badge's HR rule recognises,
`role.changed`), each one to three times, some copies at once, some through the batch endpoint. Meanwhile a random
service is SIGKILLed (its whole process group) every few seconds and started again after a random pause, and the
caller's backend faults (a broker restart, a database restart) run once each in the middle. Clients behave as real
ones do: a 502/503/504 or a dropped connection is retried with backoff (honouring Retry-After), a repeated call that
finds its effect already made (409 already enrolled, step already completed) counts as done; any other answer is
recorded and fails the drill.

When the staff are done the faults stop, every service is started, and the drill waits for quiescence: every
person's credential issued, every ladder and directory entry right, and no consumer group lagging. The result counts
kills, time to quiescence, credentials lost and duplicated, pushes not reflected and dead letters; every random choice
comes from one seeded generator, so `seed` reproduces a run's plan (the machine's timing still varies).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
from make_run import answers, free_port, user_environment

from rexvet_cli import platform
from rexvet_coaching.consumers.handlers import CONSUMED_TOPICS as COACHING_TOPICS
from rexvet_coaching.settings import load_coaching_settings
from rexvet_common import supervision
from rexvet_common.events.topics import dead_letter_topic
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring.backends import build_event_bus
from rexvet_issuer.consumers.handlers import CONSUMED_TOPICS as ISSUER_TOPICS
from rexvet_issuer.settings import load_issuer_settings
from rexvet_issuer.token_service.admin import mint_dev_token
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_verifier.consumers.handlers import CONSUMED_TOPICS as VERIFIER_TOPICS
from rexvet_verifier.settings import load_verifier_settings

SERVICES = ("evidence", "coaching", "issuer", "verifier")
# The consumer groups (their settings name the group) and what each reads: where dead letters would be.
CONSUMERS = (
    (load_coaching_settings, COACHING_TOPICS),
    (load_issuer_settings, ISSUER_TOPICS),
    (load_verifier_settings, VERIFIER_TOPICS),
)
TENANT = "chaos"
COACH = "coach-chaos"
RETRIED_STATUSES = frozenset({502, 503, 504})
# Per direction: the Rookie badge and an HR event its rule recognises (rexvet-framework-v1.yaml).
QUALIFYING = {
    "abroad": ("mobility.completed", {"duration_days": 10, "host": "Tallinn VET school"}),
    "home": ("guest.hosted", {"visitors": 2, "from": "Estonia"}),
}
Fault = Callable[[], None]  # a blocking backend fault: stop a server and start it again


@dataclass(frozen=True)
class DrillPlan:
    staff: int
    seed: int
    window_seconds: float = 60.0  # staff start at random within it, so events flow through the faults
    kill_every: tuple[float, float] = (2.0, 5.0)  # seconds between two kills
    down_for: tuple[float, float] = (0.2, 3.0)  # how long a killed service stays down
    concurrency: int = 6  # staff members being prepared at once
    quiescence_seconds: float = 240.0  # a guard against hanging only, never a figure the drill asserts


@dataclass
class Tally:
    kills: Counter[str] = field(default_factory=Counter)
    faults: list[tuple[str, float]] = field(default_factory=list)  # (name, seconds it took)
    requests: int = 0
    retries: Counter[str] = field(default_factory=Counter)  # why a call was repeated: status or error name
    pushes_accepted: int = 0  # 201
    pushes_duplicate: int = 0  # 200: the same HR id again
    unexpected: list[str] = field(default_factory=list)  # answers no real client could go on from


@dataclass
class DrillResult:
    plan: DrillPlan
    tally: Tally
    chaos_seconds: float
    quiescence_seconds: float | None  # from the last fault to everything settled; None when it never settled
    lost: list[str]  # staff members without their credential
    duplicated: list[str]  # staff members with more than one credential
    wrong_ladder: list[str]
    unreflected: list[str]  # accepted pushes whose effect is missing
    dead_letters: dict[str, int]
    verified: int

    def report(self) -> dict[str, Any]:
        return {
            "seed": self.plan.seed,
            "staff": self.plan.staff,
            "kills": sum(self.tally.kills.values()),
            "kills_by_service": dict(sorted(self.tally.kills.items())),
            "faults": [{"fault": name, "seconds": round(seconds, 1)} for name, seconds in self.tally.faults],
            "chaos_seconds": round(self.chaos_seconds, 1),
            "quiescence_seconds": None if self.quiescence_seconds is None else round(self.quiescence_seconds, 1),
            "requests": self.tally.requests,
            "retries": dict(sorted(self.tally.retries.items())),
            "pushes_accepted": self.tally.pushes_accepted,
            "pushes_duplicate": self.tally.pushes_duplicate,
            "lost": len(self.lost),
            "duplicated": len(self.duplicated),
            "wrong_ladder": len(self.wrong_ladder),
            "unreflected": len(self.unreflected),
            "dead_letters": sum(self.dead_letters.values()),
            "unexpected_answers": len(self.tally.unexpected),
            "verified": self.verified,
        }

    def problems(self) -> list[str]:
        """Everything that went wrong, for an assertion message; empty when the drill held."""
        found = [f"unexpected answer: {answer}" for answer in self.tally.unexpected[:20]]
        if self.quiescence_seconds is None:
            found.append(f"not quiescent within {self.plan.quiescence_seconds:g}s")
        found += [f"lost: {staff}" for staff in self.lost[:20]]
        found += [f"duplicated: {staff}" for staff in self.duplicated[:20]]
        found += [f"wrong ladder: {staff}" for staff in self.wrong_ladder[:20]]
        found += [f"push not reflected: {push}" for push in self.unreflected[:20]]
        found += [f"dead letters in {topic}: {count}" for topic, count in self.dead_letters.items() if count]
        if self.verified < min(self.plan.staff, VERIFIED_SAMPLE):
            found.append(f"only {self.verified} of the sampled credentials verified")
        return found


VERIFIED_SAMPLE = 5


class ServiceProcesses:
    """The four services on free ports, each started as `make run`'s runner starts it, killed and restarted at will."""

    def __init__(self, data_dir: Path, log_dir: Path, backend: Mapping[str, str]) -> None:
        env = user_environment()
        env.update({f"REXVET_{name.upper()}_PORT": str(free_port()) for name in SERVICES})
        env.update(
            {"REXVET_DATA_DIR": str(data_dir), "REXVET_LOG_FORMAT": "text", "REXVET_LOG_LEVEL": "WARNING", **backend}
        )
        with mock.patch.dict(os.environ, env, clear=True):
            self.env = platform.child_environment()  # the issuer's URL for tokens, loopback past any proxy
        log_dir.mkdir(parents=True, exist_ok=True)
        self.logs = {name: (log_dir / f"{name}.log").open("ab") for name in SERVICES}
        specs = {spec.name: spec for spec in platform.SERVICES}
        self.services = {
            name: supervision.SupervisedService(specs[name], self.env, output=self.logs[name]) for name in SERVICES
        }
        self.urls = {name: service.spec.url(self.env) for name, service in self.services.items()}

    def start(self, name: str) -> None:
        self.services[name].start()

    def kill(self, name: str) -> None:
        """SIGKILL to the service's whole process group, as the OOM killer or a lost node would."""
        service = self.services[name]
        if service.process is not None:
            service.reap()
            service.process = None

    def running(self, name: str) -> bool:
        return not self.services[name].has_exited()

    def healthy(self) -> bool:
        return all(answers(url + "/healthz") for url in self.urls.values())

    def stop(self) -> None:
        for service in self.services.values():
            service.terminate()
        deadline = time.monotonic() + supervision.STOP_GRACE_SECONDS
        for service in self.services.values():
            service.wait_stopped(deadline)
        for log in self.logs.values():
            log.close()

    def log_tail(self, characters: int = 3000) -> str:
        tails = []
        for name, log in self.logs.items():
            log.flush()
            text = Path(log.name).read_text(errors="replace")
            tails.append(f"--- {name} ---\n{text[-characters:]}")
        return "\n".join(tails)

    def settings_env(self) -> contextlib.AbstractContextManager[Any]:
        """os.environ as the services see it, while a settings class is loaded here in the test's process."""
        return mock.patch.dict(os.environ, self.env, clear=True)


@contextlib.contextmanager
def service_processes(data_dir: Path, log_dir: Path, backend: Mapping[str, str]) -> Iterator[ServiceProcesses]:
    services = ServiceProcesses(data_dir, log_dir, backend)
    try:
        for name in SERVICES:
            services.start(name)
        deadline = time.monotonic() + supervision.STARTUP_TIMEOUT_SECONDS * 2
        while not services.healthy():
            dead = [name for name in SERVICES if not services.running(name)]
            if dead or time.monotonic() > deadline:
                raise AssertionError(f"services did not start ({dead or 'timeout'}):\n{services.log_tail()}")
            time.sleep(0.25)
        yield services
    finally:
        services.stop()


class Tokens:
    """Development tokens minted with the issuer's own key, as `rexvet auth dev-token` mints them."""

    def __init__(self, services: ServiceProcesses) -> None:
        with services.settings_env():
            self.settings = load_issuer_settings()
        self.key = SigningKeyRing(self.settings.token_keys_path).ensure(allow_create=True)

    def headers(self, sub: str, roles: list[str], scopes: list[str]) -> dict[str, str]:
        token = mint_dev_token(
            self.settings, self.key, tenant=TENANT, sub=sub, roles=roles, scopes=scopes, ttl=4 * 3600
        )
        return {"Authorization": f"Bearer {token}"}


class Client:
    """HTTP as a real client does it: a 502/503/504 or a dropped connection is tried again (after Retry-After, else
    with backoff); `done` names the 409 codes that mean a repeated call's effect was already made."""

    def __init__(self, http: httpx.AsyncClient, tally: Tally) -> None:
        self.http = http
        self.tally = tally

    async def call(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Any = None,
        *,
        done: frozenset[str] = frozenset(),
    ) -> httpx.Response | None:
        backoff = 0.2
        repeated = False
        while True:
            self.tally.requests += 1
            try:
                response = await self.http.request(method, url, headers=headers, json=body)
            except httpx.TransportError as exc:
                self.tally.retries[type(exc).__name__] += 1
            else:
                if response.status_code < 400:
                    return response
                if response.status_code == 409 and repeated and _problem_code(response) in done:
                    return None  # an earlier attempt made it before its answer was lost
                if response.status_code not in RETRIED_STATUSES:
                    self.tally.unexpected.append(f"{method} {url} -> {response.status_code} {response.text[:300]}")
                    return None
                self.tally.retries[str(response.status_code)] += 1
                with contextlib.suppress(ValueError):
                    backoff = max(backoff, float(response.headers.get("retry-after", "")))
            repeated = True
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)


def _problem_code(response: httpx.Response) -> str | None:
    """The problem's slug, the last segment of its `type` (https://rexvet.org/problems/step-already-completed)."""
    with contextlib.suppress(ValueError):
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("type"), str):
            return str(body["type"]).rstrip("/").rsplit("/", 1)[-1]
    return None


@dataclass(frozen=True)
class Person:
    staff_id: str
    direction: str
    pushes: tuple[dict[str, Any], ...]  # staff.joined, the qualifying event, role.changed
    seed: int  # of this person's own choices (when, how many copies, batch or not), whatever the others' timing

    @property
    def badge_id(self) -> str:
        return f"{self.direction}-rookie"

    @property
    def name(self) -> str:
        return f"Chaos Person {self.staff_id}"


def people(plan: DrillPlan, rng: random.Random) -> list[Person]:
    start = datetime.now(UTC) - timedelta(days=30)
    found = []
    for n in range(plan.staff):
        staff_id = f"staff-{n:04d}"
        direction = rng.choice(sorted(QUALIFYING))
        hr_type, fields = QUALIFYING[direction]

        def push(kind: str, hr_type: str, fields: dict[str, Any], day: int, staff_id: str = staff_id) -> dict[str, Any]:
            return {
                "id": f"HR-{staff_id}-{kind}",
                "type": hr_type,
                "staff_id": staff_id,
                "occurred_at": (start + timedelta(days=day)).isoformat(),
                "fields": fields,
            }

        joined = {"name": f"Chaos Person {staff_id}", "email": f"{staff_id}@chaos.example"}
        pushes = (
            push("joined", "staff.joined", joined, 0),
            push("activity", hr_type, fields, 10),
            push("role", "role.changed", {"roles": ["staff", "project-lead"]}, 20),
        )
        found.append(Person(staff_id, direction, pushes, rng.randrange(2**31)))
    return found


class Drill:
    def __init__(
        self,
        plan: DrillPlan,
        services: ServiceProcesses,
        faults: Mapping[str, Fault] | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        self.plan = plan
        self.services = services
        self.faults = dict(faults or {})
        self.say = say
        self.rng = random.Random(plan.seed)
        self.tally = Tally()
        self.tokens = Tokens(services)
        self.hr = self.tokens.headers("hris", ["hr-system"], ["hr:write"])
        self.coach = self.tokens.headers(COACH, ["coach"], ["coaching:read", "coaching:write"])
        self.admin = self.tokens.headers("admin-chaos", ["institution-admin"], ["coaching:read", "issuer:read"])
        self.people = people(plan, self.rng)
        self.sample_rng = random.Random(self.rng.randrange(2**31))
        self.monkey_rng = random.Random(self.rng.randrange(2**31))  # which service, when, for how long
        self.done = 0
        self.faults_over = asyncio.Event()
        self.last_fault = time.monotonic()

    async def run(self) -> DrillResult:
        urls = self.services.urls
        async with httpx.AsyncClient(trust_env=False, timeout=15.0) as http:
            client = Client(http, self.tally)
            started = time.monotonic()
            staff_done = asyncio.Event()
            monkey = asyncio.create_task(self._kill_at_random(staff_done))
            faults = asyncio.create_task(self._backend_faults(started))
            limit = asyncio.Semaphore(self.plan.concurrency)
            try:
                await asyncio.gather(*(self._prepare(client, limit, person, started) for person in self.people))
            finally:
                staff_done.set()
                await asyncio.gather(monkey, faults)
            chaos_seconds = time.monotonic() - started
            await self._all_running()
            self.say(f"chaos over after {chaos_seconds:.0f}s: {self.tally.kills.total()} kills; waiting for quiescence")
            settled = await self._quiescence(client)
            quiescence = settled - self.last_fault if settled is not None else None
            lost, duplicated, wrong, unreflected = await self._inspect(client)
            verified = await self._verify_sample(client, urls["verifier"])
        return DrillResult(
            plan=self.plan,
            tally=self.tally,
            chaos_seconds=chaos_seconds,
            quiescence_seconds=quiescence,
            lost=lost,
            duplicated=duplicated,
            wrong_ladder=wrong,
            unreflected=unreflected,
            dead_letters=await self._dead_letters(),
            verified=verified,
        )

    # --- the staff and the HR system ------------------------------------------------------------------------

    async def _prepare(self, client: Client, limit: asyncio.Semaphore, person: Person, t0: float) -> None:
        rng = random.Random(person.seed)
        await asyncio.sleep(max(0.0, t0 + rng.uniform(0, self.plan.window_seconds) - time.monotonic()))
        async with limit:
            staff = self.tokens.headers(person.staff_id, ["staff"], ["coaching:read", "coaching:write", "issuer:read"])
            # The HR pushes land at random moments of the pathway: before the enrolment, between steps, after.
            slots = rng.sample(range(5), 3)
            pushes = {slot: push for slot, push in zip(slots, person.pushes, strict=True)}
            batch = rng.random() < 0.25  # a quarter of the staff have their events sent in batches
            coaching = self.services.urls["coaching"]
            enrolment: dict[str, Any] | None = None
            for slot in range(5):
                if slot in pushes:
                    await self._push(client, rng, pushes[slot], batch)
                await asyncio.sleep(rng.uniform(0, 0.3))
                if slot == 0:
                    await client.call(
                        "PUT", coaching + "/v1/me/recipient", staff, {"email": f"{person.staff_id}@chaos.example"}
                    )
                elif slot == 1:
                    enrolment = await self._enrol(client, staff, person)
                elif enrolment is None:
                    continue  # not enrolled: the drill has recorded why, and fails
                elif slot in (2, 3):
                    step = [s for s in enrolment["steps"] if s["sign_off"] == "self"][slot - 2]
                    await client.call(
                        "POST",
                        f"{coaching}/v1/me/enrolments/{enrolment['id']}/steps/{step['id']}/complete",
                        staff,
                        done=frozenset({"step-already-completed"}),
                    )
                else:
                    step = next(s for s in enrolment["steps"] if s["sign_off"] == "coach")
                    await client.call(
                        "POST",
                        f"{coaching}/v1/staff/{person.staff_id}/enrolments/{enrolment['id']}/steps/{step['id']}"
                        "/sign-off",
                        self.coach,
                        done=frozenset({"step-already-completed"}),
                    )
        self.done += 1

    async def _enrol(self, client: Client, staff: dict[str, str], person: Person) -> dict[str, Any] | None:
        coaching = self.services.urls["coaching"]
        body = {"badge_id": person.badge_id, "coach_id": COACH}
        made = await client.call(
            "POST", coaching + "/v1/me/enrolments", staff, body, done=frozenset({"already-enrolled"})
        )
        if made is not None:
            enrolment: dict[str, Any] = made.json()
            return enrolment
        # Enrolled by an attempt whose answer was lost: the enrolment is the one this person has for the badge.
        listed = await client.call("GET", coaching + "/v1/me/enrolments", staff)
        mine = [e for e in listed.json() if e["badge_id"] == person.badge_id] if listed is not None else []
        if not mine:
            self.tally.unexpected.append(f"{person.staff_id}: no enrolment after enrolling")
        return mine[0] if mine else None

    async def _push(self, client: Client, rng: random.Random, push: dict[str, Any], batch: bool) -> None:
        """One HR event sent one to three times: again later, or two copies at once, or in a batch with a copy."""
        evidence = self.services.urls["evidence"]
        copies = rng.randint(1, 3)
        together = rng.random() < 0.5
        if batch:
            items = [push] * copies
            answered = await client.call("POST", evidence + "/v1/hr/events:batch", self.hr, {"events": items})
            if answered is not None:
                for item in answered.json()["results"]:
                    self._count_push(item["status"], f"batch item {item}")
            return
        sends = [client.call("POST", evidence + "/v1/hr/events", self.hr, push) for _ in range(copies)]
        answers_ = await asyncio.gather(*sends) if together else [await send for send in sends]
        for answered in answers_:
            if answered is not None:
                self._count_push(answered.status_code, answered.text[:200])

    def _count_push(self, status: int, what: str) -> None:
        if status == 201:
            self.tally.pushes_accepted += 1
        elif status == 200:
            self.tally.pushes_duplicate += 1
        else:
            self.tally.unexpected.append(f"HR push answered {status}: {what}")

    # --- the faults -------------------------------------------------------------------------------------------

    async def _kill_at_random(self, staff_done: asyncio.Event) -> None:
        rng = self.monkey_rng
        while not staff_done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(staff_done.wait(), timeout=rng.uniform(*self.plan.kill_every))
            if staff_done.is_set():
                return
            name = rng.choice(SERVICES)
            await asyncio.to_thread(self.services.kill, name)
            self.tally.kills[name] += 1
            self.last_fault = time.monotonic()
            await asyncio.sleep(rng.uniform(*self.plan.down_for))
            await asyncio.to_thread(self.services.start, name)

    async def _backend_faults(self, started: float) -> None:
        """Each fault once, spread over the window in which staff start: events flow before, during and after it."""
        for n, (name, fault) in enumerate(sorted(self.faults.items()), start=1):
            at = started + self.plan.window_seconds * n / (len(self.faults) + 1)
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            self.say(f"{name} ({self.done} of {self.plan.staff} staff done)")
            began = time.monotonic()
            await asyncio.to_thread(fault)
            self.tally.faults.append((name, time.monotonic() - began))
            self.last_fault = time.monotonic()

    async def _all_running(self) -> None:
        for name in SERVICES:
            if not self.services.running(name):
                await asyncio.to_thread(self.services.start, name)
        deadline = time.monotonic() + supervision.STARTUP_TIMEOUT_SECONDS
        while not await asyncio.to_thread(self.services.healthy):
            if time.monotonic() > deadline:
                raise AssertionError(f"services not healthy after the chaos:\n{self.services.log_tail()}")
            await asyncio.sleep(0.25)

    # --- the outcome ------------------------------------------------------------------------------------------

    async def _credentials(self, client: Client) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            url = self.services.urls["issuer"] + "/v1/credentials?limit=200" + (f"&cursor={cursor}" if cursor else "")
            page = await client.call("GET", url, self.admin)
            if page is None:
                return found
            body = page.json()
            found += body["items"]
            cursor = body.get("next_cursor")
            if not cursor:
                return found

    async def _quiescence(self, client: Client) -> float | None:
        """When every credential is there and no group lags; None if that did not happen within the guard."""
        deadline = time.monotonic() + self.plan.quiescence_seconds
        bus = self._bus()
        try:
            while time.monotonic() < deadline:
                issued = {item["staff_id"] for item in await self._credentials(client)}
                if issued >= {p.staff_id for p in self.people} and not await self._lagging(bus):
                    lost, _, wrong, unreflected = await self._inspect(client)
                    if not (lost or wrong or unreflected):
                        return time.monotonic()
                await asyncio.sleep(2.0)
            return None
        finally:
            await bus.close()

    def _bus(self) -> EventBus:
        with self.services.settings_env():
            return build_event_bus(load_coaching_settings())

    async def _lagging(self, bus: EventBus) -> dict[str, int]:
        lagging: dict[str, int] = {}
        for load, _ in CONSUMERS:
            with self.services.settings_env():
                group = load().consumer_group
            lagging.update({f"{group}:{t}": n for t, n in (await bus.consumer_lag(group)).items() if n})
        return lagging

    async def _inspect(self, client: Client) -> tuple[list[str], list[str], list[str], list[str]]:
        """Who lacks a credential, who has more than one, whose ladder is wrong, which accepted push left no trace."""
        credentials = await self._credentials(client)
        per_staff: dict[str, list[dict[str, Any]]] = {}
        for item in credentials:
            per_staff.setdefault(item["staff_id"], []).append(item)
        lost, duplicated, wrong, unreflected = [], [], [], []
        coaching = self.services.urls["coaching"]
        for person in self.people:
            held = per_staff.get(person.staff_id, [])
            if not held:
                lost.append(person.staff_id)
            elif len(held) > 1:
                duplicated.append(f"{person.staff_id}: {[item['badge_id'] for item in held]}")
            elif held[0]["badge_id"] != person.badge_id or len(held[0]["credential"].get("evidence", [])) != 1:
                # one evidence: the recognised HR event, however many times it was pushed
                evidence = held[0]["credential"].get("evidence")
                wrong.append(f"{person.staff_id}: credential {held[0]['badge_id']}, evidence {evidence}")
            ladder = await client.call("GET", f"{coaching}/v1/staff/{person.staff_id}/ladder", self.admin)
            levels = (
                {d["direction"]["id"]: (d.get("level_held") or {}).get("id") for d in ladder.json()["directions"]}
                if ladder is not None
                else {}
            )
            expected = {direction: ("rookie" if direction == person.direction else None) for direction in QUALIFYING}
            if levels != expected:
                wrong.append(f"{person.staff_id}: ladder {levels}, expected {expected}")
            entry = await client.call("GET", f"{coaching}/v1/people/{person.staff_id}", self.admin)
            shown = entry.json() if entry is not None else {}
            if shown.get("display_name") != person.name:
                unreflected.append(f"{person.pushes[0]['id']}: directory shows {shown}")
            if "project-lead" not in shown.get("roles", []):
                unreflected.append(f"{person.pushes[2]['id']}: directory shows {shown}")
            if held and not held[0]["credential"].get("evidence"):
                unreflected.append(f"{person.pushes[1]['id']}: not the credential's evidence")
        return lost, duplicated, wrong, unreflected

    async def _verify_sample(self, client: Client, verifier: str) -> int:
        credentials = await self._credentials(client)
        sample = self.sample_rng.sample(credentials, min(VERIFIED_SAMPLE, len(credentials)))
        verified = 0
        for item in sample:
            report = await client.call("POST", verifier + "/v1/verify", {}, item["credential"])
            if report is not None and report.json()["outcome"] == "verified":
                verified += 1
            elif report is not None:
                self.tally.unexpected.append(f"verification of {item['staff_id']}'s badge: {report.json()}")
        return verified

    async def _dead_letters(self) -> dict[str, int]:
        """Events in every group's dead-letter topics: a reader group that never consumed lags by all of them."""
        bus = self._bus()
        reader = f"chaos-dead-letter-count-{self.plan.seed}-{time.time_ns()}"
        topics = []
        for load, consumed in CONSUMERS:
            with self.services.settings_env():
                group = load().consumer_group
            topics += [dead_letter_topic(topic, group) for topic in consumed]

        async def nothing(event: Any) -> None:
            return None

        try:
            bus.subscribe(topics, reader, nothing)
            return await bus.consumer_lag(reader)
        finally:
            await bus.close()


async def run_drill(
    plan: DrillPlan,
    services: ServiceProcesses,
    faults: Mapping[str, Fault] | None = None,
    say: Callable[[str], None] = print,
) -> DrillResult:
    say(f"chaos drill: seed {plan.seed} (reproduce with --seed={plan.seed}), {plan.staff} staff")
    return await Drill(plan, services, faults, say).run()


def seed_from(value: str | None) -> int:
    """The seed given (an option, REXVET_CHAOS_SEED), else a fresh one to print."""
    return int(value) if value else random.SystemRandom().randrange(1, 2**31)
