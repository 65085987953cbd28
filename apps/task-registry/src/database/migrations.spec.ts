import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findMigrationsDir } from './migrations';

describe('registry migrations', () => {
  const repositoryRoot = path.resolve(__dirname, '../../../..');
  const expected = path.join(repositoryRoot, 'apps', 'task-registry', 'migrations');

  it('are found from the sources and from the compiled output alike', () => {
    expect(findMigrationsDir(__dirname)).toBe(expected);
    expect(
      findMigrationsDir(path.join(repositoryRoot, 'dist', 'apps', 'task-registry', 'src', 'database')),
    ).toBe(expected);
  });

  it('fail with a clear message where there are none', () => {
    expect(() => findMigrationsDir('/')).toThrow(/apps\/task-registry\/migrations/);
  });

  it('are SQL files with an up and a down part', () => {
    expect(existsSync(expected)).toBe(true);
    const files = readdirSync(expected);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file).toMatch(/^\d+_[a-z0-9-]+\.sql$/);
      const text = readFileSync(path.join(expected, file), 'utf8');
      expect(text).toMatch(/^-- Up Migration$/m);
      expect(text).toMatch(/^-- Down Migration$/m);
    }
  });
});
