"""Run a notebook top to bottom in a fresh kernel, as ``kliping report`` does for each numbered notebook.

The kernel talks to this process over IPC where the platform has Unix sockets (:func:`kernel_config`), its own
stderr is kept aside and shown only when the notebook fails, and Ctrl-C stops the notebook cleanly
(:class:`Interruption`): exit status 130 and one line from the command, no kernel left running.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def execute(path: Path, timeout: int = 3600, env: dict | None = None):
    """Run a notebook top to bottom in a fresh kernel, in its own folder; return it executed.

    ``env`` is the kernel's environment (default: this process's). Where the platform has Unix sockets, the
    kernel talks to this process over IPC (:func:`kernel_config`) rather than over TCP on localhost. Ctrl-C
    stops the notebook and raises :class:`KeyboardInterrupt` here (see :class:`Interruption`).
    """
    import threading

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="kliping-kernel-") as sockets:
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            config=kernel_config(Path(sockets)),
            resources={"metadata": {"path": str(path.parent)}},
        )
        interruption = Interruption(client)
        client.on_cell_start = interruption.stop_if_asked
        failed: list[BaseException] = []
        # The kernel's own stderr (C libraries, worker processes, its log) goes to a file, shown only when the
        # notebook fails: a kernel ended by Ctrl-C logs a ZMQ traceback that is no news to the user.
        kernel_log = Path(sockets) / "kernel-stderr.log"

        def run() -> None:
            ctrl_c_held(False)  # the kernel, started from this thread, inherits its signal mask
            try:
                with kernel_log.open("wb") as log:
                    client.execute(stderr=log, **({"env": env} if env is not None else {}))
            except BaseException as error:  # handed to the main thread below
                failed.append(error)

        worker = threading.Thread(target=run, name=f"notebook {path.name}", daemon=True)
        try:
            # A Ctrl-C inside start() or before the wait left the worker starting a kernel while this process
            # exited, and nbclient's exit hook cleaned up under it (a traceback after "kliping: interrupted",
            # one CI run of 2026-12-07): it is held until the thread runs and raised here, in the try.
            was = ctrl_c_held(True)
            try:
                worker.start()
            finally:
                ctrl_c_held(was)
            while worker.is_alive():
                worker.join(0.2)
        except KeyboardInterrupt:
            interruption.stop(worker)
            raise
        if failed:
            said = kernel_log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            if said:
                print(f"{path.name}: the kernel's last words:\n" + "\n".join(said[-15:]), file=sys.stderr)
            raise failed[0]
    return nb


def ctrl_c_held(hold: bool) -> bool:
    """Hold (``True``) or let through (``False``) Ctrl-C in this thread; return whether it was held before.

    A Ctrl-C pressed while held arrives when it is let through. Where the platform has no signal masks, nothing
    is held.

    Examples
    --------
    >>> was = ctrl_c_held(True)
    >>> ctrl_c_held(was) or not hasattr(__import__("signal"), "pthread_sigmask")
    True
    """
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return False
    before = signal.pthread_sigmask(signal.SIG_BLOCK if hold else signal.SIG_UNBLOCK, {signal.SIGINT})
    return signal.SIGINT in before


class Interrupted(Exception):
    """Raised in place of a notebook's next cell once Ctrl-C was pressed."""


