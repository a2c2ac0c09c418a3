/**
 * The XBee3 Cellular's flash file system and the `ATFS` commands that answer from it at once
 * (LS, PWD, CD, MD, RM, MV, HASH, INFO, FORMAT); PUT, XPUT and GET only have their path checked
 * here and then hand over to the YMODEM transfer (see ymodem-receive.ts and commands.ts).
 *
 * Owns: the tree under /flash (directories, ordinary and secure files), the working directory,
 * path resolution, the listing format and the space accounting. Must never: hand the content of a
 * secure file to anything but the TLS stack (`readForTls`), or forget files on a reboot — they
 * live in flash (contract: "Files survive reboots").
 *
 * XBee3 Cellular User Guide, "File system": `/flash` is the only root entry; names are at most 64
 * characters of letters, digits, `.`, `-` and `_`, compared without case; a full path is at most
 * 255 characters; paths are absolute (starting `/flash`) or relative to the working directory,
 * which is `/flash` after a reboot. Errors are one line, `E<CODE> <description>` ("Error
 * responses"); the codes and the listing layout are fixed by the contract (the stored guide copies
 * do not show them). An exchange (answers end with CR only):
 * ```
 *   → ATFS LS<CR>
 *   ←      <DIR> ./<CR>     <DIR> ../<CR>     <DIR> certs/<CR>     <DIR> lib/<CR>      1234 a.txt<CR><CR>
 *   → ATFS HASH a.txt<CR>
 *   ← sha256 9f86…<CR>
 * ```
 */
import { createHash } from 'node:crypto';
import { FLASH, FS_ERROR, type FsErrorCode } from './tables';

export interface FileNode {
  kind: 'file';
  /** As it was first written (lookups ignore case). */
  name: string;
  data: Buffer;
  /** Uploaded with XPUT: listed with `#`, never read back (seeds/000: "not possible to use ATFS GET"). */
  secure: boolean;
}

export interface DirNode {
  kind: 'dir';
  name: string;
  entries: Map<string, FsNode>;
}

export type FsNode = FileNode | DirNode;

export class FsError extends Error {
  constructor(
    readonly code: FsErrorCode,
    readonly description: string = FS_ERROR[code],
  ) {
    super(`${code} ${description}`);
    this.name = 'FsError';
  }

  /** The line the module prints (without its CR). */
  get line(): string {
    return `${this.code} ${this.description}`;
  }
}

/** A path below /flash: the names of its components, as typed. `[]` is /flash itself. */
export type FlashPath = readonly string[];

function emptyDir(name: string): DirNode {
  return { kind: 'dir', name, entries: new Map() };
}

const key = (name: string): string => name.toLowerCase();

export class Flash {
  private root: DirNode = emptyDir(FLASH.root);
  /** The working directory; back to /flash at every boot. */
  cwd: FlashPath = [];

  constructor(readonly capacity: number = FLASH.capacity) {
    this.format();
  }

  /** `ATFS FORMAT confirm`: everything erased, the factory directories made again. */
  format(): void {
    this.root = emptyDir(FLASH.root);
    for (const dir of FLASH.directories) this.root.entries.set(key(dir), emptyDir(dir));
    this.cwd = [];
  }

  /** Bytes held by files (the simulator counts file content only). */
  get used(): number {
    let total = 0;
    const walk = (dir: DirNode): void => {
      for (const node of dir.entries.values()) {
        if (node.kind === 'dir') walk(node);
        else total += node.data.length;
      }
    };
    walk(this.root);
    return total;
  }

  get free(): number {
    return Math.max(0, this.capacity - this.used);
  }

  static text(path: FlashPath): string {
    return `/${FLASH.root}${path.map((name) => `/${name}`).join('')}`;
  }

