import { FaultBody } from './rpc/rpc-contract';

/** RDS faults: code on the wire and HTTP status, as RDS returns them. */
export const FAULTS = {
  ExportTaskAlreadyExists: 400,
  ExportTaskNotFound: 404,
  InvalidExportOnly: 400,
  InvalidExportSourceState: 400,
  InvalidExportTaskStateFault: 400,
  InvalidS3BucketFault: 400,
  IamRoleMissingPermissions: 400,
  IamRoleNotFound: 404,
  KMSKeyNotAccessibleFault: 400,
  DBSnapshotNotFound: 404,
  DBClusterSnapshotNotFoundFault: 404,
  DBClusterNotFoundFault: 404,
  DBInstanceNotFound: 404,
  DBSnapshotAlreadyExists: 400,
  DBClusterSnapshotAlreadyExistsFault: 400,
  InvalidDBSnapshotState: 400,
  InvalidDBClusterSnapshotStateFault: 400,
  SnapshotQuotaExceeded: 400,
  ExportTaskLimitReached: 400,
  SubscriptionAlreadyExist: 400,
  SubscriptionNotFound: 404,
  SubscriptionCategoryNotFound: 404,
  SNSInvalidTopic: 400,
  SNSNoAuthorization: 400,
  SNSTopicArnNotFound: 404,
  SourceNotFound: 404,
  EventSubscriptionQuotaExceeded: 400,
  InvalidParameterValue: 400,
  InvalidParameterCombination: 400,
  MissingParameter: 400,
  MissingAuthenticationToken: 403,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  IncompleteSignature: 400,
  RequestExpired: 400,
  InvalidAction: 400,
  MissingAction: 400,
  PayloadTooLarge: 413,
  ServiceUnavailable: 503,
  InternalFailure: 500,
} as const;
export type FaultCode = keyof typeof FAULTS;

/** A fault a caller caused or must know about; carried across RPC and rendered by the gateway. */
export class Fault extends Error {
  constructor(
    readonly code: FaultCode,
    message: string,
  ) {
    super(message);
    this.name = 'Fault';
  }

  get httpStatus(): number {
    return FAULTS[this.code];
  }

  toBody(): FaultBody {
    return { code: this.code, message: this.message, httpStatus: this.httpStatus };
  }

  static fromBody(body: FaultBody): Fault {
    const code = (body.code in FAULTS ? body.code : 'InternalFailure') as FaultCode;
    return new Fault(code, body.message);
  }
}

/** Failure messages of the seed's "Failure messages for Amazon S3 export tasks" table, word for word. */
export const FailureMessages = {
  unknown: () => 'An unknown internal error occurred.',
  unknownMetadata: (bucket: string) =>
    `An unknown internal error occurred writing the export task's metadata to the S3 bucket ${bucket}.`,
  cannotAssumeRole: (roleArn: string) =>
    `The RDS export failed to write the export task's metadata because it can't assume the IAM role ${roleArn}.`,
  metadataWriteDenied: (bucket: string, roleArn: string, keyId: string, errorCode: string) =>
    `The RDS export failed to write the export task's metadata to the S3 bucket ${bucket} using the IAM role ${roleArn} with the KMS key ${keyId}. Error code: ${errorCode}`,
  roleNotAuthorized: (roleArn: string, action: string, bucket: string) =>
    `The IAM role ${roleArn} isn't authorized to call ${action} on the S3 bucket ${bucket}. Review your permissions and retry the export.`,
  kmsCheckFailed: () => 'KMS key check failed. Check the credentials on your KMS key and try again.',
  s3CheckFailed: () => 'S3 credential check failed. Check the permissions on your S3 bucket and IAM policy.',
  bucketInvalid: (bucket: string) =>
    `The S3 bucket ${bucket} isn't valid. Either it isn't located in the current AWS Region or it doesn't exist. Review your S3 bucket name and retry the export.`,
  bucketWrongRegion: (bucket: string) =>
    `The S3 bucket ${bucket} isn't located in the current AWS Region. Review your S3 bucket name and retry the export.`,
} as const;

/** Causes for an export that lost the consistent point it reads a live database at. */
export const ReadPointMessages = {
  lost: (target: string) =>
    `The export lost the consistent point it reads the source at while table ${target} was still to be read: ` +
    'the restorer that held the database snapshot stopped. The data already exported is not a complete export; ' +
    'start the export again.',
} as const;

/** A partition that stopped moving, the seed's failure table has no message for it either. */
export const StallMessages = {
  partitionStalled: (target: string, seconds: number, stalledOn: 'database' | 'storage') =>
    `The export of table ${target} made no progress for ${seconds} seconds waiting for ` +
    `${stalledOn === 'storage' ? 'the S3 endpoint' : 'the database'}, on every attempt. ` +
    'Check that it is reachable and answering, then retry the export.',
} as const;

