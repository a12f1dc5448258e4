/**
 * The journal of one change run: before its first write, the GET body (and etag) of every resource
 * the plan will write — absent ones recorded as absent; after each write, its result; at the end,
 * each resource a write touched as the run left it (read back once), and only those. Saved whole before and after each
 * write and at the end — never on a read: the polls of a long-running operation and the readiness waits
 * only refine in memory what the next save writes, and a run killed between two saves leaves the
 * journal of its last write, which `undo` can use.
 */
import { randomBytes } from 'node:crypto';
import type { ArmObserver, ArmSession } from '../azure/session.js';
import { apiVersionFor, armTypeOf, rawBody, readResource, type ResourceSnapshot } from '../azure/arm-resource.js';
import { explainAzureError } from '../azure/remedies.js';
import { redact } from './redact.js';
import { replacePrivateFile } from './private-file.js';

export const JOURNAL_VERSION = 1;

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'unchanged';

export interface JournalResource {
  id: string;
  type: string;
  before: ResourceSnapshot;
  /** as the run left it: read back after its last write (absent when the run never wrote it) */
  after?: ResourceSnapshot;
}

export interface JournalWrite {
  at: string;
  method: string;
  resourceId: string;
  /** absent: sent, and the run ended before its answer (it may have landed); 0: the connection failed */
  status?: number;
}

export interface JournalDocument {
  version: typeof JOURNAL_VERSION;
  id: string;
  command: string;
  startedAt: string;
  endedAt?: string;
  status: RunStatus;
  /** the ARM endpoint the run changed (undo refuses another) */
  armEndpoint: string;
  /** the account, storage account, VNet and subnet the run worked on */
  targets: string[];
  /** for an undo: the run it restored */
  undoOf?: string;
  resources: JournalResource[];
  writes: JournalWrite[];
}

export function newRunId(command: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${command}-${randomBytes(2).toString('hex')}`;
}

const key = (id: string) => id.toLowerCase().replace(/\/+$/, '');

/** A URL's path as a resource id (SDKs that join a scope to a path send `//subscriptions/…`). */
function pathOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname).replace(/\/{2,}/g, '/').replace(/\/+$/, '');
}

/** The resource a write's URL names (its path); undefined for an action (POST …/listKeys). */
function resourceOfUrl(method: string, url: string): string | undefined {
  if (method === 'POST') return undefined;
  return pathOf(url);
}

export class Journal {
  readonly doc: JournalDocument;
  private planned: string[] = [];
  private recording?: Promise<void>;
  /** resources a write answered 2xx */
  private readonly written = new Set<string>();

  constructor(readonly path: string, private readonly session: ArmSession, init: { id: string; command: string; targets: string[]; undoOf?: string }) {
    this.doc = {
      version: JOURNAL_VERSION,
      id: init.id,
      command: init.command,
      startedAt: new Date().toISOString(),
      status: 'running',
      armEndpoint: session.endpoint,
      targets: init.targets,
      ...(init.undoOf ? { undoOf: init.undoOf } : {}),
      resources: [],
      writes: [],
    };
  }

  /** The resources the plan will write (a plan made again after a declined choice replaces them). */
  expect(resourceIds: string[]): void {
    this.planned = [...new Set(resourceIds)];
  }

  private entry(id: string): JournalResource | undefined {
    return this.doc.resources.find((r) => key(r.id) === key(id));
  }

  private async recordBefore(id: string, apiVersion?: string): Promise<void> {
    if (this.entry(id)) return;
    let version: string;
    try {
      version = apiVersion ?? apiVersionFor(id);
    } catch {
      return; // not a resource type the product writes
    }
    const snapshot = await readResource(this.session, id, version).catch((e) => {
      throw explainAzureError(e, `reading ${id} for the run's journal (nothing was written)`);
    });
    if (!this.entry(id)) this.doc.resources.push({ id: snapshot.body?.id ?? id, type: armTypeOf(id), before: redact(snapshot) });
  }

