import {
  Codec,
  CONTROL_CHARACTER,
  Fault,
  OutputFormat,
  OutputFormatSchema,
  StartExportTaskInput,
  TypeMode,
} from '@snapex/contracts';
import { parseSourceArn, SourceArn } from './source-arn';

export interface ValidatedStart {
  exportTaskIdentifier: string;
  sourceArn: SourceArn;
  s3Bucket: string;
  s3Prefix: string;
  iamRoleArn: string;
  kmsKeyId: string;
  exportOnly: string[];
  /** Null when the task writes the RDS output: AWS types, gzip, configured sizes. */
  output: OutputFormat | null;
}

export interface OutputDefaults {
  typeMode: TypeMode;
  codec: Codec;
}

/** Checks every parameter of StartExportTask that needs no state; the first problem found is thrown. */
export function validateStartInput(
  input: StartExportTaskInput,
  outputDefaults: OutputDefaults = { typeMode: 'aws', codec: 'gzip' },
): ValidatedStart {
  checkExportTaskIdentifier(input.ExportTaskIdentifier);
  const sourceArn = parseSourceArn(input.SourceArn);
  checkS3BucketName(input.S3BucketName);
  checkIamRoleArn(input.IamRoleArn);
  checkKmsKeyId(input.KmsKeyId);
  const s3Prefix = input.S3Prefix ?? '';
  checkS3Prefix(s3Prefix);
  const exportOnly = input.ExportOnly ?? [];
  checkExportOnly(exportOnly);
  return {
    exportTaskIdentifier: input.ExportTaskIdentifier,
    sourceArn,
    s3Bucket: input.S3BucketName,
    s3Prefix,
    iamRoleArn: input.IamRoleArn,
    kmsKeyId: input.KmsKeyId,
    exportOnly,
    output: outputFormatOf(input.SnapexOutput, outputDefaults),
  };
}

/**
 * SnapexOutput over the configured defaults. The RDS output (AWS types, gzip at the configured
 * level, the configured file size) is recorded as null, as for tasks that predate the parameter.
 */
export function outputFormatOf(
  given: StartExportTaskInput['SnapexOutput'],
  defaults: OutputDefaults,
): OutputFormat | null {
  const candidate = {
    typeMode: given?.TypeMode ?? defaults.typeMode,
    compression: {
      codec: given?.Codec ?? defaults.codec,
      ...(given?.CodecLevel === undefined ? {} : { level: given.CodecLevel }),
    },
    ...(given?.FileTargetBytes === undefined ? {} : { fileTargetBytes: given.FileTargetBytes }),
  };
  const parsed = OutputFormatSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Fault(
      'InvalidParameterValue',
      `The parameter SnapexOutput is not valid: ${issue.path.join('.') || 'value'}: ${issue.message}. ` +
        'TypeMode is aws or native; Codec is gzip (level 1-9), zstd (level 1-22) or snappy (no level); ' +
        'FileTargetBytes is at least 1048576.',
    );
  }
  const output = parsed.data;
  const isRdsOutput =
    output.typeMode === 'aws' &&
    output.compression.codec === 'gzip' &&
    output.compression.level === undefined &&
    output.fileTargetBytes === undefined;
  return isRdsOutput ? null : output;
}

export const MAX_IDENTIFIER_LENGTH = 63;
/** A letter, then letters and digits with single hyphens between them. */
const IDENTIFIER = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;

/**
 * RDS's rule for the identifiers of the clusters and instances an export reads from (1 to 63 letters,
 * digits or hyphens), worded as RDS words it; the RDS API model states nothing narrower for exports.
 */
export function checkExportTaskIdentifier(identifier: string): void {
  if (identifier.length === 0 || identifier.length > MAX_IDENTIFIER_LENGTH || !IDENTIFIER.test(identifier)) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter ExportTaskIdentifier is not a valid identifier. Identifiers must be 1 to ${MAX_IDENTIFIER_LENGTH} ` +
        'characters long, must begin with a letter; must contain only ASCII letters, digits, and hyphens; and ' +
        'must not end with a hyphen or contain two consecutive hyphens.',
    );
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export function isValidS3BucketName(name: string): boolean {
  return (
    BUCKET_NAME.test(name) &&
    !name.includes('..') &&
    !IP_ADDRESS.test(name) &&
    !RESERVED_BUCKET_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    !RESERVED_BUCKET_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

export function checkS3BucketName(name: string): void {
  if (!isValidS3BucketName(name)) {
    throw new Fault('InvalidS3BucketFault', `The S3 bucket name ${name} isn't a valid S3 bucket name.`);
  }
}

const IAM_ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export function checkIamRoleArn(arn: string): void {
  if (!IAM_ROLE_ARN.test(arn)) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter IamRoleArn must be the ARN of an IAM role, such as arn:aws:iam::123456789012:role/export-role: ${arn}`,
    );
  }
}

const KEY_ID =
  '(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})';
const ALIAS_NAME = 'alias/[A-Za-z0-9/_-]{1,250}';
const KMS_ARN_PREFIX = 'arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:\\d{12}:';
const KMS_KEY_ID = new RegExp(
  `^(?:${KEY_ID}|${ALIAS_NAME}|${KMS_ARN_PREFIX}(?:key/${KEY_ID}|${ALIAS_NAME}))$`,
);

/** A key ARN, alias ARN, key id or alias name, the forms KMS itself accepts. */
export function checkKmsKeyId(keyId: string): void {
  if (!KMS_KEY_ID.test(keyId)) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter KmsKeyId must be a KMS key ARN, key ID, alias ARN or alias name: ${keyId}`,
    );
  }
}

/** S3's own limit for a whole object key; the prefix is only its beginning. */
export const MAX_S3_PREFIX_BYTES = 1024;

export function checkS3Prefix(prefix: string): void {
  if (prefix.includes(':')) {
    throw new Fault('InvalidParameterValue', 'The parameter S3Prefix must not contain a colon (:).');
  }
  // Control characters are legal in S3 keys but break every XML listing of the bucket.
  if (CONTROL_CHARACTER.test(prefix)) {
    throw new Fault('InvalidParameterValue', 'The parameter S3Prefix must not contain control characters.');
  }
  if (Buffer.byteLength(prefix, 'utf8') > MAX_S3_PREFIX_BYTES) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter S3Prefix must not be longer than ${MAX_S3_PREFIX_BYTES} bytes.`,
    );
  }
}

export const MAX_EXPORT_ONLY_BYTES = 200 * 1024;
/** database[.schema][.table]; partial export supports only these characters in names (the seed). */
const EXPORT_ONLY_ITEM = /^[A-Za-z0-9$_]+(?:\.[A-Za-z0-9$_]+){0,2}$/;

export function checkExportOnly(items: string[]): void {
  if (Buffer.byteLength(items.join(' '), 'utf8') > MAX_EXPORT_ONLY_BYTES) {
    throw new Fault('InvalidExportOnly', 'The ExportOnly list must not be larger than 200 KB.');
  }
  const invalid = items.find((item) => !EXPORT_ONLY_ITEM.test(item));
  if (invalid !== undefined) {
    throw new Fault(
      'InvalidExportOnly',
      `The ExportOnly entry "${invalid}" isn't valid: use database[.schema][.table], where each name contains ` +
        'only Latin letters, digits, dollar signs ($) and underscores (_).',
    );
  }
}
