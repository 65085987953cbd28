import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  InvalidDBClusterSnapshotStateFault,
  InvalidDBSnapshotStateFault,
  SnapshotQuotaExceededFault,
  DBClusterSnapshotNotFoundFault,
  DBSnapshotNotFoundFault,
  DescribeExportTasksCommand,
  ExportTaskAlreadyExistsFault,
  ExportTaskNotFoundFault,
  IamRoleMissingPermissionsFault,
  IamRoleNotFoundFault,
  InvalidExportOnlyFault,
  InvalidExportSourceStateFault,
  InvalidExportTaskStateFault,
  InvalidS3BucketFault,
  KMSKeyNotAccessibleFault,
  RDSClient,
  RDSServiceException,
  EventSubscriptionQuotaExceededFault,
  SNSInvalidTopicFault,
  SNSNoAuthorizationFault,
  SNSTopicArnNotFoundFault,
  SourceNotFoundFault,
  SubscriptionAlreadyExistFault,
  SubscriptionCategoryNotFoundFault,
  SubscriptionNotFoundFault,
} from '@aws-sdk/client-rds';
import { FAULTS, FaultCode } from '@snapex/contracts';
import { errorResponseXml } from '../../apps/api-gateway/src/query/query-xml';
import {
  clusterArn,
  failTask,
  FORM,
  parseXml,
  queryBody,
  queryCall,
  rawRequest,
  RdsAccount,
  RdsStack,
  REGION,
  signedRequest,
  startInput,
  startRdsStack,
  xmlFault,
} from './rds-stack';

const NAMESPACE = 'http://rds.amazonaws.com/doc/2014-10-31/';

