"""`pressroom serve` starts one distribution worker beside the site on the embedded default."""

from __future__ import annotations

import functools
import os
import subprocess
import sys

from django.conf import settings

from pressroom.utils import lifeline


class WorkerCompanion:
    def __init__(self) -> None:
        # Its own process: granian's workers are processes too, and a crash of one side must
        # not take down the other. It inherits the environment, hence the same settings, and
        # stops when `serve` dies, even by kill -9 (pressroom.utils.lifeline; `serve` has
        # started no thread yet, so preexec_fn is safe here).
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pressroom", "worker"],
            preexec_fn=functools.partial(lifeline.die_with, os.getpid()),
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def worker_beside_the_site() -> list[WorkerCompanion]:
    if settings.PRESSROOM_TASKS_BACKEND != "database":
        return []
    return [WorkerCompanion()]