class Interruption:
    """Ctrl-C while a notebook runs: end its kernel and run no more cells, in one line and exit status 130.

    jupyter_client starts the kernel in a session of its own, so the terminal's Ctrl-C reaches only this
    process. In the main thread nbclient answers it by shutting the kernel down under the running cell, and
    the report went on or ended in a traceback (seen with ``kill -INT`` to ``kliping report``'s process group:
    notebook 02 "done", the report written; or ``AssertionError`` from nbclient's cleanup). So the notebook runs
    in a worker thread, where nbclient sets no signal handler; Ctrl-C arrives in the main thread, which lets no
    further cell start and interrupts the running cell as Jupyter's stop button does (SIGINT to the kernel), so
    nbclient shuts the kernel down as after any failed cell. A kernel still starting is let start and stopped
    before its first cell (one killed while starting fails nbclient's start-up, whose exit hook then prints a
    traceback); one that has not ended within the wait, or at a second Ctrl-C, gets SIGKILL.
    """

    def __init__(self, client):
        self.client = client
        self.asked = False
        self.started = False  # has the kernel begun running cells?
        self.sent: set[tuple[int, int]] = set()  # (pid, signal) once each: a dead kernel's pid may be reused

    def _signal_kernel(self, signum) -> None:
        provisioner = getattr(getattr(self.client, "km", None), "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        if pid and (pid, signum) not in self.sent:
            self.sent.add((pid, signum))
            try:
                os.kill(pid, signum)
            except ProcessLookupError:  # the kernel has ended already
                pass

    def stop(self, worker, wait: float = 10.0) -> None:
        """Stop the notebook running in the thread ``worker``: no further cell, the kernel ended.

        Returns once the worker has ended (or after ``12 * wait`` seconds at most): nbclient's exit hook cleans up
        the same kernel, and run beside the worker's own cleanup it printed a traceback after "kliping:
        interrupted" (one CI run in about ten, under load) or hung in ZMQ's ``Context.term`` (seen under load).
        """
        import signal
        import time

        self.asked = True
        if self.started:
            self._signal_kernel(signal.SIGINT)
        # A kernel still starting is let start, up to nbclient's own start-up limit (60 s): one killed while it
        # starts fails nbclient's start-up, which leaves its exit hook registered (a traceback at exit). The first
        # cell's hook (stop_if_asked) stops the notebook instead.
        patience = wait if self.started else 6 * wait
        begun = time.monotonic()
        while worker.is_alive() and time.monotonic() - begun < 12 * wait:
            try:
                worker.join(1.0)
            except KeyboardInterrupt:  # a second Ctrl-C: no more patience
                patience = 0.0
            if worker.is_alive() and time.monotonic() - begun >= patience:
                # Again each second: the kernel's process may not have been launched at the first try.
                self._signal_kernel(signal.SIGKILL)
        if not worker.is_alive():
            # nbclient registers an exit hook that cleans up the client's kernel, and a start-up that failed
            # (a kernel that died while starting) leaves it registered over the dead kernel: at exit it raised
            # InvalidStateError or hung in ZMQ's Context.term (2 of ~40 runs under load, 2026-12-07). With the
            # worker ended there is nothing left to clean up: a fresh kernel manager makes the hook a no-op.
            self.client.kc = None
            self.client.km = self.client.create_kernel_manager()

    def stop_if_asked(self, **_) -> None:
        """nbclient's ``on_cell_start`` hook: no cell starts after Ctrl-C."""
        self.started = True
        if self.asked:
            raise Interrupted("interrupted")


def kernel_config(sockets: Path):
    """The kernel manager's settings: IPC transport, its sockets in the folder ``sockets``, where there is IPC.

    Over TCP, ipykernel logs "Kernel is running over TCP without encryption" to the report's log on every
    notebook, a warning a reader of the log cannot act on. Unix sockets in a private temporary folder are not
    reachable from the network, so the warning does not apply and ipykernel does not give it. The path is
    absolute because the kernel runs in the notebook's folder and this process elsewhere. Windows keeps TCP.

    Examples
    --------
    >>> settings = kernel_config(Path("/tmp/kliping-kernel-x"))
    >>> os.name != "posix" or (settings.KernelManager.transport, settings.KernelManager.ip)
    ('ipc', '/tmp/kliping-kernel-x/kernel')
    """
    from traitlets.config import Config

    settings = Config()
    if os.name == "posix":
        settings.KernelManager.transport = "ipc"
        settings.KernelManager.ip = str(Path(sockets).absolute() / "kernel")
    return settings