/** Causes for the seed's size rules, which its failure table has no message for. */
export const SizeLimitMessages = {
  valueTooLarge: (target: string, column: string, bytes: number) =>
    `The export failed because column ${column} of table ${target} holds a value of ${bytes} bytes. ` +
    'Large objects close to or greater than 500 MB (BLOB, CLOB, bytea, text) cannot be exported; ' +
    'exclude the table with ExportOnly and retry the export.',
  rowTooLargeDetail: (bytes: number) =>
    `A row of ${bytes} bytes is too large to export: tables with rows close to or greater than 2 GB are skipped.`,
} as const;

/**
 * Causes for a source that refused snapex, which the seed's table (written for RDS, whose exports never
 * log in to a database) has no message for. Connection refusals also explain a failed snapshot.
 */
export const SourceFailureMessages = {
  loginRefused: (server: string, user: string) =>
    `The database server ${server} refused the login of user ${user}: the password is wrong, the user doesn't exist ` +
    "or isn't allowed to log in from snapex's host. Correct the user name and password in the source's connection URL and retry.",
  databaseMissing: (server: string, database: string) =>
    `The database ${database} doesn't exist on the database server ${server}. ` +
    "Correct the source's connection URL or its list of databases and retry.",
  databaseDenied: (server: string, database: string, user: string) =>
    `User ${user} isn't allowed to connect to the database ${database} on the database server ${server}. ` +
    'Grant the user access to the database and retry.',
  tableDenied: (target: string) =>
    `The export failed because the export user isn't allowed to read table ${target}. ` +
    'Grant the user SELECT on the table and USAGE on its schema, or exclude the table with ExportOnly, and retry the export.',
  tableMissing: (target: string) =>
    `The export failed because table ${target} was dropped or renamed while it was exported. Retry the export.`,
  tableUnreadable: (target: string, errorCode: string) =>
    `The export failed because table ${target} could not be read (error ${errorCode}). ` +
    'Exclude the table with ExportOnly and retry the export.',
} as const;

/** Why a snapshot could not be taken; DescribeDBSnapshots and StartExportTask report it. */
export const SnapshotFailureMessages = {
  dumpFailed: (database: string, detail: string) =>
    `The dump of database ${database} failed (${detail}). Check the dump tool's message, fix the source, ` +
    'and create the snapshot again.',
  sourceUnreachable: (source: string, errorCode: string) =>
    `The database server of source ${source} could not be reached while the snapshot was taken (${errorCode}). ` +
    'Check that it is running and reachable from snapex, and create the snapshot again.',
  storeRefused: (bucket: string, errorCode: string) =>
    `The snapshot could not be written to the snapshot store bucket ${bucket} (${errorCode}). ` +
    "Check the bucket and snapex's access to it, and create the snapshot again.",
  unexpected: (source: string, detail: string) =>
    `The snapshot of source ${source} could not be taken: ${detail}. Create the snapshot again; ` +
    'if this repeats, report it with the snapshot ARN.',
} as const;

/** Why AWS refused the credentials a request was signed with, rather than a policy refusing the call. */
export interface CredentialRefusal {
  kind: 'signature' | 'unknown-key' | 'expired-token' | 'clock-skew';
  /** The service that refused, as the user knows it: AWS STS, AWS KMS, Amazon S3. */
  service: string;
  errorCode: string;
}

/**
 * Causes for a request AWS refused before any policy was read, which the seed's table would report as
 * a permission failure: reviewing IAM policies cannot fix them.
 */
export const CredentialFailureMessages = {
  refused: ({ kind, service, errorCode }: CredentialRefusal): string => {
    switch (kind) {
      case 'signature':
        return (
          `${service} refused the request signature (${errorCode}): the secret access key snapex signs with is wrong, ` +
          "the clock of snapex's host is off, or an endpoint or proxy in between rewrote the request. " +
          'Check the secret key in aws.serviceCredentials, the clock and the endpoint, and retry the export.'
        );
      case 'unknown-key':
        return (
          `${service} doesn't know the access key snapex signs with (${errorCode}). ` +
          'Check the access key ID in aws.serviceCredentials and retry the export.'
        );
      case 'expired-token':
        return (
          `${service} refused the session token snapex signs with as expired or invalid (${errorCode}). ` +
          'Check the credentials in aws.serviceCredentials and retry the export.'
        );
      case 'clock-skew':
        return (
          `${service} refused the request because the clock of snapex's host is too far from the service's (${errorCode}). ` +
          "Synchronise the host's clock and retry the export."
        );
    }
  },
} as const;
