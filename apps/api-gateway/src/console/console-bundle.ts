import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';

/** Where `npm run build` puts the console (apps/console/vite.config.ts), below the package root. */
const BUNDLE_DIR = join('dist', 'console');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface ConsoleFile {
  contentType: string;
  body: Buffer;
  /** Vite names every asset by its content's hash: such a file never changes under its name. */
  immutable: boolean;
}

/**
 * The built console, read once at start: only the files the build wrote can be served, so no
 * request path ever reaches the file system.
 */
export class ConsoleBundle {
  private constructor(
    private readonly files: ReadonlyMap<string, ConsoleFile>,
    readonly directory: string,
  ) {}

  static load(directory = join(packageRoot(__dirname), BUNDLE_DIR)): ConsoleBundle {
    const files = new Map<string, ConsoleFile>();
    if (existsSync(directory)) {
      for (const path of filesBelow(directory)) {
        const name = relative(directory, path).split(sep).join('/');
        files.set(name, {
          contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
          body: readFileSync(path),
          immutable: name.startsWith('assets/'),
        });
      }
    }
    return new ConsoleBundle(files, directory);
  }

  get built(): boolean {
    return this.files.has('index.html');
  }

  /** The file at a path below /console/; the page itself for the console's root. */
  file(path: string): ConsoleFile | undefined {
    return this.files.get(path === '' ? 'index.html' : path);
  }
}

function filesBelow(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/** The nearest folder above `start` with a package.json: the checkout, or the image's /app. */
function packageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  return dir;
}
