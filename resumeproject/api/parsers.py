"""The API's JSON parser: DRF's, with a limit on nesting.

Python's json module recurses once per level, so a body of 100,000 brackets raised
RecursionError (a 500) before any serializer saw it. No request body of this API nests
more than a few levels (a list of examples of objects), so anything past MAX_JSON_DEPTH
is refused as a parse error, whether Python could still read it or not.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32
TOO_DEEP = f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects inside `value` go more than `limit` levels deep.

    A loop with its own stack, not recursion: the value may be as deep as Python allows.
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Raised by the C decoder as it enters a level: nothing half-built is left.
            raise ParseError(TOO_DEEP) from None
        if nested_deeper_than(data, MAX_JSON_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
