"""The extraction child: a fresh interpreter that reads one PDF or DOCX file under a time,
CPU and memory limit and answers in JSON (matching.intake.extraction starts it).

Never imports Django, which saves a third of its start-up (docs/reliability.md): only
this module, matching.intake.readers and matching.errors are on its import path.
"""

from __future__ import annotations

import json
import logging
import resource  # POSIX only: elsewhere run with EXTRACTION_SANDBOX=0
import sys
import warnings

from matching.errors import ExtractionError
from matching.intake.readers import Limits, extract_binary


def main() -> None:
    """The child's side of _extract_in_child: limits first, then read, answer in JSON."""
    request = json.loads(sys.argv[2])
    limits = Limits(**request["limits"])
    limit_resources(limits)
    # pdfminer logs a warning per damaged object: a hostile file would flood stderr.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    data = sys.stdin.buffer.read()
    try:
        text = extract_binary(request["kind"], request["name"], data, limits)
        answer: dict = {"text": text[: limits.raw_chars]}
    except ExtractionError as exc:
        answer = {"code": exc.code, "message": exc.message}
    except MemoryError:
        answer = {"code": "extraction_memory"}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


def limit_resources(limits: Limits) -> None:
    def cap(kind: int, value: int) -> None:
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, hard if kind == resource.RLIMIT_CPU else value))

    cap(resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024)
    # SIGXCPU at the soft limit: a busy loop ends even if the parent's timer is late.
    cap(resource.RLIMIT_CPU, limits.timeout_s)
    cap(resource.RLIMIT_CORE, 0)
    # The reader has no business writing files.
    cap(resource.RLIMIT_FSIZE, 0)
