"""Download a Kerncijfers table through the real ``cbsodata`` client.

``cbsodata`` keeps its options in a module-global object and reads proxy
settings from the environment once, at import time, without honouring
``NO_PROXY``.  For a catalogue on this machine (127.0.0.1, localhost) the
fetch therefore passes ``proxies`` of None on every request and plain HTTP,
and it restores the client's options afterwards.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import cbsodata
import requests

from wijkboekhouding.importers.cbs.errors import (
    BadOption,
    CbsBadAnswer,
    CbsTableNotFound,
    CbsUnavailable,
    NotKerncijfers,
)
from wijkboekhouding.importers.cbs.table import KERNCIJFERS, filter_for_gemeente

log = logging.getLogger(__name__)

DEFAULT_HOST = "opendata.cbs.nl"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class Catalog:
    """Where to download from: a host with optional port, and the scheme."""

    host: str
    use_https: bool

    @property
    def is_local(self) -> bool:
        """Whether the catalogue runs on this machine (never through a proxy)."""
        return _is_local(self.host)

    @classmethod
    def parse(cls, url: str | None) -> Catalog:
        """Read ``HOST[:PORT]`` or ``http(s)://HOST[:PORT]``.

        A local host without a scheme is plain HTTP; any other host HTTPS.

        Raises:
          BadOption: the value has a path or is empty.
        """
        text = (url or DEFAULT_HOST).strip()
        scheme = None
        if "://" in text:
            scheme, text = text.split("://", 1)
        text = text.rstrip("/")
        if not text or "/" in text or scheme not in (None, "http", "https"):
            raise BadOption(
                "--catalog-url", url or "", "give HOST[:PORT], e.g. 127.0.0.1:8765"
            )
        use_https = scheme == "https" if scheme else not _is_local(text)
        return cls(text, use_https)


def _is_local(host: str) -> bool:
    return host in LOCAL_HOSTS or host.rsplit(":", 1)[0] in LOCAL_HOSTS


def download(
    table_id: str, gemeente: str, catalog: Catalog, timeout: float
) -> dict[str, Any]:
    """The parts of a table for one gemeente, as ``cbsodata.download_data`` gives.

    The table's TableInfos is read first, so that a table of another kind is
    refused before its data is downloaded.

    Raises:
      CbsTableNotFound, CbsUnavailable, CbsBadAnswer, NotKerncijfers.
    """
    options: dict[str, Any] = {"timeout": timeout}
    if catalog.is_local:
        options["proxies"] = {"http": None, "https": None}
    saved_https = cbsodata.options.use_https
    cbsodata.options.use_https = catalog.use_https
    try:
        info = cbsodata.get_info(table_id, catalog_url=catalog.host, **options)
        title = str((info or {}).get("Title") or "").strip()
        if not title.lower().startswith(KERNCIJFERS):
            raise NotKerncijfers(table_id, title or "a table without a title")
        log.info("downloading %s (%s) for %s", table_id, title, gemeente)
        parts: dict[str, Any] = cbsodata.download_data(
            table_id,
            filters=filter_for_gemeente(gemeente),
            catalog_url=catalog.host,
            **options,
        )
        return parts
    except requests.HTTPError as exc:
        raise _http_failure(exc, table_id, catalog.host) from None
    except requests.Timeout:
        raise CbsUnavailable(
            table_id, catalog.host, f"no answer within {timeout:g} s"
        ) from None
    except requests.ConnectionError as exc:
        proxy = isinstance(exc, requests.exceptions.ProxyError)
        reason = "the proxy refused" if proxy else "cannot connect"
        raise CbsUnavailable(table_id, catalog.host, reason) from None
    except json.JSONDecodeError as exc:
        raise CbsBadAnswer(
            table_id, catalog.host, f"malformed JSON: {exc.msg} at character {exc.pos}"
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CbsBadAnswer(
            table_id, catalog.host, f"{type(exc).__name__}: {exc}"
        ) from None
    finally:
        cbsodata.options.use_https = saved_https


def _http_failure(exc: requests.HTTPError, table_id: str, host: str) -> Exception:
    cause = exc.__cause__ if isinstance(exc.__cause__, requests.HTTPError) else exc
    response = cause.response
    status = response.status_code if response is not None else None
    if status == 404:
        return CbsTableNotFound(table_id, host)
    return CbsUnavailable(table_id, host, f"HTTP {status or 'error'}")
