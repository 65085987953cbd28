import { runCli } from './cli';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env,
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('snapex command line', () => {
  it('lists the AWS CLI commands in its help', async () => {
    const { io: streams, out } = io();
    expect(await runCli(['--help'], streams)).toBe(0);
    for (const command of ['start-export-task', 'describe-export-tasks', 'cancel-export-task']) {
      expect(out()).toContain(command);
    }
  });

  it('refuses a missing required option with the AWS CLI’s usage exit code', async () => {
    const { io: streams, err } = io({ SNAPEX_ENDPOINT_URL: 'http://127.0.0.1:1' });
    expect(await runCli(['cancel-export-task'], streams)).toBe(252);
    expect(err()).toMatch(/--export-task-identifier/);
  });

  it('needs an endpoint', async () => {
    const { io: streams, err } = io();
    expect(await runCli(['cancel-export-task', '--export-task-identifier', 'x'], streams)).toBe(252);
    expect(err()).toMatch(/--endpoint-url or set SNAPEX_ENDPOINT_URL/);
  });

  it('refuses --watch on describe-export-tasks without an identifier', async () => {
    const { io: streams, err } = io({ SNAPEX_ENDPOINT_URL: 'http://127.0.0.1:1' });
    expect(await runCli(['describe-export-tasks', '--watch'], streams)).toBe(252);
    expect(err()).toMatch(/--watch needs --export-task-identifier/);
  });

  it('refuses an unknown source type', async () => {
    const { io: streams } = io({ SNAPEX_ENDPOINT_URL: 'http://127.0.0.1:1' });
    expect(await runCli(['describe-export-tasks', '--source-type', 'INSTANCE'], streams)).toBe(252);
  });
});
