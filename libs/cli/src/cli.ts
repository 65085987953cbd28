import { RDSServiceException } from '@aws-sdk/client-rds';
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './arguments';
import {
  cancelExportTask,
  CommandIo,
  describeDbSnapshots,
  describeExportTasks,
  EXIT,
  OperationError,
  startExportTask,
} from './commands';
import { ProgressStream } from './progress-view';
import { ConnectionOptions, rdsClientFor } from './rds-client';
import { runRestoreExport } from './restore-command';
import { WatchSettings } from './watch';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  watch?: Partial<WatchSettings>;
}

const DEFAULT_WATCH: WatchSettings = {
  intervalMs: 5000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** `snapex <command> [options]`, the `aws rds` export commands against a snapex gateway; answers the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const commandIo: CommandIo = {
    stdout: io.stdout,
    stderr: io.stderr,
    watch: { ...DEFAULT_WATCH, ...io.watch },
  };
  const program = buildProgram(
    io,
    (work) => async (options, command) => {
      const connection = command.optsWithGlobals<ConnectionOptions>();
      exitCode = await work(rdsClientFor(connection, io.env), options, commandIo);
    },
    (work) => async (options, command) => {
      exitCode = await work(options, command.optsWithGlobals<ConnectionOptions>());
    },
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io);
  }
}

type Work = (client: ReturnType<typeof rdsClientFor>, options: any, io: CommandIo) => Promise<number>;
type Action = (options: any, command: Command) => Promise<void>;
/** A command that talks to S3 and a database rather than to the gateway. */
type LocalWork = (options: any, connection: ConnectionOptions) => Promise<number>;

function buildProgram(
  io: CliIo,
  action: (work: Work) => Action,
  localAction: (work: LocalWork) => Action,
): Command {
  const program = new Command('snapex')
    .description('The aws rds export commands, against a snapex gateway.')
    .option('--endpoint-url <url>', 'the snapex gateway (default: $SNAPEX_ENDPOINT_URL)')
    .option('--region <region>', 'the region requests are signed for (default: $AWS_REGION)')
    .option('--profile <profile>', 'an AWS profile to take credentials from')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command('start-export-task')
    .description('Start an export task.')
    .requiredOption('--export-task-identifier <id>')
    .requiredOption('--source-arn <arn>')
    .requiredOption('--s3-bucket-name <bucket>')
    .requiredOption('--iam-role-arn <arn>')
    .requiredOption('--kms-key-id <key>')
    .option('--s3-prefix <prefix>')
    .option('--export-only <items...>', 'database[.schema][.table] ...')
    .option('--watch', 'follow the task with a progress bar until it ends')
    .action(action(startExportTask));

  program
    .command('describe-export-tasks')
    .description('List export tasks, every page unless --no-paginate or --marker is given.')
    .option('--export-task-identifier <id>')
    .option('--source-arn <arn>')
    .addOption(new Option('--source-type <type>').choices(['SNAPSHOT', 'CLUSTER']))
    .option('--filters <filters...>', 'Name=<name>,Values=<value>,<value> ... or JSON')
    .option('--marker <marker>')
    .option('--max-records <n>')
    .option('--no-paginate', 'make one call and print its Marker')
    .option('--watch', 'follow the task named by --export-task-identifier until it ends')
    .action(action(describeExportTasks));

  program
    .command('describe-db-snapshots')
    .description('List DB snapshots, every page unless --no-paginate or --marker is given.')
    .option('--db-snapshot-identifier <id>')
    .option('--db-instance-identifier <id>')
    .addOption(new Option('--snapshot-type <type>').choices(['manual', 'automated']))
    .option('--filters <filters...>', 'Name=<name>,Values=<value>,<value> ... or JSON')
    .option('--marker <marker>')
    .option('--max-records <n>')
    .option('--no-paginate', 'make one call and print its Marker')
    .action(action(describeDbSnapshots));

  program
    .command('cancel-export-task')
    .description('Cancel an export task.')
    .requiredOption('--export-task-identifier <id>')
    .option('--watch', 'follow the task until it is CANCELED')
    .action(action(cancelExportTask));

  program
    .command('restore-export')
    .description(
      'Recreate the tables and rows of a finished export in a PostgreSQL or MySQL database, read from its S3 files.',
    )
    .requiredOption('--s3-bucket-name <bucket>')
    .requiredOption('--export-task-identifier <id>')
    .option('--s3-prefix <prefix>')
    .option('--target-url <url>', 'postgresql://… or mysql://… (default: $SNAPEX_RESTORE_TARGET_URL)')
    .option('--only <names...>', 'database[.schema[.table]] ... of the export to restore')
    .option('--concurrency <n>', 'tables restored at once', '4')
    .option('--s3-endpoint-url <url>', 'an S3-compatible endpoint (default: $AWS_ENDPOINT_URL_S3)')
    .action(localAction((options, connection) => runRestoreExport(options, connection, io)));

  return program;
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof UsageError) {
    io.stderr.write(`\n${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof OperationError) return reportOperationFailure(error, io);
  io.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.other;
}

function reportOperationFailure(error: OperationError, io: CliIo): number {
  const failure = error.failure;
  if (failure instanceof RDSServiceException) {
    const code = (failure as { Code?: string }).Code ?? failure.name;
    io.stderr.write(
      `\nAn error occurred (${code}) when calling the ${error.operation} operation: ${failure.message}\n`,
    );
    return EXIT.service;
  }
  const name = failure instanceof Error ? failure.name : '';
  if (name === 'CredentialsProviderError') {
    io.stderr.write(
      '\nUnable to locate credentials. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or use --profile.\n',
    );
    return EXIT.configuration;
  }
  if (/region is missing/i.test(error.message)) {
    io.stderr.write('\nYou must specify a region: give --region or set AWS_REGION.\n');
    return EXIT.configuration;
  }
  io.stderr.write(`\nCould not complete the ${error.operation} operation: ${error.message}\n`);
  return EXIT.other;
}
