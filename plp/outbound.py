"""Outbound HTTP to addresses a school admin typed: screened against internal addresses (SSRF).

A school admin types the address of their learning record store (xAPI), their identity provider's issuer
or SAML metadata (single sign-on), their LMS's token and key-set URLs (LTI). The server then connects there,
from inside the deployment's network: without a screen, an admin of one school could make PLP read the
cloud's metadata service (``169.254.169.254``), the database, Redis or MinIO, and show what answered in an
error message.

So, unless ``settings.ALLOW_PRIVATE_OUTBOUND`` (``PLP_ALLOW_PRIVATE_OUTBOUND``; on outside production, where a
developer's LRS or IdP runs on the same machine, and in the tests, whose LRS, IdPs and LMS run on loopback):

* :func:`screen_url` refuses, as a message for the form, a URL that is not http(s) or whose host name
  resolves to any address that is not public (loopback, private ranges, link-local, carrier-grade NAT,
  unique-local IPv6, multicast, reserved, unspecified; an IPv4 address inside IPv6 counts as itself);
* :func:`session` is a ``requests`` session whose connections resolve the host themselves, screen every
  address it resolves to, and connect to the screened address (the TLS certificate is still checked
  against the name): a redirect to an internal address, or a name that resolved to a public address when
  the form was saved and to an internal one now (DNS rebinding), is refused at connection time.

:func:`read_limited` bounds what a response may hold (a discovery document or metadata of gigabytes).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundRefused(requests.exceptions.ConnectionError):
    """An outbound request to an address PLP does not connect to (a ``requests`` connection error, so code
    that handles an unreachable server handles this too; ``str()`` says why)."""


class Unresolvable(OutboundRefused):
    """The host name does not resolve (now): nothing to connect to."""


def private_outbound_allowed() -> bool:
    return bool(getattr(settings, "ALLOW_PRIVATE_OUTBOUND", False))


def is_public_address(address: str) -> bool:
    """A globally routable unicast address; an IPv4 address carried in IPv6 (mapped, NAT64) counts as
    itself."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolvable(f"{host} could not be resolved ({error}).") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def screened_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, all of them public, or :class:`OutboundRefused` naming the first
    that is not (a name with one internal address among public ones is refused: which one a connection
    would get is the resolver's choice)."""
    addresses = _resolve(host, port)
    if private_outbound_allowed():
        return addresses
    for address in addresses:
        if not is_public_address(address):
            raise OutboundRefused(
                f"{host} is an internal address ({address}): PLP connects only to addresses on the public "
                "internet."
            )
    return addresses


def screen_url(url: str) -> str:
    """``url`` if PLP may connect to it, else :class:`OutboundRefused` with the reason (for a form's field
    error)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundRefused("Give an http:// or https:// address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise OutboundRefused("The address has an invalid port.") from None
    if not private_outbound_allowed():
        screened_addresses(parts.hostname, port)
    return url


def field_screened(url: str) -> str:
    """For a form's ``clean_<field>``: ``url``, or a field error saying why PLP will not connect there. A
    name that does not resolve now is left to the connection (which screens it again then)."""
    if url:
        try:
            screen_url(url)
        except Unresolvable:
            pass
        except OutboundRefused as error:
            raise ValidationError(str(error)) from None
    return url


class _ScreenedConnectionMixin:
    """Resolve, screen, and connect to the screened address (the name stays the TLS server name and the
    Host header)."""

    def _new_conn(self):
        name = self._dns_host
        address = screened_addresses(name, self.port)[0]
        self._dns_host = address
        try:
            return super()._new_conn()
        finally:
            self._dns_host = name


class _ScreenedHTTPConnection(_ScreenedConnectionMixin, HTTPConnection):
    pass


class _ScreenedHTTPSConnection(_ScreenedConnectionMixin, HTTPSConnection):
    pass


class _ScreenedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _ScreenedHTTPConnection


class _ScreenedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _ScreenedHTTPSConnection


class ScreeningAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _ScreenedHTTPConnectionPool,
            "https": _ScreenedHTTPSConnectionPool,
        }

    def send(self, request, *args, **kwargs):
        screen_url(request.url)  # also when an environment proxy carries the request
        try:
            return super().send(request, *args, **kwargs)
        except requests.exceptions.ConnectionError as error:
            refusal = _refusal_in(error)
            if refusal is not None:
                raise refusal from None
            raise


def _refusal_in(error: BaseException) -> OutboundRefused | None:
    """The OutboundRefused a connection raised, under urllib3's and requests' wrappers (their ``args`` and
    ``reason``)."""
    stack, seen = [error], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OutboundRefused) and current is not error:
            return current
        stack += [arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException)]
        if isinstance(getattr(current, "reason", None), BaseException):
            stack.append(current.reason)
    return None


def session() -> requests.Session:
    """A ``requests`` session for addresses school admins typed: every connection screened."""
    screened = requests.Session()
    adapter = ScreeningAdapter()
    screened.mount("http://", adapter)
    screened.mount("https://", adapter)
    return screened


def read_limited(response: requests.Response, *, max_bytes: int, what: str) -> bytes:
    """The body of a streamed response (``stream=True``), refused past ``max_bytes``."""
    body = bytearray()
    for chunk in response.iter_content(chunk_size=65536):
        body += chunk
        if len(body) > max_bytes:
            response.close()
            raise OutboundRefused(f"The {what} is larger than {max_bytes // 1024} KB; PLP does not read it.")
    return bytes(body)
