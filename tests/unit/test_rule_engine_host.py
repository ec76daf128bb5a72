"""durable-rules runs inside the caller's thread only: no dispatcher thread can take an answer."""

import subprocess
import sys
import time

from overload.rulebook import loader
from overload.rulebook.engine import Matcher


def test_the_rule_engine_starts_no_thread() -> None:
    script = (
        "import threading\n"
        "from overload.rulebook import loader\n"
        "matcher = loader.matcher('linfen-2020')\n"
        "assert matcher.matches({'rule': 'serious-conduct', 'conduct': 'obstruction'})\n"
        "print(threading.active_count())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "1"


def test_thousands_of_posts_over_seconds_are_all_answered() -> None:
    """The lost answers came from a timer thread that woke every 0.2 s: post for longer than
    that, every fact distinct (no memo), and every one must come back answered."""
    matcher = Matcher(loader.load("linfen-2020").ruleset_name)
    started, posted = time.monotonic(), 0
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # hand the interpreter to any other thread as often as it can
    try:
        while time.monotonic() - started < 1.5 or posted < 3000:
            fact = {"rule": "serious-conduct", "conduct": "obstruction", "n": posted}
            assert matcher.matches(fact)
            posted += 1
    finally:
        sys.setswitchinterval(interval)
    assert matcher.stats.posted == posted
    assert matcher.stats.matched + matcher.stats.unmatched == posted
