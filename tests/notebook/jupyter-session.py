"""A Jupyter session as JupyterLab holds one, through Debian's jupyter_client: start the project's tslab kernelspec
(JUPYTER_PATH from the environment) in a folder, run cells, interrupt a long one, then shut the kernel down or kill
it. Prints one JSON object: what each step saw. Called by tests/notebook/jupyter-launch.test.ts.

    python3 jupyter-session.py FOLDER shutdown|kill
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

folder, ending = sys.argv[1], sys.argv[2]
seen = {}


def outcome(kc, msg_id, timeout=60):
    """What the cell `msg_id` showed (tslab prints a cell's value on stdout), and its error (or None)."""
    value, error = "", None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            value += content["text"]
        elif kind == "execute_result":
            value += content["data"].get("text/plain", "")
        elif kind == "error":
            error = f"{content['ename']}: {content['evalue']}"
        elif kind == "status" and content["execution_state"] == "idle":
            return value.strip(), error


def run(kc, code):
    return outcome(kc, kc.execute(code))


t0 = time.monotonic()
km = KernelManager(kernel_name="nqp-tslab")
km.start_kernel(cwd=folder)
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=60)
seen["ready_s"] = round(time.monotonic() - t0, 2)
seen["launcher_pid"] = km.provisioner.pid
seen["first_converter"], _ = run(kc, "String(process[Symbol.for('nqp.kernelSnapshot')]?.first ?? 'no snapshot')")
seen["kernel_pid"], _ = run(kc, "process.pid")
seen["kernel_ppid"], _ = run(kc, "process.ppid")

# Interrupt a cell that would run for a minute; the next cell must run, not be interrupted as well.
msg_id = kc.execute("await new Promise((r) => setTimeout(r, 60000)); 'not interrupted'")
time.sleep(1.5)
km.interrupt_kernel()
seen["interrupted"], seen["interrupted_error"] = outcome(kc, msg_id, timeout=30)
time.sleep(0.5)
seen["after_interrupt"], seen["after_interrupt_error"] = run(kc, "6 * 7")

kc.stop_channels()
t1 = time.monotonic()
if ending == "shutdown":
    km.shutdown_kernel(now=False)
else:
    km.shutdown_kernel(now=True)  # no shutdown request: SIGKILL to the process group Jupyter started
seen["ending_s"] = round(time.monotonic() - t1, 2)
print(json.dumps(seen))
