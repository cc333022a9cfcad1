"""A throwaway TLS certificate for serving the emulator over ``https://`` / ``wss://`` in tests.

::

    cert, key = self_signed_certificate(tmp_path)
    # uvicorn: ssl_certfile=cert, ssl_keyfile=key; clients trust it with ca_file=cert

Needs the ``cryptography`` package (in zenoo-rpc's ``test`` extra).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from zenoo_rpc.errors import ConfigError

__all__ = ["self_signed_certificate"]


def self_signed_certificate(directory: Path, hostname: str = "localhost") -> tuple[Path, Path]:
    """Write a self-signed certificate for ``hostname``, valid one day either side of now.

    :param directory: where ``cert.pem`` and ``key.pem`` are written (created if missing).
    :param hostname: the certificate's common name and only subject alternative name.
    :return: the paths of the certificate and of its unencrypted PKCS#8 key.
    :raises ConfigError: ``cryptography`` is not installed.
    """
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(
            'self_signed_certificate needs cryptography: pip install "zenoo-rpc[test]"'
        ) from exc

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