describe('the RDS Query protocol, request by request', () => {
  let stack: RdsStack;
  let main: RdsAccount;
  let other: RdsAccount;

  beforeAll(async () => {
    stack = await startRdsStack({ maxBodyBytes: 64 * 1024 });
    [main, other] = stack.accounts;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function startParameters(overrides: Record<string, string> = {}): Record<string, string> {
    const input = startInput(stack, main, { SourceArn: clusterArn(main.id, 'iot') });
    return {
      ExportTaskIdentifier: input.ExportTaskIdentifier,
      SourceArn: input.SourceArn,
      S3BucketName: input.S3BucketName,
      IamRoleArn: input.IamRoleArn,
      KmsKeyId: input.KmsKeyId,
      ...overrides,
    };
  }

  describe('actions', () => {
    it('answers StartExportTask as RDS shapes it', async () => {
      const parameters = startParameters({
        S3Prefix: 'nightly exports',
        'ExportOnly.member.1': 'shop',
        'ExportOnly.member.2': 'shop.public.orders',
      });
      const response = await queryCall(stack, main, 'StartExportTask', parameters);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/xml/);
      const document = parseXml(response.text).StartExportTaskResponse;
      expect(document['@_xmlns']).toBe(NAMESPACE);
      expect(document.ResponseMetadata.RequestId).toBe(response.headers['x-amzn-requestid']);
      expect(Object.keys(document.StartExportTaskResult)).toEqual([
        'ExportTaskIdentifier',
        'SourceArn',
        'ExportOnly',
        'TaskStartTime',
        'S3Bucket',
        'S3Prefix',
        'IamRoleArn',
        'KmsKeyId',
        'Status',
        'PercentProgress',
        'TotalExtractedDataInGB',
        'SourceType',
      ]);
      expect(document.StartExportTaskResult).toMatchObject({
        ExportTaskIdentifier: parameters.ExportTaskIdentifier,
        ExportOnly: { member: ['shop', 'shop.public.orders'] },
        TaskStartTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        S3Prefix: 'nightly exports',
        Status: 'STARTING',
        PercentProgress: '0',
        SourceType: 'CLUSTER',
      });
      await failTask(stack, main, parameters.ExportTaskIdentifier);
    });

    it('answers DescribeExportTasks sent as GET with the parameters in the query string', async () => {
      const response = await signedRequest(stack, main, {
        method: 'GET',
        query: {
          Action: 'DescribeExportTasks',
          Version: '2014-10-31',
          'Filters.Filter.1.Name': 'source-arn',
          'Filters.Filter.1.Values.Value.1': clusterArn(main.id, 'iot'),
          MaxRecords: '20',
        },
      });
      expect(response.status).toBe(200);
      const result = parseXml(response.text).DescribeExportTasksResponse.DescribeExportTasksResult;
      const tasks = [result.ExportTasks.ExportTask].flat();
      expect(tasks.length).toBeGreaterThan(0);
      expect(tasks.every((task: any) => task.SourceArn === clusterArn(main.id, 'iot'))).toBe(true);
    });

    it('answers CancelExportTask, and an empty list as <ExportTasks/>', async () => {
      const parameters = startParameters();
      await queryCall(stack, main, 'StartExportTask', parameters);
      const response = await queryCall(stack, main, 'CancelExportTask', {
        ExportTaskIdentifier: parameters.ExportTaskIdentifier,
      });
      expect(parseXml(response.text).CancelExportTaskResponse.CancelExportTaskResult.Status).toBe(
        'CANCELING',
      );
      const none = await queryCall(stack, other, 'DescribeExportTasks', { SourceType: 'SNAPSHOT' });
      expect(none.text).toContain('<DescribeExportTasksResult><ExportTasks/></DescribeExportTasksResult>');
    });

    it('renders faults as <ErrorResponse> with the fault’s status', async () => {
      const response = await queryCall(stack, main, 'CancelExportTask', {
        ExportTaskIdentifier: 'never-started',
      });
      expect(response.status).toBe(404);
      expect(xmlFault(response)).toEqual({
        Type: 'Sender',
        Code: 'ExportTaskNotFound',
        Message: "The export task with the ID never-started can't be found.",
      });
    });
  });

  describe('protocol mistakes', () => {
    it.each([
      [
        'an action snapex does not serve',
        queryBody('DeleteDBCluster', { DBClusterIdentifier: 'x' }),
        400,
        'InvalidAction',
        'Could not find operation DeleteDBCluster for version 2014-10-31.',
      ],
      [
        'no action',
        'Version=2014-10-31',
        400,
        'MissingAction',
        'The request must contain the parameter Action.',
      ],
      [
        'no version',
        'Action=DescribeExportTasks',
        400,
        'MissingParameter',
        'The request must contain the parameter Version.',
      ],
      [
        'another API version',
        'Action=DescribeExportTasks&Version=2013-09-09',
        400,
        'InvalidAction',
        'Could not find operation DescribeExportTasks for version 2013-09-09.',
      ],
      [
        'a missing parameter',
        queryBody('CancelExportTask'),
        400,
        'MissingParameter',
        'The request must contain the parameter ExportTaskIdentifier.',
      ],
      [
        'an unknown parameter',
        queryBody('CancelExportTask', { ExportTaskIdentifier: 'x', Force: 'true' }),
        400,
        'InvalidParameterValue',
        'Unknown parameter Force.',
      ],
      [
        'a number that is not one',
        queryBody('DescribeExportTasks', { MaxRecords: 'twenty' }),
        400,
        'InvalidParameterValue',
        'Invalid type for parameter MaxRecords: expected number, got string.',
      ],
      [
        'a value outside an enumeration',
        queryBody('DescribeExportTasks', { SourceType: 'INSTANCE' }),
        400,
        'InvalidParameterValue',
        'Invalid value for parameter SourceType: must be one of SNAPSHOT, CLUSTER.',
      ],
    ])('answers %s with a fault', async (_case, body, status, code, message) => {
      const response = await signedRequest(stack, main, { headers: FORM, body });
      expect(response.status).toBe(status);
      expect(xmlFault(response)).toEqual({ Type: 'Sender', Code: code, Message: message });
    });

    it('refuses a body over the configured size before reading it', async () => {
      const body = queryBody('DescribeExportTasks', { Marker: 'm'.repeat(stack.maxBodyBytes) });
      const response = await signedRequest(stack, main, { headers: FORM, body });
      expect(response.status).toBe(413);
      expect(xmlFault(response).Code).toBe('PayloadTooLarge');
    });
  });

  describe('authentication', () => {
    const describeBody = queryBody('DescribeExportTasks');

    it('refuses an unsigned request, and an API key, on the Query API', async () => {
      const unsigned = await rawRequest(stack, { headers: FORM, body: describeBody });
      expect(unsigned.status).toBe(403);
      expect(xmlFault(unsigned).Code).toBe('MissingAuthenticationToken');
      const apiKey = await rawRequest(stack, {
        headers: { ...FORM, 'x-api-key': main.apiKey },
        body: describeBody,
      });
      expect(xmlFault(apiKey).Code).toBe('MissingAuthenticationToken');
    });

    it('refuses an unknown access key with InvalidClientTokenId', async () => {
      const response = await queryCall(
        stack,
        main,
        'DescribeExportTasks',
        {},
        { accessKeyId: 'AKIAUNKNOWN000000000' },
      );
      expect(response.status).toBe(403);
      expect(xmlFault(response)).toMatchObject({
        Code: 'InvalidClientTokenId',
        Message: 'The security token included in the request is invalid.',
      });
    });

    it('refuses a wrong secret, and a body changed after signing, with SignatureDoesNotMatch', async () => {
      const wrong = await queryCall(
        stack,
        main,
        'DescribeExportTasks',
        {},
        { secretAccessKey: other.secretAccessKey },
      );
      expect(wrong.status).toBe(403);
      expect(xmlFault(wrong).Code).toBe('SignatureDoesNotMatch');
      expect(xmlFault(wrong).Message).toMatch(/^The request signature we calculated does not match/);

      const signedOnce = await signedRequest(stack, main, { headers: FORM, body: describeBody });
      expect(signedOnce.status).toBe(200);
      const headers = await signedHeaders(describeBody);
      const changedBody = `${describeBody}&MaxRecords=20`;
      const tampered = await rawRequest(stack, {
        headers: { ...headers, 'content-length': String(Buffer.byteLength(changedBody)) },
        body: changedBody,
      });
      expect(tampered.status).toBe(403);
      expect(xmlFault(tampered).Code).toBe('SignatureDoesNotMatch');
    });

    it('refuses a request signed for another region or service', async () => {
      const region = await queryCall(stack, main, 'DescribeExportTasks', {}, { region: 'eu-west-1' });
      expect(xmlFault(region)).toMatchObject({
        Code: 'SignatureDoesNotMatch',
        Message: "Credential should be scoped to a valid region, not 'eu-west-1'.",
      });
      const service = await queryCall(stack, main, 'DescribeExportTasks', {}, { service: 's3' });
      expect(xmlFault(service).Code).toBe('SignatureDoesNotMatch');
    });

    it('refuses an expired or replayed request, and one dated in the future, with RequestExpired', async () => {
      for (const offset of [-16 * 60_000, -24 * 3600_000, 16 * 60_000]) {
        const response = await queryCall(
          stack,
          main,
          'DescribeExportTasks',
          {},
          { signingDate: new Date(Date.now() + offset) },
        );
        expect(response.status).toBe(400);
        expect(xmlFault(response).Code).toBe('RequestExpired');
        expect(xmlFault(response).Message).toMatch(/^Request has expired/);
      }
    });

    it('refuses a malformed Authorization header with IncompleteSignature', async () => {
      const response = await rawRequest(stack, {
        headers: {
          ...FORM,
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/rds',
          'x-amz-date': '20260101T000000Z',
        },
        body: describeBody,
      });
      expect(response.status).toBe(400);
      expect(xmlFault(response).Code).toBe('IncompleteSignature');
    });

    async function signedHeaders(body: string): Promise<Record<string, string>> {
      let captured: Record<string, string> = {};
      const server = createServer((request, response) => {
        captured = request.headers as Record<string, string>;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        await signedRequest({ ...stack, baseUrl: `http://127.0.0.1:${port}` }, main, { headers: FORM, body });
        return { ...captured, host: new URL(stack.baseUrl).host };
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });

  describe('the JSON API', () => {
    it('takes Signature Version 4 as well as API keys', async () => {
      const response = await signedRequest(stack, main, {
        path: '/v1/DescribeExportTasks',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ SourceType: 'CLUSTER' }),
      });
      expect(response.status).toBe(200);
      expect(Array.isArray(JSON.parse(response.text).ExportTasks)).toBe(true);
      const wrong = await signedRequest(
        stack,
        main,
        { path: '/v1/DescribeExportTasks', headers: { 'content-type': 'application/json' }, body: '{}' },
        { secretAccessKey: other.secretAccessKey },
      );
      expect(wrong.status).toBe(403);
      expect(JSON.parse(wrong.text).Error).toMatchObject({ Type: 'Sender', Code: 'SignatureDoesNotMatch' });
    });

    it('is described by an OpenAPI document anyone may read', async () => {
      const response = await rawRequest(stack, { method: 'GET', path: '/openapi.json' });
      expect(response.status).toBe(200);
      const document = JSON.parse(response.text);
      expect(document.openapi).toMatch(/^3\./);
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/v1/StartExportTask',
          '/v1/DescribeExportTasks',
          '/v1/CancelExportTask',
          '/',
        ]),
      );
    });
  });
});

