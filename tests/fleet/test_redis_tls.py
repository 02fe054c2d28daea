"""The fleet's Redis over TLS (rediss://, the server's certificate checked against
GATEWAY_REDIS_CA_FILE) with AUTH from GATEWAY_REDIS_PASSWORD_FILE, against a real
redis-server serving TLS only."""

from __future__ import annotations

import datetime
import ipaddress
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from adapters.locks import HostLocks
from gateway.config import load_settings
from gateway.fleet import open_fleet
from gateway.fleet.shared import SharedRedis
from tests.redis_server import PASSWORD, RedisServer

pytestmark = pytest.mark.anyio


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    issuer_name, signer = issuer or (name, key)
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )
    if issuer is None:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=0), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return builder.sign(signer, hashes.SHA256())


def _write_pem(path: Path, certificate: x509.Certificate) -> Path:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RedisServer, Path, Path]]:
    """(a TLS-only redis-server, its CA file, another CA's file)."""
    directory = tmp_path_factory.mktemp("tls")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("test CA", ca_key, None)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate("127.0.0.1", server_key, (ca.subject, ca_key))
    key_file = directory / "server.key"
    key_file.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    stranger_key = ec.generate_private_key(ec.SECP256R1())
    stranger = _write_pem(directory / "stranger.pem", _certificate("other CA", stranger_key, None))
    redis = RedisServer(directory, tls=(_write_pem(directory / "server.pem", server), key_file))
    redis.start()
    try:
        yield redis, _write_pem(directory / "ca.pem", ca), stranger
    finally:
        redis.stop()


def _shared(tls_redis: RedisServer, ca_file: Path, tmp_path: Path) -> SharedRedis:
    password_file = tmp_path / "redis-password"
    password_file.write_text(PASSWORD + "\n")
    settings = load_settings(
        {
            "GATEWAY_REDIS_URL": tls_redis.url,
            "GATEWAY_REDIS_PASSWORD_FILE": str(password_file),
            "GATEWAY_REDIS_CA_FILE": str(ca_file),
        }
    )
    fleet = open_fleet(settings, HostLocks(tmp_path / "locks"))
    assert fleet.shared is not None
    return fleet.shared


async def test_tls_with_the_password_from_a_file(
    tls_redis: tuple[RedisServer, Path, Path], tmp_path: Path
) -> None:
    server, ca, _ = tls_redis
    shared = _shared(server, ca, tmp_path)
    assert server.url.startswith("rediss://")
    assert await shared.ping()
    await shared.client.set(shared.key("probe"), "1", px=1000)
    assert await shared.client.get(shared.key("probe")) == b"1"
    await shared.aclose()


async def test_a_certificate_of_another_ca_is_refused_and_falls_back(
    tls_redis: tuple[RedisServer, Path, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server, _, stranger = tls_redis
    shared = _shared(server, stranger, tmp_path)
    assert not await shared.ping()

    async def local() -> str:
        return "in-process"

    async def remote(client: object) -> str:
        await shared.client.ping()
        return "redis"

    with caplog.at_level(logging.WARNING, logger="gateway.fleet"):
        assert await shared.call("probe", remote, local) == "in-process"
    assert "redis unavailable" in caplog.text
    await shared.aclose()
