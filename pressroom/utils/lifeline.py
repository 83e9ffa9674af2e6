"""Child processes that stop when the process that started them dies, however it dies.

`pressroom serve` runs granian's web workers and a task worker as its children. When it stops
normally it stops them (granian's shutdown, `WorkerCompanion.stop`). Killed outright (`kill
-9`, the out-of-memory killer) it can do nothing, and its children lived on as orphans: the web
workers still held the listening socket, so a new `pressroom serve` could not start on the port.

Linux sends a process a signal of its choice when its parent dies, if it asked for one
(prctl PR_SET_PDEATHSIG). The children here ask for SIGTERM, which each handles as a clean stop
(granian's workers stop accepting and finish their requests; the task worker hands back its
claims). Two notes from prctl(2): the signal comes when the *thread* that forked the child
ends (granian forks its workers, and `serve` starts the task worker, from the main thread),
and a parent that died before the child asked is noticed by the child checking its parent.

Elsewhere than on Linux nothing is asked; a supervisor (systemd stops the whole group) is then
what stops the children.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # linux/prctl.h

try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
except (AttributeError, OSError):
    _prctl = None

# The process whose forked children die with it (see children_die_with_this_process).
_parent_pid: int | None = None
_hook_registered = False


def die_with(parent_pid: int, signum: int = signal.SIGTERM) -> None:
    """In a child: receive `signum` when its parent, `parent_pid`, dies; at once if it already
    has. Safe between fork and exec (subprocess's preexec_fn)."""
    if _prctl is None:
        return
    if _prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
        return
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signum)


def _after_fork_in_child() -> None:
    global _parent_pid
    # Only the direct children: a worker that forks in turn does not pass this on.
    parent_pid, _parent_pid = _parent_pid, None
    if parent_pid is not None:
        die_with(parent_pid)


def children_die_with_this_process() -> None:
    """Every child this process forks from now on (multiprocessing's, as granian's workers
    are) dies with it. Processes started by subprocess run no fork hooks: give those
    `preexec_fn=functools.partial(die_with, os.getpid())`."""
    global _parent_pid, _hook_registered
    if not _hook_registered:
        os.register_at_fork(after_in_child=_after_fork_in_child)
        _hook_registered = True
    _parent_pid = os.getpid()
