"""The one guarded fetcher: a `DocumentFetcher` for everything fetched on behalf of an untrusted document.

How it stays safe:
- Every TCP connection goes through `_GuardedBackend`, which resolves the host itself, refuses the connection
  when any resolved address is private, loopback, link-local, reserved or a metadata endpoint, and then
  connects to the validated IP (TLS still verifies the certificate for the host name). Checking at connect time,
  not before the request, means DNS rebinding between "check" and "use" cannot slip a private address in.
- Redirects are followed by hand, so each hop's scheme is checked too; each hop opens its own connection through
  the same backend, so each hop's addresses are checked as well.
- The body is read in chunks and abandoned past `max_bytes`; the whole fetch (all hops) runs under one deadline.
- Proxies from the environment are ignored (`trust_env=False`): a proxy would make the address check moot.
Every failure is a `FetchError` whose `code` names what happened (`fetch_refused_private_address`,
`fetch_too_large`, `fetch_timeout`, ...), so a verification report can say why a check could not run.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from rexvet_credentials.errors import FetchError
from rexvet_credentials.fetch_policy import FetchPolicy, IPAddress, address_refusal
from rexvet_credentials.ports import FetchedDocument

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """All addresses the operating system's resolver gives for `host` (IPv4 and IPv6)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        # An IPv6 link-local answer carries a zone ("fe80::1%eth0"); the zone does not change the verdict.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


async def resolve_allowed(host: str, port: int, policy: FetchPolicy, resolver: Resolver) -> list[IPAddress]:
    """The addresses of `host` if every one of them may be contacted; FetchError otherwise.

    All answers must pass, not just one: a name answering both a public and a private address would otherwise
    let the attacker choose which one the connection uses.
    """
    literal = _ip_literal(host)
    if literal is not None:
        addresses: Sequence[IPAddress] = [literal]
    else:
        try:
            addresses = await resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve host {host!r}: {exc}", code="fetch_dns_failed") from exc
        if not addresses:
            raise FetchError(f"host {host!r} has no address", code="fetch_dns_failed")
    for address in addresses:
        refusal = address_refusal(address, policy)
        if refusal is not None:
            code, reason = refusal
            raise FetchError(f"refusing to connect to {host!r}: {reason}", code=code)
    return list(addresses)


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that connects only to addresses the policy allows."""

    def __init__(self, policy: FetchPolicy, resolver: Resolver) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_allowed(host, port, self._policy, self._resolver)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None  # resolve_allowed never returns an empty list
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError("unix sockets are not reachable through the guarded fetcher", code="fetch_refused_scheme")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, policy: FetchPolicy, resolver: Resolver, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, trust_env=False, retries=0)
        # httpx does not take a network backend as an argument; its pool is rebuilt with ours (httpx is pinned).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, network_backend=_GuardedBackend(policy, resolver), retries=0
        )


class GuardedFetcher:
    """`DocumentFetcher` adapter. One instance can be shared; each fetch uses its own short-lived client so that
    it works from any event loop (the CLI runs one loop per command, services one for their lifetime)."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolver: Resolver = system_resolver,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._resolver = resolver
        self._ssl_context = ssl_context or ssl.create_default_context()

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        try:
            async with asyncio.timeout(self.policy.timeout_seconds):
                return await self._fetch(url, accept)
        except TimeoutError as exc:
            raise FetchError(
                f"fetching {url} took longer than {self.policy.timeout_seconds} s", code="fetch_timeout"
            ) from exc

    async def _fetch(self, url: str, accept: str) -> FetchedDocument:
        transport = _GuardedTransport(self.policy, self._resolver, self._ssl_context)
        timeout = httpx.Timeout(self.policy.timeout_seconds)
        headers = {"Accept": accept, "Accept-Encoding": "gzip, identity", "User-Agent": self.policy.user_agent}
        async with httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False, timeout=timeout, headers=headers
        ) as client:
            current = url
            for _hop in range(self.policy.max_redirects + 1):
                self._check_url(current, original=url)
                try:
                    async with client.stream("GET", current) as response:
                        if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                            current = urljoin(current, response.headers["location"])
                            continue
                        if response.status_code != 200:
                            raise FetchError(
                                f"{current} answered HTTP {response.status_code}", code="fetch_http_status"
                            )
                        content = await self._read_limited(response, current)
                        return FetchedDocument(
                            url=current, content=content, content_type=response.headers.get("content-type")
                        )
                except httpx.InvalidURL as exc:
                    raise FetchError(f"refusing {current}: {exc}", code="fetch_invalid_url") from exc
                except httpx.TimeoutException as exc:
                    raise FetchError(f"fetching {current} timed out", code="fetch_timeout") from exc
                except httpx.HTTPError as exc:
                    raise FetchError(f"fetching {current} failed: {exc}", code="fetch_connection_failed") from exc
            raise FetchError(
                f"{url} redirected more than {self.policy.max_redirects} times", code="fetch_too_many_redirects"
            )

    def _check_url(self, url: str, *, original: str) -> None:
        parts = urlsplit(url)
        via = "" if url == original else f" (redirected from {original})"
        if parts.scheme not in self.policy.allowed_schemes():
            allowed = " or ".join(sorted(self.policy.allowed_schemes()))
            raise FetchError(f"refusing {url}{via}: only {allowed} URLs are fetched", code="fetch_refused_scheme")
        if not parts.hostname:
            raise FetchError(f"refusing {url}{via}: no host", code="fetch_invalid_url")
        if parts.username is not None or parts.password is not None:
            raise FetchError(f"refusing {url}{via}: URLs with credentials are not fetched", code="fetch_invalid_url")

    async def _read_limited(self, response: httpx.Response, url: str) -> bytes:
        """The body, never holding more than `max_bytes` of it, compressed or not.

        The raw bytes are read and decompressed here with an output bound: letting httpx decode would inflate a
        small gzip bomb chunk into memory before any size check could run.
        """
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{url} announces {declared} bytes, more than {limit}", code="fetch_too_large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > limit:
                raise FetchError(f"{url} sent more than {limit} bytes", code="fetch_too_large")
            chunks.append(chunk)
        raw = b"".join(chunks)
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("", "identity"):
            return raw
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"{url} used content encoding {encoding!r}", code="fetch_unsupported_encoding")
        wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)
        try:
            body = decompressor.decompress(raw, limit + 1)
        except zlib.error as exc:
            raise FetchError(f"{url} sent a corrupt {encoding} body", code="fetch_bad_encoding") from exc
        if len(body) > limit or decompressor.unconsumed_tail:
            raise FetchError(f"{url} decompresses to more than {limit} bytes", code="fetch_too_large")
        return body
