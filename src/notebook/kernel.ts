/**
 * A minimal Jupyter client that drives the real tslab kernel (or Deno's, see ./kernels) over ZeroMQ, without Python
 * or Jupyter.
 *
 * Messages follow the Jupyter messaging protocol v5.3: each is the frames
 * `['<IDS|MSG>', hmac_sha256(key, header + parent + metadata + content), header, parent, metadata, content]`.
 * Requests go out on a Dealer socket connected to the kernel's shell port; outputs arrive on a Subscriber
 * connected to its iopub port. Replies on the Dealer carry no identity frame.
 */
import type { Dealer, Subscriber } from 'zeromq';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NqpError } from '../errors';
import { kernelCommand, type KernelName } from './kernels';
import { freePorts, releasePorts } from './ports';
import { startWithSnapshot } from './snapshot';

export interface JupyterMessage {
  header: { msg_id: string; msg_type: string; [k: string]: unknown };
  parent_header: { msg_id?: string; [k: string]: unknown };
  metadata: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: Jupyter message content is untyped JSON (the protocol's edge).
  content: Record<string, any>;
}

/** A display's data by MIME type, and its metadata. */
type Bundle = { data: Record<string, unknown>; metadata: Record<string, unknown> };

/** One nbformat v4 output. */
export type CellOutput =
  | { output_type: 'stream'; name: string; text: string }
  | ({ output_type: 'display_data'; transient?: unknown } & Bundle)
  | ({ output_type: 'execute_result'; execution_count: number } & Bundle)
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface ExecuteResult {
  status: 'ok' | 'error' | 'aborted';
  executionCount: number | null;
  outputs: CellOutput[];
}

const DELIM = '<IDS|MSG>';

export { tslabBin } from './kernels';

export class TslabKernel {
  private proc: ChildProcess | undefined;
  private shell: Dealer | undefined;
  private iopub: Subscriber | undefined;
  private key = '';
  private session = randomUUID();
  private dir = '';
  private listeners = new Map<string, (m: JupyterMessage) => void>();
  private shellWaiters = new Map<string, (m: JupyterMessage) => void>();
  private stderr = '';
  private exited: { code: number | null; signal: string | null } | undefined;
  private closed = false;
  private ports: number[] = [];
  /** Which kernel runs: tslab (the default) or Deno's (src/notebook/kernels.ts). */
  private label: KernelName = 'tslab';

  /**
   * Start the kernel in `cwd` (the notebook's folder); `threads`: its V8 worker threads (kernels.ts). A tslab kernel
   * starts from the folder's snapshot when there is a current one, and as usual if that fails (snapshot.ts).
   */
  static async start(cwd: string, env = process.env, kind?: KernelName, threads?: number): Promise<TslabKernel> {
    const once = async (snapshot?: string) => {
      const k = new TslabKernel();
      k.label = kind ?? 'tslab';
      try {
        await k.launch(cwd, env, threads, snapshot);
      } catch (e) {
        await k.shutdown();
        throw e;
      }
      return k;
    };
    return kind === 'deno' ? once() : startWithSnapshot(cwd, once);
  }

  private async launch(cwd: string, env: NodeJS.ProcessEnv, threads?: number, snapshot?: string): Promise<void> {
    // Loaded lazily (a declared dependency) so `import 'nqp-resilience'` stays light in notebooks.
    const zmq: typeof import('zeromq') = require('zeromq');
    this.key = randomBytes(16).toString('hex');
    const [shell, iopub, stdin, control, hb] = await freePorts(5);
    const ports = { shell, iopub, stdin, control, hb };
    this.ports = [shell, iopub, stdin, control, hb];
    this.dir = mkdtempSync(join(tmpdir(), 'nqp-kernel-'));
    const connFile = join(this.dir, 'connection.json');
    writeFileSync(
      connFile,
      JSON.stringify({
        transport: 'tcp',
        ip: '127.0.0.1',
        shell_port: ports.shell,
        iopub_port: ports.iopub,
        stdin_port: ports.stdin,
        control_port: ports.control,
        hb_port: ports.hb,
        key: this.key,
        signature_scheme: 'hmac-sha256',
        kernel_name: this.label,
      }),
    );
    const { cmd, args } = kernelCommand(this.label, connFile, threads, snapshot);
    this.proc = spawn(cmd, args, {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'], // the kernels print nothing useful on stdout
    });
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    // The kernel dies with this process; the hook goes with the kernel (`nqp grade` starts one per submission).
    const killOnExit = () => this.proc?.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
      process.removeListener('exit', killOnExit);
    });

