"""ONNX Runtime inside per-worker bounds: one thread per run, a capped arena, a stop flag.

Every session of a worker allocates its tensors from one CPU arena registered on the
process's ONNX Runtime environment (`session.use_env_allocators`), capped at
`MODEL_ARENA_MAX_BYTES` and grown only by what a tensor needs (so it never doubles past
the cap). A run that needs more fails inside ONNX Runtime, before the memory is taken.
After each run the arena hands its free chunks back (`memory.enable_memory_arena_shrinkage`),
so one large run does not leave the worker at its peak. A run is stopped from another
thread by `RunOptions.terminate`, which ONNX Runtime checks between nodes and between
iterations of a loop.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any, Literal

StopReason = Literal["timeout", "cancelled", "memory"]
# How ONNX Runtime words an allocation it refused (its arena's cap, or the system's).
_ALLOCATION_FAILURES = ("Available memory of", "Failed to allocate memory", "bad_alloc")
_SILENT = 4  # ORT's "fatal only": failures come back as exceptions and are logged as events

_arena_lock = threading.Lock()
_arena_bytes: int | None = None


class RunStopped(Exception):
    """The run was stopped before it finished: its time ran out, its request went away,
    or it needed more than the arena holds."""

    def __init__(self, reason: StopReason) -> None:
        super().__init__(reason)
        self.reason: StopReason = reason


class RunFailed(Exception):
    """ONNX Runtime refused to run the graph on these inputs (any other failure)."""


def install_arena(max_bytes: int) -> int:
    """Register the process's capped CPU arena once; return the cap actually in force.

    The arena belongs to the process's ONNX Runtime environment, so the first cap wins;
    every app built in the same process shares it.
    """
    global _arena_bytes
    with _arena_lock:
        if _arena_bytes is None:
            ort = importlib.import_module("onnxruntime")
            info = ort.OrtMemoryInfo(
                "Cpu", ort.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, ort.OrtMemType.DEFAULT
            )
            # arena_extend_strategy 1 (kSameAsRequested): grow by the request, not by doubling.
            config = ort.OrtArenaCfg({"max_mem": max_bytes, "arena_extend_strategy": 1})
            ort.create_and_register_allocator(info, config)
            _arena_bytes = max_bytes
        return _arena_bytes


def create_session(data: bytes, arena_max_bytes: int) -> Any:
    """A CPU session with one intra-op and one inter-op thread, on the shared capped arena.

    One thread each: the admission gate bounds how many runs a worker has at once, so a
    worker's CPU use stays `INFERENCE_CONCURRENCY` cores.
    """
    install_arena(arena_max_bytes)
    ort = importlib.import_module("onnxruntime")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = _SILENT
    options.add_session_config_entry("session.use_env_allocators", "1")
    return ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])


class ModelRun:
    """One run of a session that another thread (a watchdog, a cancelled request) can stop.

    Call it in a worker thread; `stop()` from anywhere. It arms its own timer when the
    run starts, so time spent waiting for a slot does not count against `timeout_s`.
    Nothing of ONNX Runtime is touched before the call, so building one costs the event
    loop nothing.
    """

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self.reason: StopReason | None = None
        self.options: Any = None
        self.started = threading.Event()
        self.finished = threading.Event()

    def stop(self, reason: StopReason) -> None:
        """Ask the run to end (the first reason given is the one reported)."""
        if self.reason is None:
            self.reason = reason
        if self.options is not None:
            self.options.terminate = True

    def _run_options(self) -> Any:
        ort = importlib.import_module("onnxruntime")
        options = ort.RunOptions()
        options.log_severity_level = _SILENT
        options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        return options

    def __call__(self, session: Any, output: str, feeds: dict[str, Any]) -> Any:
        """The `output` tensor of `session` on `feeds`; `RunStopped` or `RunFailed` else."""
        self.options = self._run_options()
        watchdog = threading.Timer(self.timeout_s, self.stop, ("timeout",))
        watchdog.daemon = True
        self.started.set()
        try:
            # Checked after `options` exists: a stop() from now on sets `terminate` too.
            if self.reason is not None:
                raise RunStopped(self.reason)
            watchdog.start()
            (result,) = session.run([output], feeds, self.options)
            return result
        except RunStopped:
            raise
        except Exception as exc:  # ORT raises its own types; the message says which failure
            if self.reason is not None:
                raise RunStopped(self.reason) from None
            if isinstance(exc, MemoryError) or any(m in str(exc) for m in _ALLOCATION_FAILURES):
                raise RunStopped("memory") from None
            raise RunFailed(type(exc).__name__) from None
        finally:
            watchdog.cancel()
            self.finished.set()