describe('fault codes as the SDK reads them', () => {
  const MODELED: [FaultCode, new (...args: any[]) => RDSServiceException][] = [
    ['ExportTaskAlreadyExists', ExportTaskAlreadyExistsFault],
    ['ExportTaskNotFound', ExportTaskNotFoundFault],
    ['InvalidExportOnly', InvalidExportOnlyFault],
    ['InvalidExportSourceState', InvalidExportSourceStateFault],
    ['InvalidExportTaskStateFault', InvalidExportTaskStateFault],
    ['InvalidS3BucketFault', InvalidS3BucketFault],
    ['IamRoleMissingPermissions', IamRoleMissingPermissionsFault],
    ['IamRoleNotFound', IamRoleNotFoundFault],
    ['KMSKeyNotAccessibleFault', KMSKeyNotAccessibleFault],
    ['DBSnapshotNotFound', DBSnapshotNotFoundFault],
    ['DBClusterSnapshotNotFoundFault', DBClusterSnapshotNotFoundFault],
    ['DBClusterNotFoundFault', DBClusterNotFoundFault],
    ['DBInstanceNotFound', DBInstanceNotFoundFault],
    ['DBSnapshotAlreadyExists', DBSnapshotAlreadyExistsFault],
    ['DBClusterSnapshotAlreadyExistsFault', DBClusterSnapshotAlreadyExistsFault],
    ['InvalidDBSnapshotState', InvalidDBSnapshotStateFault],
    ['InvalidDBClusterSnapshotStateFault', InvalidDBClusterSnapshotStateFault],
    ['SnapshotQuotaExceeded', SnapshotQuotaExceededFault],
    ['SubscriptionAlreadyExist', SubscriptionAlreadyExistFault],
    ['SubscriptionNotFound', SubscriptionNotFoundFault],
    ['SubscriptionCategoryNotFound', SubscriptionCategoryNotFoundFault],
    ['SNSInvalidTopic', SNSInvalidTopicFault],
    ['SNSNoAuthorization', SNSNoAuthorizationFault],
    ['SNSTopicArnNotFound', SNSTopicArnNotFoundFault],
    ['SourceNotFound', SourceNotFoundFault],
    ['EventSubscriptionQuotaExceeded', EventSubscriptionQuotaExceededFault],
  ];
  let server: Server;
  let code: FaultCode = 'InternalFailure';
  let client: RDSClient;

  beforeAll(async () => {
    // Answers every call with the gateway's own rendering of the fault under test.
    server = createServer((request, response) => {
      request.resume().on('end', () => {
        response.statusCode = FAULTS[code];
        response.setHeader('content-type', 'text/xml');
        response.setHeader('x-amzn-requestid', 'request-1');
        response.end(
          errorResponseXml(
            { status: FAULTS[code], code, message: `message of ${code}`, unexpected: false },
            'request-1',
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new RDSClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: REGION,
      credentials: { accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: 'not-checked-here' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(MODELED)('maps %s to its modeled exception class', async (faultCode, type) => {
    code = faultCode;
    const error = await client.send(new DescribeExportTasksCommand({})).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ message: `message of ${faultCode}`, $fault: 'client', Code: faultCode });
    expect((error as RDSServiceException).$metadata).toMatchObject({
      httpStatusCode: FAULTS[faultCode],
      requestId: 'request-1',
    });
  });
});
