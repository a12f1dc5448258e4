/**
 * Hosts that write to stderr/stdout: the interactive one (inquirer prompts, ora spinners, loaded
 * only when used) and the non-interactive one, which never prompts.
 */
import type { ConfirmRequest, InputRequest, IoHost, SelectRequest } from './host.js';
import { formatDuration } from './host.js';
import { paint, styleFor, wrapText, type TextStyle } from './terminal.js';

export interface StreamHostOptions {
  verbose?: boolean;
  /** suppress progress lines (e.g. `--output json` still shows them on stderr; tests may silence) */
  quiet?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** NO_COLOR, FORCE_COLOR, COLUMNS (default: process.env) */
  env?: NodeJS.ProcessEnv;
  /** `--output json`: never colour */
  json?: boolean;
}

export class NonInteractiveHost implements IoHost {
  readonly interactive: boolean = false;
  protected out: NodeJS.WritableStream;
  protected err: NodeJS.WritableStream;

  constructor(protected opts: StreamHostOptions = {}) {
    this.out = opts.stdout ?? process.stdout;
    this.err = opts.stderr ?? process.stderr;
  }

  textStyle(to: 'out' | 'err'): TextStyle {
    return styleFor((to === 'out' ? this.out : this.err) as Partial<import('node:tty').WriteStream>, this.opts.env ?? process.env, this.opts.json);
  }

  info(message: string): void {
    if (!this.opts.quiet) this.err.write(message + '\n');
  }
  warn(message: string): void {
    const style = this.textStyle('err');
    this.err.write(`${wrapText(`${paint('!', 'warn', style)} ${message}`, style.width)}\n`);
  }
  debug(message: string): void {
    if (this.opts.verbose) this.err.write(`  ${message}\n`);
  }
  result(text: string): void {
    this.out.write(text.endsWith('\n') ? text : text + '\n');
  }
  select<T>(req: SelectRequest<T>): Promise<T> {
    throw new Error(`internal: prompt '${req.id}' in a non-interactive run`);
  }
  input(req: InputRequest): Promise<string> {
    throw new Error(`internal: prompt '${req.id}' in a non-interactive run`);
  }
  confirm(req: ConfirmRequest): Promise<boolean> {
    throw new Error(`internal: confirmation '${req.id}' in a non-interactive run`);
  }
  async task<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    this.info(`… ${title}`);
    try {
      const value = await fn();
      this.info(`${paint('✓', 'ok', this.textStyle('err'))} ${title} (${formatDuration(Date.now() - started)})`);
      return value;
    } catch (e) {
      this.info(`${paint('✗', 'fail', this.textStyle('err'))} ${title} (${formatDuration(Date.now() - started)})`);
      throw e;
    }
  }
}

export class InteractiveHost extends NonInteractiveHost {
  override readonly interactive = true;

  override async select<T>(req: SelectRequest<T>): Promise<T> {
    const { select, Separator } = await import('@inquirer/prompts');
    const choices: (InstanceType<typeof Separator> | { name: string; value: T; description?: string })[] = [];
    let group: string | undefined;
    for (const c of req.choices) {
      if (c.group !== undefined && c.group !== group) choices.push(new Separator(`── ${(group = c.group)}`));
      choices.push({ name: c.name, value: c.value, description: c.description });
    }
    return select<T>({ message: req.message, choices, default: req.default }, { output: this.err as never });
  }
  override async input(req: InputRequest): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return input({ message: req.message, default: req.default, validate: req.validate }, { output: this.err as never });
  }
  override async confirm(req: ConfirmRequest): Promise<boolean> {
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message: req.message, default: req.default ?? false }, { output: this.err as never });
  }
  private spinner?: import('ora').Ora;
  private running = new Map<string, number>();

  /** One spinner for everything in flight; each task leaves its own ✔/✖ line when it ends. */
  override async task<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const { default: ora } = await import('ora');
    const started = Date.now();
    this.running.set(title, started);
    const text = () => [...this.running.keys()].join('  ·  ');
    if (!this.spinner) this.spinner = ora({ text: text(), stream: this.err as never }).start();
    else this.spinner.text = text();
    const finish = (symbol: string) => {
      this.running.delete(title);
      this.spinner!.stopAndPersist({ symbol, text: `${title} (${formatDuration(Date.now() - started)})` });
      if (this.running.size) this.spinner!.start(text());
      else this.spinner = undefined;
    };
    try {
      const value = await fn();
      finish(paint('✔', 'ok', this.textStyle('err')));
      return value;
    } catch (e) {
      finish(paint('✖', 'fail', this.textStyle('err')));
      throw e;
    }
  }
}