  /** Before the run's first write: every planned resource as it is. */
  private recordPlanned(): Promise<void> {
    this.recording ??= (async () => {
      await Promise.all(this.planned.map((id) => this.recordBefore(id)));
      this.save();
    })();
    return this.recording;
  }

  private saved = false;

  /** where the run is recorded, once anything is (the change document's `journal`) */
  get recorded(): { id: string; path: string } | undefined {
    return this.saved ? { id: this.doc.id, path: this.path } : undefined;
  }

  save(): void {
    this.saved = true;
    replacePrivateFile(this.path, JSON.stringify(this.doc, null, 2) + '\n');
  }

  /** What the session's pipeline tells the journal. */
  readonly observer: ArmObserver = {
    beforeWrite: async (method, url) => {
      await this.recordPlanned();
      const id = resourceOfUrl(method, url);
      if (id && !this.entry(id)) await this.recordBefore(id, new URL(url).searchParams.get('api-version') ?? undefined);
      // Recorded as sent before it is: a run killed now leaves a journal that knows this write may have landed.
      this.doc.writes.push({ at: new Date().toISOString(), method, resourceId: id ?? pathOf(url) });
      this.save();
      return this.doc.writes.length - 1;
    },
    afterWrite: (n, status, bodyText, etag) => {
      const w = this.doc.writes[n];
      w.status = status;
      const e = this.entry(w.resourceId);
      if (e && status >= 200 && status < 300) {
        this.written.add(key(w.resourceId));
        if (w.method === 'DELETE') e.after = { exists: false };
        else {
          const body = rawBody(bodyText);
          if (body) e.after = redact({ exists: true, etag: etag ?? body.etag, body });
        }
      }
      this.save();
    },
    // A read of a written resource (an operation's poll, a readiness wait, a read-back) is kept in
    // memory only: the next write or the end saves it.
    afterRead: (url, status, bodyText, etag) => {
      const id = pathOf(url);
      if (!this.written.has(key(id))) return;
      const e = this.entry(id)!;
      if (status === 404) e.after = { exists: false };
      else if (status === 200) {
        const body = rawBody(bodyText);
        if (body) e.after = redact({ exists: true, etag: etag ?? body.etag, body });
      }
    },
  };

  /**
   * Whether a write may have changed the resource: one to it or to a resource it belongs to (a VNet's
   * PUT carries its subnets), answered 2xx, or sent and never answered (it may have landed).
   */
  private touched(id: string): boolean {
    const k = key(id);
    return this.doc.writes.some((w) => {
      const target = key(w.resourceId);
      if (target !== k && !k.startsWith(`${target}/`)) return false;
      return !w.status || (w.status >= 200 && w.status < 300);
    });
  }

  /** At the end of the run: each resource a write touched, as the run left it, and how the run ended. */
  async finish(status: RunStatus): Promise<void> {
    // What follows the change run (setup's validation) is not part of it.
    if (this.session.observer === this.observer) this.session.observer = undefined;
    // A run that stopped before writing (declined, refused by the preflight, bad input) changed nothing to undo.
    if (!this.saved && !this.doc.writes.length && status !== 'succeeded') return;
    if (this.doc.writes.length) {
      // A planned resource no write reached was left as the run found it: it is not part of what the
      // run changed, so undo never restores it over a change made since.
      this.doc.resources = this.doc.resources.filter((r) => this.touched(r.id));
      await Promise.all(
        this.doc.resources.map(async (r) => {
          try {
            r.after = redact(await readResource(this.session, r.id));
          } catch {
            // keep what the run last saw: the final read is a refinement
          }
        }),
      );
    }
    this.doc.status = this.doc.writes.length || status !== 'succeeded' ? status : 'unchanged';
    this.doc.endedAt = new Date().toISOString();
    this.save();
  }
}
