import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleBundle } from './console-bundle';

describe('ConsoleBundle', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'snapex-console-bundle-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the page at the root and hashed assets as immutable, with their content types', () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'export {}');
    const bundle = ConsoleBundle.load(dir);
    expect(bundle.built).toBe(true);
    expect(bundle.file('')).toMatchObject({ contentType: 'text/html; charset=utf-8', immutable: false });
    expect(bundle.file('assets/index-abc.js')).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      immutable: true,
    });
  });

  it('knows only the files the build wrote: no path reaches the file system', () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const bundle = ConsoleBundle.load(dir);
    for (const path of ['../package.json', 'assets/../index.html', '/etc/passwd', 'missing.js'])
      expect(bundle.file(path)).toBeUndefined();
  });

  it('is not built when the folder is missing', () => {
    expect(ConsoleBundle.load(join(dir, 'absent')).built).toBe(false);
  });
});