    this.shell = new zmq.Dealer({ linger: 0 });
    this.shell.connect(`tcp://127.0.0.1:${ports.shell}`);
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.iopub.connect(`tcp://127.0.0.1:${ports.iopub}`);
    this.iopub.subscribe();
    void this.pump(this.shell, true);
    void this.pump(this.iopub, false);

    // The iopub subscription joins late; repeat kernel_info until a status message for it comes through iopub.
    const deadline = Date.now() + 60_000;
    let ready = false;
    while (!ready) {
      const why = `code ${this.exited?.code}): ${this.stderr.trim().split('\n').pop() ?? ''}`;
      if (this.exited) throw new NqpError('KERNEL', this.label, `The ${this.label} kernel exited at start (${why}`);
      if (Date.now() > deadline)
        throw new NqpError(
          'KERNEL',
          this.label,
          `The ${this.label} kernel did not answer within 60 s. Check that \`npm ci\` completed (kernel and zeromq).`,
        );
      const id = this.send('kernel_info_request', {});
      ready = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => {
          this.listeners.delete(id);
          resolve(false);
        }, 100);
        this.listeners.set(id, () => {
          clearTimeout(t);
          this.listeners.delete(id);
          resolve(true);
        });
      });
    }
  }

  private async pump(sock: Dealer | Subscriber, isShell: boolean): Promise<void> {
    try {
      for await (const frames of sock) {
        const msg = this.decode(frames as Buffer[]);
        if (!msg) continue;
        const parent = msg.parent_header?.msg_id;
        if (!parent) continue;
        if (isShell) this.shellWaiters.get(parent)?.(msg);
        else this.listeners.get(parent)?.(msg);
      }
    } catch {
      // socket closed
    }
  }

  private sign(parts: string[]): string {
    const h = createHmac('sha256', this.key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  private decode(frames: Buffer[]): JupyterMessage | undefined {
    const i = frames.findIndex((f) => f.toString() === DELIM);
    if (i < 0 || frames.length < i + 6) return undefined;
    const [sig, header, parent, metadata, content] = frames.slice(i + 1, i + 6).map((f) => f.toString());
    if (sig !== this.sign([header, parent, metadata, content])) return undefined;
    return {
      header: JSON.parse(header),
      parent_header: JSON.parse(parent),
      metadata: JSON.parse(metadata),
      content: JSON.parse(content),
    };
  }

  private send(msgType: string, content: Record<string, unknown>): string {
    const msgId = randomUUID();
    const header = JSON.stringify({
      msg_id: msgId,
      username: 'nqp',
      session: this.session,
      date: new Date().toISOString(),
      msg_type: msgType,
      version: '5.3',
    });
    const parts = [header, '{}', '{}', JSON.stringify(content)];
    if (!this.shell) throw new NqpError('KERNEL', 'shell', 'The kernel is not running (no shell socket).');
    void this.shell.send([DELIM, this.sign(parts), ...parts]);
    return msgId;
  }

  /**
   * Execute one cell and collect its outputs in nbformat form. `onOutput` sees each output as it arrives
   * (for progress). Resolves when the kernel reports idle for this request and the shell reply has come.
   */
  async execute(code: string, timeoutMs = 600_000, storeHistory = true): Promise<ExecuteResult> {
    const outputs: CellOutput[] = [];
    const byDisplayId = new Map<string, number[]>();
    let reply: JupyterMessage | undefined;
    let idle = false;
    let executionCount: number | null = null;
    const id = this.send('execute_request', {
      code,
      silent: false,
      store_history: storeHistory,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    return new Promise<ExecuteResult>((resolve, reject) => {
      const finish = () => {
        if (!reply || !idle) return;
        clearTimeout(timer);
        clearInterval(watch);
        // The iopub listener stays: Deno's kernel may send a cell's stdout after its idle status (it flushes on a
        // timer), and a late stream still joins the outputs of the cell it came from.
        this.shellWaiters.delete(id);
        const status = (reply.content.status as ExecuteResult['status']) ?? 'error';
        resolve({ status, executionCount: (reply.content.execution_count as number) ?? executionCount, outputs });
      };
      const timer = setTimeout(
        () =>
          reject(new NqpError('KERNEL', 'cell', `The cell did not finish within ${Math.round(timeoutMs / 1000)} s.`)),
        timeoutMs,
      );
      const watch = setInterval(() => {
        if (this.exited) {
          clearTimeout(timer);
          clearInterval(watch);
          reject(
            new NqpError(
              'KERNEL',
              this.label,
              `The ${this.label} kernel died (code ${this.exited.code}, signal ${this.exited.signal}): ` +
                `${this.stderr.trim().split('\n').slice(-3).join(' | ')}`,
            ),
          );
        }
      }, 200);
      this.shellWaiters.set(id, (m) => {
        reply = m;
        finish();
      });
      this.listeners.set(id, (m) => {
        const c = m.content;
        switch (m.header.msg_type) {
          case 'status':
            if (c.execution_state === 'idle') {
              idle = true;
              finish();
            }
            break;
          case 'execute_input':
            executionCount = c.execution_count ?? executionCount;
            break;
          case 'stream': {
            const last = outputs[outputs.length - 1];
            if (last && last.output_type === 'stream' && last.name === c.name) last.text += c.text;
            else outputs.push({ output_type: 'stream', name: c.name, text: c.text });
            break;
          }
          case 'display_data': {
            outputs.push({ output_type: 'display_data', data: c.data ?? {}, metadata: c.metadata ?? {} });
            const did = c.transient?.display_id;
            if (did) byDisplayId.set(did, [...(byDisplayId.get(did) ?? []), outputs.length - 1]);
            break;
          }
          case 'update_display_data': {
            // An executed notebook keeps the last state of an updated display (e.g. a finished progress bar).
            for (const idx of byDisplayId.get(c.transient?.display_id) ?? []) {
              const o = outputs[idx];
              if (o.output_type === 'display_data') {
                o.data = c.data ?? {};
                o.metadata = c.metadata ?? {};
              }
            }
            break;
          }
          case 'execute_result':
            outputs.push({
              output_type: 'execute_result',
              execution_count: c.execution_count,
              data: c.data ?? {},
              metadata: c.metadata ?? {},
            });
            break;
          case 'error':
            outputs.push({ output_type: 'error', ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] });
            break;
          default:
            break;
        }
      });
    });
  }

  private waitExit(ms: number): Promise<void> {
    if (this.exited || !this.proc) return Promise.resolve();
    const proc = this.proc;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      proc.once('exit', () => resolve(clearTimeout(timer)));
    });
  }

  /** Stop the kernel: a shutdown request, then SIGKILL if it lingers. Safe to call more than once. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.exited) this.send('shutdown_request', { restart: false });
    } catch {
      /* ignore */
    }
    // tslab exits on its own once its sockets close; wait for that (at most 2 s), so the process is reaped.
    await this.waitExit(2000);
    if (!this.exited) {
      this.proc?.kill('SIGKILL');
      await this.waitExit(2000);
    }
    for (const socket of [this.shell, this.iopub]) {
      try {
        socket?.close();
      } catch {
        /* already closed */
      }
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    releasePorts(this.ports);
  }
}
