"""A hard time and depth budget around work on one contributed file.

The linear checks of :mod:`casebook.safety.budget` refuse the constructs known to
make Python-Markdown slow or crash; this module bounds the rest, known or not:
:func:`bounded` runs a block of work under

* a **time budget** in CPU seconds (so a loaded machine does not turn ordinary
  work into a failure): on the main thread a profiling interval timer
  (``ITIMER_PROF``, ``SIGPROF``) raises inside the work when the process has
  used the budget, also inside a regular-expression match (CPython's ``re``
  checks for signals while it backtracks); on any other thread (``mkdocs serve``
  rebuilds on one) a watcher thread reads the worker thread's own CPU clock and
  raises the same exception in it as soon as it runs Python code again;
* a **depth budget**: the recursion limit is set that many frames above the
  caller for the duration, so nesting ends in :class:`OverBudget`, not in a
  ``RecursionError`` that some library half-handles.

Either way the work ends with :class:`OverBudget` naming the budget, which callers
turn into a validation error naming the file. The budgets are data
(``data/render-budget.yaml``, read by :func:`casebook.safety.budget.limits`).
"""

from __future__ import annotations

import ctypes
import functools
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class OverBudget(Exception):
    """The work passed its budget: ``kind`` is ``"time"`` (seconds) or ``"depth"`` (frames)."""

    def __init__(self, kind: str, limit: float) -> None:
        super().__init__(f"over the {kind} budget ({limit})")
        self.kind = kind
        self.limit = limit


class _Timeout(BaseException):
    """Raised into the work when its time is up (a BaseException: no ``except
    Exception`` in a library swallows it)."""


_state = threading.local()
_REPEAT = 0.05  # seconds between raises once the budget is used


def _frames() -> int:
    frame, n = sys._getframe(1), 0
    while frame is not None:
        n += 1
        frame = frame.f_back
    return n


@contextmanager
def bounded(seconds: float, depth: int) -> Iterator[None]:
    """Run the ``with`` block within ``seconds`` and ``depth`` frames, or raise
    :class:`OverBudget`. Nested use keeps the outer budget (the inner one is not armed)."""
    if getattr(_state, "active", False):
        yield
        return
    _state.active = True
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_frames() + depth)
    disarm = _arm(seconds)
    try:
        try:
            yield
        finally:
            _disarm_for_sure(disarm)
    except _Timeout:
        raise OverBudget("time", seconds) from None
    except RecursionError:
        raise OverBudget("depth", depth) from None
    finally:
        sys.setrecursionlimit(old_limit)
        _state.active = False


def _disarm_for_sure(disarm: Callable[[], None]) -> None:
    """Disarm, even when the timer fires once more while we do (the timer repeats
    until disarmed, so a stray :class:`_Timeout` here only means: try again)."""
    while True:
        try:
            disarm()
            return
        except _Timeout:
            continue


def _arm(seconds: float) -> Callable[[], None]:
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _arm_signal(seconds)
    return _arm_thread(seconds)


def _arm_signal(seconds: float) -> Callable[[], None]:
    def expire(signum: int, frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGPROF, expire)
    # Repeats: a _Timeout raised where Python ignores exceptions (a weakref
    # callback, a __del__) is printed and dropped, so it is raised again shortly.
    signal.setitimer(signal.ITIMER_PROF, seconds, _REPEAT)

    def disarm() -> None:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)

    return disarm


def _arm_thread(seconds: float) -> Callable[[], None]:
    ident = threading.get_ident()
    target = ctypes.c_ulong(ident)
    try:
        clock = time.pthread_getcpuclockid(ident)
        used = functools.partial(time.clock_gettime, clock)
    except (AttributeError, OSError):  # no per-thread CPU clock here: wall time
        used = time.monotonic
    deadline = used() + seconds
    lock = threading.Lock()
    stop = threading.Event()

    def watch() -> None:
        # Raised again every _REPEAT seconds until disarmed, as with the signal.
        while not stop.wait(min(_REPEAT, seconds)):
            if used() >= deadline:
                with lock:
                    if not stop.is_set():
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            target, ctypes.py_object(_Timeout))

    watcher = threading.Thread(target=watch, daemon=True, name="casebook-watchdog")
    watcher.start()

    def disarm() -> None:
        with lock:
            stop.set()
            # Clear an exception raised into the thread but not delivered yet.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)

    return disarm
