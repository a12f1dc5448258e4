/**
 * The files the emulator writes hold its CA, its token-signing key and principals' secrets, so:
 * its own files go into a private directory (mkdtemp, 0700) removed when it stops or the process
 * exits; every file is created exclusively (O_EXCL) without following symbolic links (O_NOFOLLOW)
 * and readable by its owner only; a path given by the operator (--state, --ca-file) that is a
 * symbolic link is refused, and is replaced atomically (rename does not follow links).
 */
import { closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export class UnsafePathError extends Error {
  readonly code = 'EUNSAFEPATH';
}

const CREATE_PRIVATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Creates `path` (which must not exist), owner-only, without following a link placed there. */
export function createPrivateFile(path: string, content: string, mode = 0o600): void {
  const fd = openSync(path, CREATE_PRIVATE, mode);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/** Refuses an operator-given path that is a symbolic link (the target would be read or replaced). */
export function refuseSymlink(path: string, what: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return;
  }
  if (isLink) throw new UnsafePathError(`${what} '${path}' is a symbolic link; the emulator does not follow links for the files it writes. Pass the path of a regular file (or a new one).`);
}

/** Writes `path` as a whole, owner-only: a fresh temporary file beside it, then rename over it. */
export function replacePrivateFile(path: string, content: string, what: string): void {
  refuseSymlink(path, what);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  createPrivateFile(tmp, content);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Reads an operator-given file without following a symbolic link; undefined when it does not exist. */
export function readPrivateFile(path: string, what: string): string | undefined {
  refuseSymlink(path, what);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

const liveDirs = new Set<string>();
let exitHookInstalled = false;

/** A fresh directory only this user can enter, removed by remove() or when the process exits. */
export class PrivateDir {
  readonly path: string;

  constructor() {
    this.path = mkdtempSync(join(tmpdir(), 'secure-docintel-emulator-'));
    liveDirs.add(this.path);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => {
        for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
      });
    }
  }

  /** Creates a new file in the directory and returns its path. */
  create(name: string, content: string, mode = 0o600): string {
    const path = join(this.path, name);
    createPrivateFile(path, content, mode);
    return path;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
    liveDirs.delete(this.path);
  }
}
