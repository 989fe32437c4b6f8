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
            try:
                with kernel_log.open("wb") as log:
                    client.execute(stderr=log, **({"env": env} if env is not None else {}))
            except BaseException as error:  # handed to the main thread below
                failed.append(error)

        worker = threading.Thread(target=run, name=f"notebook {path.name}", daemon=True)
        worker.start()
        try:
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
    nbclient shuts the kernel down as after any failed cell. A kernel still starting gets SIGTERM instead (a
    SIGINT then prints a 30-line traceback of its imports); one that has not ended within a few seconds, or at
    a second Ctrl-C, gets SIGKILL.
    """

    def __init__(self, client):
        self.client = client
        self.asked = False
        self.started = False  # has the kernel begun running cells?

    def _signal_kernel(self, signum) -> None:
        provisioner = getattr(getattr(self.client, "km", None), "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        if pid:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:  # the kernel has ended already
                pass

    def stop(self, worker, wait: float = 10.0) -> None:
        """Stop the notebook running in the thread ``worker``: no further cell, the kernel ended."""
        import signal

        self.asked = True
        self._signal_kernel(signal.SIGINT if self.started else signal.SIGTERM)
        try:
            worker.join(wait)
        except KeyboardInterrupt:  # a second Ctrl-C: no more waiting
            pass
        if worker.is_alive():
            self._signal_kernel(signal.SIGKILL)
            # nbclient's cleanup in the worker must end before this process does: its exit hook runs the same
            # cleanup, and the two at once printed a traceback after "kliping: interrupted" (one CI run in about
            # ten, under load, when the kernel took over 10 s to end).
            try:
                worker.join(wait)
            except KeyboardInterrupt:
                pass

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