  /**
   * A path as the guide allows it: absolute from `/flash`, or relative to `base` (default the
   * working directory); `.` and `..` work; a single trailing period of a name is dropped ("File
   * system": "trailing period ignored"). Leaving /flash is refused with ENOENT (chosen).
   */
  resolve(text: string, base: FlashPath = this.cwd): FlashPath {
    if (text.length > FLASH.pathMax) throw new FsError('ENAMETOOLONG');
    let parts = text.split('/');
    let out: string[];
    if (text.startsWith('/')) {
      parts = parts.slice(1);
      const top = parts.shift();
      if (top === undefined || key(top) !== FLASH.root) throw new FsError('ENOENT');
      out = [];
    } else {
      out = [...base];
    }
    for (let part of parts) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (out.length === 0) throw new FsError('ENOENT');
        out.pop();
        continue;
      }
      if (part.endsWith('.') && part.length > 1) part = part.slice(0, -1);
      if (part.length > FLASH.nameMax) throw new FsError('ENAMETOOLONG');
      if (!FLASH.name.test(part)) throw new FsError('EINVAL', 'Invalid name');
      out.push(part);
    }
    if (Flash.text(out).length > FLASH.pathMax) throw new FsError('ENAMETOOLONG');
    return out;
  }

  lookup(path: FlashPath): FsNode | undefined {
    let node: FsNode = this.root;
    for (const name of path) {
      if (node.kind !== 'dir') return undefined;
      const next: FsNode | undefined = node.entries.get(key(name));
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  private parentOf(path: FlashPath): DirNode {
    const parent = this.lookup(path.slice(0, -1));
    if (!parent) throw new FsError('ENOENT');
    if (parent.kind !== 'dir') throw new FsError('EINVAL', 'Not a directory');
    return parent;
  }

  private dirAt(path: FlashPath): DirNode {
    const node = this.lookup(path);
    if (!node) throw new FsError('ENOENT');
    if (node.kind !== 'dir') throw new FsError('EINVAL', 'Not a directory');
    return node;
  }

  private fileAt(path: FlashPath): FileNode {
    const node = this.lookup(path);
    if (!node) throw new FsError('ENOENT');
    if (node.kind !== 'file') throw new FsError('EINVAL', 'Is a directory');
    return node;
  }

  /**
   * `ATFS LS [dir]`: `./` and `../` first, then directories, then files, each group in
   * alphabetical order; the size (or `<DIR>`) right-aligned in 10 characters, a space, the name;
   * directories end with `/`, secure files with `#`; an empty line ends the list (contract).
   */
  list(text: string | undefined): string[] {
    const dir = this.dirAt(text ? this.resolve(text) : this.cwd);
    const entry = (field: string, name: string): string => `${field.padStart(10)} ${name}`;
    const byName = (a: FsNode, b: FsNode): number => (key(a.name) < key(b.name) ? -1 : key(a.name) > key(b.name) ? 1 : 0);
    const nodes = [...dir.entries.values()].sort(byName);
    return [
      entry('<DIR>', './'),
      entry('<DIR>', '../'),
      ...nodes.filter((n) => n.kind === 'dir').map((n) => entry('<DIR>', `${n.name}/`)),
      ...nodes.filter((n): n is FileNode => n.kind === 'file').map((n) => entry(String(n.data.length), `${n.name}${n.secure ? '#' : ''}`)),
      '',
    ];
  }

  /** `ATFS CD dir`: the new working directory. */
  changeDirectory(text: string): string {
    const path = this.resolve(text);
    this.dirAt(path);
    this.cwd = path;
    return Flash.text(path);
  }

  /** `ATFS MD dir`. */
  makeDirectory(text: string): void {
    const path = this.resolve(text);
    if (path.length === 0 || this.lookup(path)) throw new FsError('EEXIST');
    const parent = this.parentOf(path);
    const name = path[path.length - 1]!;
    parent.entries.set(key(name), emptyDir(name));
  }

  /** `ATFS RM path`: a file or an empty directory; not /flash, nor the working directory or one above it (chosen: EINVAL). */
  remove(text: string): void {
    const path = this.resolve(text);
    const node = this.lookup(path);
    if (!node) throw new FsError('ENOENT');
    if (path.length === 0 || (node.kind === 'dir' && isPrefix(path, this.cwd))) throw new FsError('EINVAL', 'Directory in use');
    if (node.kind === 'dir' && node.entries.size > 0) throw new FsError('ENOTEMPTY');
    this.parentOf(path).entries.delete(key(path[path.length - 1]!));
  }

  /** `ATFS MV src dst`: no overwriting (xbee-python: "Initial XBee3 firmware does not allow to overwrite existing files"). */
  move(from: string, to: string): void {
    const source = this.resolve(from);
    const node = this.lookup(source);
    if (!node || source.length === 0) throw new FsError('ENOENT');
    const target = this.resolve(to);
    if (this.lookup(target)) throw new FsError('EEXIST');
    const parent = this.parentOf(target);
    this.parentOf(source).entries.delete(key(source[source.length - 1]!));
    const name = target[target.length - 1]!;
    node.name = name;
    parent.entries.set(key(name), node);
  }

  /** `ATFS HASH path`: `sha256 <64 lowercase hex>`; a secure file's hash is refused (contract: EACCES). */
  hash(text: string): string {
    const file = this.fileAt(this.resolve(text));
    if (file.secure) throw new FsError('EACCES');
    return `sha256 ${createHash('sha256').update(file.data).digest('hex')}`;
  }

  /** `ATFS INFO`: used, free and bad bytes, then an empty line (contract layout). */
  info(): string[] {
    return [`   ${this.used} used`, `   ${this.free} free`, '   0 bad', ''];
  }

  /**
   * Where PUT/XPUT/GET would go: checks the path now, so that a bad one is refused before the
   * YMODEM prompt. For a write, returns the bytes the new file may take (what is free plus what
   * the file it replaces holds).
   */
  checkWrite(text: string): { path: FlashPath; room: number } {
    const path = this.resolve(text);
    if (path.length === 0) throw new FsError('EINVAL', 'Is a directory');
    this.parentOf(path);
    const node = this.lookup(path);
    if (node?.kind === 'dir') throw new FsError('EINVAL', 'Is a directory');
    return { path, room: this.free + (node?.data.length ?? 0) };
  }

  /** Stores a received file, replacing one of the same name (contract). */
  write(path: FlashPath, data: Buffer, secure: boolean): void {
    const parent = this.parentOf(path);
    const name = path[path.length - 1]!;
    const old = parent.entries.get(key(name));
    if (old?.kind === 'dir') throw new FsError('EINVAL', 'Is a directory');
    if (data.length > this.free + (old?.data.length ?? 0)) throw new FsError('ENOSPC');
    parent.entries.set(key(name), { kind: 'file', name: old?.name ?? name, data: Buffer.from(data), secure });
  }

  /** `ATFS GET`: an ordinary file's bytes; a secure file is refused (seeds/000 l. 31-33). */
  readForHost(text: string): { name: string; data: Buffer } {
    const file = this.fileAt(this.resolve(text));
    if (file.secure) throw new FsError('EACCES');
    return { name: file.name, data: file.data };
  }

  /** For the TLS stack only: any file's bytes, secure ones included, or undefined when it is missing. */
  readForTls(text: string, base: FlashPath): Buffer | undefined {
    try {
      const node = this.lookup(this.resolve(text, base));
      return node?.kind === 'file' ? node.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every file, for tests: absolute path → size and whether it is secure (never the content of a secure file). */
  files(): Array<{ path: string; size: number; secure: boolean; data?: Buffer }> {
    const out: Array<{ path: string; size: number; secure: boolean; data?: Buffer }> = [];
    const walk = (dir: DirNode, path: string[]): void => {
      for (const node of dir.entries.values()) {
        const here = [...path, node.name];
        if (node.kind === 'dir') walk(node, here);
        else out.push({ path: Flash.text(here), size: node.data.length, secure: node.secure, ...(node.secure ? {} : { data: Buffer.from(node.data) }) });
      }
    };
    walk(this.root, []);
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}

function isPrefix(prefix: FlashPath, path: FlashPath): boolean {
  return prefix.length <= path.length && prefix.every((name, i) => key(name) === key(path[i]!));
}

/** What `ATFS <sub> …` asks for: answered at once, or a YMODEM transfer to run. */
export type FsOutcome =
  | { lines: string[] }
  | { receive: { path: FlashPath; room: number; secure: boolean } }
  | { send: { name: string; data: Buffer } };

/** The list `ATFS` alone prints (xbee-python parses "ATFS commands: …"); the wording is the simulator's. */
const COMMANDS = ['PWD', 'CD', 'MD', 'LS', 'PUT', 'XPUT', 'GET', 'MV', 'RM', 'HASH', 'INFO', 'FORMAT'];

/**
 * Runs one `ATFS` command line's argument part (`LS certs`, `PUT ca.pem` …). Sub-commands are
 * case-insensitive ("Commands are case-insensitive as are file and directory names").
 */
export function runFs(flash: Flash, argument: string): FsOutcome {
  const text = argument.trim();
  if (text === '') return { lines: [`ATFS commands: ${COMMANDS.join(' ')}`] };
  const space = text.indexOf(' ');
  const sub = (space < 0 ? text : text.slice(0, space)).toUpperCase();
  const rest = space < 0 ? '' : text.slice(space + 1).trim();
  const one = (): string => {
    if (rest === '' || /\s/.test(rest)) throw new FsError('EINVAL');
    return rest;
  };
  try {
    switch (sub) {
      case 'PWD':
        return { lines: [Flash.text(flash.cwd)] };
      case 'CD':
        return { lines: [flash.changeDirectory(one())] };
      case 'MD':
        flash.makeDirectory(one());
        return { lines: ['OK'] };
      case 'LS':
        return { lines: flash.list(rest === '' ? undefined : one()) };
      case 'RM':
        flash.remove(one());
        return { lines: ['OK'] };
      case 'MV': {
        const [from, to, extra] = rest.split(/\s+/);
        if (!from || !to || extra !== undefined) throw new FsError('EINVAL');
        flash.move(from, to);
        return { lines: ['OK'] };
      }
      case 'HASH':
        return { lines: [flash.hash(one())] };
      case 'INFO':
        return { lines: flash.info() };
      case 'FORMAT':
        // "ATFS FORMAT confirm"; without the word nothing is erased (chosen wording).
        if (rest.toLowerCase() !== 'confirm') throw new FsError('EINVAL', "Send 'ATFS FORMAT confirm' to format");
        flash.format();
        return { lines: ['OK'] };
      case 'PUT':
      case 'XPUT': {
        const { path, room } = flash.checkWrite(one());
        return { receive: { path, room, secure: sub === 'XPUT' } };
      }
      case 'GET':
        return { send: flash.readForHost(one()) };
      default:
        throw new FsError('EINVAL', 'Unknown command');
    }
  } catch (err) {
    if (err instanceof FsError) return { lines: [err.line] };
    throw err;
  }
}
