import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { dropDatabase, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { API_KEY, OTHER_ACCOUNT, OTHER_API_KEY, REPO_ROOT, Stack } from '../../scripts/local-stack/stack';
import { printLogsIfFailed } from '../support/service-logs';

const CHROMIUM = process.env.SNAPEX_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Headless, and nothing that reaches beyond this machine: its network is closed. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = join(REPO_ROOT, '.snapex', 'screenshots', 'console');
const SOURCE_DB = 'snapex_console_src';
const OTHER_DB = 'snapex_console_other';
const ACCESS_KEY = {
  accessKeyId: 'AKIACONSOLETEST0001',
  secretAccessKey: 'console-test-secret-access-key-0001',
};
const ORDER_ROWS = 20_000;
const UI_TIMEOUT = 60_000;

async function createSource(database: string): Promise<string> {
  const url = await recreateDatabase(database);
  await withPg(url, (client) =>
    client.query(`
      CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 500) g;
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10, 2));
      INSERT INTO orders SELECT g, 1 + g % 500, g * 0.25 FROM generate_series(1, ${ORDER_ROWS}) g;
      CREATE TABLE audit_log (at timestamptz DEFAULT now(), note text);
      INSERT INTO audit_log (note) SELECT 'event ' || g FROM generate_series(1, 100) g;`),
  );
  return url;
}

describe('the web console in headless Chromium', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const runId = Date.now().toString(36);
  const completed = `console-full-${runId}`;
  const canceled = `console-cancel-${runId}`;
  const failed = `console-failed-${runId}`;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    const [sourceUrl, otherUrl] = [await createSource(SOURCE_DB), await createSource(OTHER_DB)];
    stack = await Stack.start({
      name: 'console',
      sources: [
        { name: 'console-pg', url: sourceUrl, databases: [SOURCE_DB] },
        { name: 'other-pg', url: otherUrl, databases: [OTHER_DB], accountId: OTHER_ACCOUNT },
      ],
      config: {
        accounts: [
          { id: MOTO_ACCOUNT, apiKeys: [API_KEY], accessKeys: [ACCESS_KEY] },
          { id: OTHER_ACCOUNT, apiKeys: [OTHER_API_KEY] },
        ],
      },
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    profileDir = mkdtempSync(join(tmpdir(), 'snapex-console-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1360, height: 900 },
    });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await stack?.stop();
    await dropDatabase(SOURCE_DB);
    await dropDatabase(OTHER_DB);
  });

  afterEach(() => printLogsIfFailed(stack));

  const screenshot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  /** The task page's own status, not its tables'. */
  const taskStatus = (status: string) =>
    page.locator('.task-status .badge', { hasText: new RegExp(`^${status}$`) });

  async function signIn(method: 'Access key' | 'API key', fields: Record<string, string>): Promise<void> {
    await page.goto(`${stack.gatewayUrl}/console/`);
    await page.getByRole('tab', { name: method }).click();
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  async function fillExportForm(identifier: string, bucket = stack.target.bucket): Promise<void> {
    await page.getByLabel('Export identifier').fill(identifier);
    await page.getByLabel('S3 bucket').fill(bucket);
    await page.getByLabel('S3 prefix (optional)').fill('console');
    await page.getByLabel('IAM role').fill(stack.target.roleArn);
    await page.getByLabel('AWS KMS key').fill(stack.target.kmsKeyArn);
  }

  it('signs in with an access key pair, signing each request in the browser', async () => {
    await signIn('Access key', {
      'Access key ID': ACCESS_KEY.accessKeyId,
      'Secret access key': ACCESS_KEY.secretAccessKey,
      Region: 'us-east-1',
    });
    await row('console-pg').waitFor();
    expect(await row('other-pg').count()).toBe(0);
  });

  it('takes a manual snapshot, shows it available, and deletes it', async () => {
    const form = page.getByRole('form', { name: 'Take a manual snapshot' });
    await form.getByLabel('Snapshot identifier').fill(`console-snap-${runId}`);
    await form.getByRole('button', { name: 'Take snapshot' }).click();
    const snapshot = row(`console-snap-${runId}`);
    await snapshot.locator('.badge', { hasText: 'available' }).waitFor();
    await screenshot('snapshots');
    await page.getByRole('tab', { name: 'Automated' }).click();
    await page.getByText('No automated snapshots.').waitFor();
    await page.getByRole('tab', { name: 'Manual' }).click();
    await snapshot.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No manual snapshots.').waitFor();
  });

  it("shows the API's own validation message and starts a partial export from the form", async () => {
    await row('console-pg').getByRole('button', { name: 'Export to Amazon S3' }).click();
    await fillExportForm(completed, 'Not_A_Bucket');
    await page.getByLabel('Partial').check();
    await page
      .getByLabel('Identifiers')
      .fill(`${SOURCE_DB}.public.orders ${SOURCE_DB}.public.customers ${SOURCE_DB}.public.missing`);
    await page.getByRole('button', { name: 'Export to Amazon S3' }).click();
    const refused = await stack.api('/v1/StartExportTask', {
      ExportTaskIdentifier: completed,
      SourceArn: stack.clusterArn('console-pg'),
      S3BucketName: 'Not_A_Bucket',
      IamRoleArn: stack.target.roleArn,
      KmsKeyId: stack.target.kmsKeyArn,
    });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`${refused.body.Error.Code}: ${refused.body.Error.Message}`);
    await screenshot('export-form-refused');

    await page.getByLabel('S3 bucket').fill(stack.target.bucket);
    await page.getByRole('button', { name: 'Export to Amazon S3' }).click();
    await page.getByRole('heading', { name: `Export ${completed}` }).waitFor();
  });

  it('follows the task live until COMPLETE and lists its tables as export_tables_info does', async () => {
    await taskStatus('COMPLETE').waitFor({ timeout: 120_000 });
    await row(`${SOURCE_DB}.public.orders`).locator('.badge', { hasText: 'COMPLETE' }).waitFor();
    expect(await row(`${SOURCE_DB}.public.orders`).textContent()).toContain(
      ORDER_ROWS.toLocaleString('en-US'),
    );
    expect(await row(`${SOURCE_DB}.public.customers`).textContent()).toContain('500');
    expect(await row('audit_log').count()).toBe(0);
    // An identifier that names nothing is a warning, and the export goes on.
    expect(await page.locator('.warnings').textContent()).toContain('OBJECT_NOT_FOUND');
    expect(await page.getByRole('progressbar').first().getAttribute('aria-valuenow')).toBe('100');
    const tables = await stack.api(`/v1/export-tasks/${completed}/tables`);
    expect(tables.body.perTableStatus.map((table: any) => [table.target, table.status])).toEqual([
      [`${SOURCE_DB}.public.customers`, 'COMPLETE'],
      [`${SOURCE_DB}.public.orders`, 'COMPLETE'],
    ]);
    await screenshot('export-task');
  });

  it('cancels a running export from its page', async () => {
    // With no extractor running, the export waits IN_PROGRESS until it is canceled.
    const extractor = stack.services.find((service) => service.name === 'table-extractor-0')!;
    await stack.stopService(extractor);
    await page.goto(
      `${stack.gatewayUrl}/console/#/export?source=${encodeURIComponent(stack.clusterArn('console-pg'))}`,
    );
    await fillExportForm(canceled);
    await page.getByRole('button', { name: 'Export to Amazon S3' }).click();
    await taskStatus('IN_PROGRESS').waitFor();
    await page.getByRole('button', { name: 'Cancel export' }).click();
    await taskStatus('CANCELING').waitFor();
    await stack.startService('table-extractor');
    await taskStatus('CANCELED').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel export' }).count()).toBe(0);
  });

  it("shows a failed export's cause", async () => {
    await page.goto(
      `${stack.gatewayUrl}/console/#/export?source=${encodeURIComponent(stack.clusterArn('console-pg'))}`,
    );
    await fillExportForm(failed, `console-missing-${runId}`);
    await page.getByRole('button', { name: 'Export to Amazon S3' }).click();
    await taskStatus('FAILED').waitFor();
    const { body } = await stack.api(`/v1/export-tasks/${failed}`);
    expect(await page.getByRole('alert', { name: 'Failure cause' }).textContent()).toBe(
      `Failure cause: ${body.FailureCause}`,
    );
    expect(body.FailureCause).toContain(`the S3 bucket console-missing-${runId}`);
  });

  it('lists the exports, filtered by status', async () => {
    await page.getByRole('link', { name: 'Exports in Amazon S3' }).click();
    await row(completed).waitFor();
    await row(canceled).waitFor();
    expect(await row(completed).textContent()).toContain('CLUSTER');
    await screenshot('exports');
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByLabel('Status').selectOption('CANCELED');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await row(completed).waitFor({ state: 'detached' });
    expect(await row(canceled).count()).toBe(1);
  });

  it('shows another account none of it', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('API key', { 'API key': OTHER_API_KEY });
    await row('other-pg').waitFor();
    expect(await row('console-pg').count()).toBe(0);
    await page.getByText('No manual snapshots.').waitFor();
    await page.getByRole('link', { name: 'Exports in Amazon S3' }).click();
    await page.getByText('No exports.').waitFor();
    await page.goto(`${stack.gatewayUrl}/console/#/exports/${completed}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      `ExportTaskNotFound: The export task with the ID ${completed} can't be found.`,
    );
    const tables = await stack.api(`/v1/export-tasks/${completed}/tables`, undefined, OTHER_API_KEY);
    expect([tables.status, tables.body.Error.Code]).toEqual([404, 'ExportTaskNotFound']);
  });
});
