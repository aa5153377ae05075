"""JSON as the database stores it, written the same way by the ORM and by the bulk paths.

orjson writes it about ten times faster than the standard library, which a bulk import feels on
every event it appends. Keys that are not text are written as text, as `json.dumps` did.
"""

from typing import Any

import orjson


def json_text(document: Any) -> str:
    """Compact UTF-8 JSON text of `document`."""
    return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS).decode()
